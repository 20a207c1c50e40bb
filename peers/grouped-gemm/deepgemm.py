#!/usr/bin/env python3
"""DeepGEMM's grouped FP8 GEMMs (1x128 activation scales, 128x128 weight scales, BF16 out) on tilesweep's
grouped-gemm inputs: the contiguous layout (rows sorted by expert, each group padded to DeepGEMM's M
alignment, m_indices with -1 on padding rows) or the masked one (A [G][M_max][K], masked_m, expected_m).
DeepGEMM computes whole tiles: C's padding rows and rows past masked_m are left as its kernel writes
them (tilesweep verifies only the valid rows of this peer). Newer releases name the kernels
m_grouped_fp8_gemm_nt_contiguous / _masked (FP32 scales kept as they are on Hopper with
disable_ue8m0_cast=True where the release takes it), older ones m_grouped_gemm_fp8_fp8_bf16_nt_contiguous
/ _masked (activation scales column-major, TMA-aligned). DeepGEMM is not a dependency: a copy of its
Python package must be importable (PYTHONPATH or DEEPGEMM_PATH; DEEPGEMM_COMMIT is recorded when set).
A K that ends in a partial 128-wide block is reported unavailable (whole blocks only). A peer of
peers/protocol.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from layout import grouped_inputs  # noqa: E402
from protocol import Unavailable, import_copy, require_torch_cuda, require_whole_k_blocks, serve  # noqa: E402

NEW = ("m_grouped_fp8_gemm_nt_contiguous", "m_grouped_fp8_gemm_nt_masked")
OLD = ("m_grouped_gemm_fp8_fp8_bf16_nt_contiguous", "m_grouped_gemm_fp8_fp8_bf16_nt_masked")


def with_fp32_scales(fn, *args):
    """The call with disable_ue8m0_cast=True where the release knows it, else as it is (tried once here)."""
    try:
        fn(*args, disable_ue8m0_cast=True)
        return lambda: fn(*args, disable_ue8m0_cast=True)
    except TypeError:
        fn(*args)
        return lambda: fn(*args)


class DeepGemmGrouped:
    def __init__(self):
        self.dg = None
        self.names = None

    def hello(self):
        torch = require_torch_cuda()
        deep_gemm = import_copy("deep_gemm", "DeepGEMM", "DEEPGEMM_PATH")
        self.dg = deep_gemm
        self.names = NEW if all(hasattr(deep_gemm, n) for n in NEW) else OLD if all(hasattr(deep_gemm, n) for n in OLD) else None
        if self.names is None:
            raise Unavailable(f"this DeepGEMM has neither {NEW} nor {OLD}")
        return {"library": "DeepGEMM", "version": getattr(deep_gemm, "__version__", "unknown"), "commit": os.environ.get("DEEPGEMM_COMMIT", "unknown"),
                "api": "/".join(self.names), "device": torch.cuda.get_device_name(0)}

    def prepare(self, kernel, problem, inputs):
        import torch
        if kernel != "grouped-gemm":
            raise ValueError(f"this peer runs grouped-gemm, not {kernel}")
        require_whole_k_blocks(problem["K"], "DeepGEMM")
        dg, new = self.dg, self.names == NEW
        t = grouped_inputs(problem, inputs, torch)
        G, N = t["G"], t["N"]
        contiguous, masked = (getattr(dg, n) for n in self.names)
        if t["masked"]:
            c = torch.zeros(G, t["m_max"], N, dtype=torch.bfloat16, device="cuda")
            sa = t["sa3"] if new else dg.get_col_major_tma_aligned_tensor(t["sa3"])
            # expected_m: the mean rows per expert, which DeepGEMM picks its tile by.
            expected = max(1, int(problem["M"]))
            args = ((t["a3"], sa), (t["b"], t["sb"]), c, t["masked_m"], expected)
            launch = with_fp32_scales(masked, *args) if new else lambda: masked(*args)
        else:
            c = torch.zeros(t["rows"], N, dtype=torch.bfloat16, device="cuda")
            sa = t["sa"] if new else dg.get_col_major_tma_aligned_tensor(t["sa"])
            args = ((t["a"], sa), (t["b"], t["sb"]), c, t["m_indices"])
            launch = with_fp32_scales(contiguous, *args) if new else lambda: contiguous(*args)
        return launch, {"c": c}


if __name__ == "__main__":
    serve(DeepGemmGrouped())

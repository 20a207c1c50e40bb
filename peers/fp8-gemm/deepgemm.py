#!/usr/bin/env python3
"""DeepGEMM's FP8 GEMM (1x128 activation scales, 128x128 weight scales, BF16 out) on tilesweep's
fp8-gemm inputs. DeepGEMM is not a dependency: a copy of its Python package (built or JIT-compiling
with the machine's nvcc, with CUTLASS's headers where it needs them) must be importable, e.g. through
PYTHONPATH or DEEPGEMM_PATH. Both of its APIs are tried: `fp8_gemm_nt` (newer releases) and
`gemm_fp8_fp8_bf16_nt` (the one pinned in earlier runs). A K that ends in a partial 128-wide block is
reported unavailable (whole blocks only). With `--newest` it runs the copy DEEPGEMM_NEWEST_PATH names
(scripts/peers-build.sh builds DeepGEMM's newest commit beside the pinned one), so both are measured in
one call as two peers. A peer of peers/protocol.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from layout import gemm_inputs  # noqa: E402
from protocol import import_copy, require_torch_cuda, require_whole_k_blocks, serve  # noqa: E402


class DeepGemm:
    def __init__(self, newest=False):
        self.dg = None
        self.variable = "DEEPGEMM_NEWEST" if newest else "DEEPGEMM"
        self.label = "DeepGEMM-newest" if newest else "DeepGEMM"

    def hello(self):
        torch = require_torch_cuda()
        deep_gemm = import_copy("deep_gemm", self.label, f"{self.variable}_PATH")
        self.dg = deep_gemm
        api = "fp8_gemm_nt" if hasattr(deep_gemm, "fp8_gemm_nt") else "gemm_fp8_fp8_bf16_nt"
        return {"library": self.label, "version": getattr(deep_gemm, "__version__", "unknown"), "commit": os.environ.get(f"{self.variable}_COMMIT", "unknown"),
                "api": api, "device": torch.cuda.get_device_name(0)}

    def prepare(self, kernel, problem, inputs):
        import torch
        if kernel != "fp8-gemm":
            raise ValueError(f"this peer runs fp8-gemm, not {kernel}")
        dg = self.dg
        require_whole_k_blocks(problem["K"], "DeepGEMM")
        M, N, K, a, b, sa, sb = gemm_inputs(problem, inputs, torch)
        c = torch.empty(M, N, dtype=torch.bfloat16, device="cuda")
        if hasattr(dg, "fp8_gemm_nt"):
            # FP32 scales as they are (Hopper's recipe): releases that can cast scales to UE8M0 for
            # Blackwell take disable_ue8m0_cast, older ones do not know the argument.
            try:
                dg.fp8_gemm_nt((a, sa), (b, sb), c, disable_ue8m0_cast=True)
                launch = lambda: dg.fp8_gemm_nt((a, sa), (b, sb), c, disable_ue8m0_cast=True)  # noqa: E731
            except TypeError:
                launch = lambda: dg.fp8_gemm_nt((a, sa), (b, sb), c)  # noqa: E731
        else:
            sa_dg = dg.get_col_major_tma_aligned_tensor(sa)
            launch = lambda: dg.gemm_fp8_fp8_bf16_nt((a, sa_dg), (b, sb), c)  # noqa: E731
        return launch, {"c": c}


if __name__ == "__main__":
    serve(DeepGemm(newest="--newest" in sys.argv[1:]))

#!/usr/bin/env python3
"""torch._scaled_mm (cuBLASLt's block-scaled FP8 GEMM under torch) on tilesweep's fp8-gemm inputs:
A [M][K] and B [N][K] e4m3, A's scales [M][ceil(K/128)], B's [ceil(N/128)][ceil(K/128)], C [M][N] bf16.
A K that ends in a partial 128-wide block is reported unavailable (whole blocks only).
A peer of the external-peer protocol (peers/protocol.py)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from layout import gemm_inputs  # noqa: E402
from protocol import Unavailable, require_torch_cuda, require_whole_k_blocks, serve, torch_hello  # noqa: E402


class TorchScaledMm:
    def hello(self):
        torch = require_torch_cuda()
        if not hasattr(torch, "_scaled_mm"):
            raise Unavailable(f"torch {torch.__version__} has no _scaled_mm")
        return torch_hello(torch)

    def prepare(self, kernel, problem, inputs):
        import torch
        if kernel != "fp8-gemm":
            raise ValueError(f"this peer runs fp8-gemm, not {kernel}")
        require_whole_k_blocks(problem["K"], "torch._scaled_mm")
        M, N, K, a, b, sa, sb = gemm_inputs(problem, inputs, torch)
        # _scaled_mm wants B column-major ([K, N] view of B[N, K]), A's scales outer-dim-major
        # ([M, K/128] with stride (1, M)) and B's as the transpose of the [N/128, K/128] blocks.
        bt, sa_t, sb_t = b.t(), sa.t().contiguous().t(), sb.t()
        out = {}

        def launch():
            out["c"] = torch._scaled_mm(a, bt, scale_a=sa_t, scale_b=sb_t, out_dtype=torch.bfloat16)

        # torch allocates C anew on each call: `out` holds the latest launch's.
        return launch, out


if __name__ == "__main__":
    serve(TorchScaledMm())

#!/usr/bin/env python3
"""torch._scaled_grouped_mm (torch's grouped FP8 GEMM, CUTLASS under torch) on tilesweep's grouped-gemm
inputs. It takes row-wise scales only: one per row of A and one per column of each expert's B, not
tilesweep's 1x128 / 128x128 blocks. This peer passes the scale of each row's (each column block's)
first 128-wide K block, so it multiplies the same e4m3 codes with the same data movement and FLOPs and
computes C[r][n] = (sum_k a*b) * scaleA[r][0] * scaleB[g][n/128][0]; tilesweep verifies exactly that
(kernels/grouped-gemm/cuda/peers.ts, rowwiseScales). Contiguous: A [rows][K] with offs (each group's
padded end row) against B [G][K][N] (column-major: B[g] transposed); masked: A [G][M_max][K] against
the same B, every slot's M_max rows computed. Padding rows are computed too (not verified).
A peer of peers/protocol.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from layout import grouped_inputs  # noqa: E402
from protocol import Unavailable, require_torch_cuda, serve, torch_hello  # noqa: E402


class TorchGroupedMm:
    def hello(self):
        torch = require_torch_cuda()
        if not hasattr(torch, "_scaled_grouped_mm"):
            raise Unavailable(f"torch {torch.__version__} has no _scaled_grouped_mm")
        return {**torch_hello(torch),
                "scales": "row-wise: each row's and column block's first K block"}

    def prepare(self, kernel, problem, inputs):
        import torch
        if kernel != "grouped-gemm":
            raise ValueError(f"this peer runs grouped-gemm, not {kernel}")
        t = grouped_inputs(problem, inputs, torch)
        G, N = t["G"], t["N"]
        # B[g] is [N][K] row-major: its transpose is the [K][N] column-major operand torch wants.
        bt = t["b"].transpose(-2, -1)
        # One scale per column: the column's 128-block scale of the first K block.
        sb = t["sb"][:, :, 0].repeat_interleave(128, dim=1)[:, :N].contiguous()
        out = {}
        if t["masked"]:
            a, sa = t["a3"], t["sa3"][:, :, 0].contiguous()

            def launch():
                out["c"] = torch._scaled_grouped_mm(a, bt, sa, sb, out_dtype=torch.bfloat16)
        else:
            a, sa = t["a"], t["sa"][:, 0].contiguous()
            # Each group's end row, padded as the layout pads it: counts from the per-row index (-1 on padding).
            align = problem["align"]
            counts = torch.bincount(t["m_indices"][t["m_indices"] >= 0].long(), minlength=G).cpu().tolist()
            ends, row = [], 0
            for count in counts:
                row += (count + align - 1) // align * align
                ends.append(row)
            offs = torch.tensor(ends, dtype=torch.int32, device="cuda")

            def launch():
                out["c"] = torch._scaled_grouped_mm(a, bt, sa, sb, offs=offs, out_dtype=torch.bfloat16)
        # torch allocates C anew on each call: `out` holds the latest launch's.
        return launch, out


if __name__ == "__main__":
    serve(TorchGroupedMm())

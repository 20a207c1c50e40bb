#!/usr/bin/env python3
"""torch's flash SDPA (aten._scaled_dot_product_flash_attention, which also returns the log-sum-exp)
as the MHA/GQA decode peer, on tilesweep's mha-decode inputs (peers/paged.py has the layouts). torch
has no paged attention: K and V are gathered from the pages into contiguous [B, H, T, 128] once,
untimed, with KV heads repeated for GQA (flash SDPA wants as many KV heads as query heads), so the
timed launch is flash attention alone, over more bytes than our kernel reads for GQA (H/Hkv times).
Flash SDPA takes neither per-sequence lengths nor a mask: it runs every sequence at the same length
(refused otherwise), each query token of a two-token step over its own visible prefix (flash's causal
flag aligns top-left, not bottom-right as decode needs). A peer of peers/protocol.py."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from protocol import Unavailable, require_torch_cuda, serve, torch_hello  # noqa: E402
from paged import bf16, gather, tables, PAGE  # noqa: E402

HEAD_DIM = 128


class TorchSdpa:
    def hello(self):
        torch = require_torch_cuda()
        if not hasattr(torch.ops.aten, "_scaled_dot_product_flash_attention"):
            raise Unavailable(f"torch {torch.__version__} has no flash SDPA")
        return torch_hello(torch)

    def prepare(self, kernel, problem, inputs):
        import torch
        if kernel != "mha-decode":
            raise ValueError(f"this peer runs mha-decode, not {kernel}")
        B, sq, H, Hkv = problem["B"], problem["sq"], problem["H"], problem["Hkv"]
        if problem.get("lengths", "fixed") != "fixed":
            raise ValueError("flash SDPA takes no per-sequence lengths: this peer runs fixed-length batches only")
        q = bf16(inputs["q"], torch, (B, sq, H, HEAD_DIM)).transpose(1, 2)  # [B, H, sq, 128]
        row = Hkv * HEAD_DIM
        pages = inputs["k"]["bytes"] // (2 * row * PAGE)
        lengths, block_table = tables(inputs, torch, B)
        length = int(lengths[0].item())
        k = gather(bf16(inputs["k"], torch, (pages, PAGE, Hkv, HEAD_DIM)), block_table, torch)[:, :length]
        v = gather(bf16(inputs["v"], torch, (pages, PAGE, Hkv, HEAD_DIM)), block_table, torch)[:, :length]
        k = k.transpose(1, 2).repeat_interleave(H // Hkv, dim=1).contiguous()  # [B, H, L, 128]
        v = v.transpose(1, 2).repeat_interleave(H // Hkv, dim=1).contiguous()
        scale = 1 / math.sqrt(HEAD_DIM)
        flash = torch.ops.aten._scaled_dot_product_flash_attention
        out = {}

        def launch():
            os_, lses = [], []
            for i in range(sq):
                visible = length - sq + 1 + i
                r = flash(q[:, :, i:i + 1].contiguous(), k[:, :, :visible], v[:, :, :visible], 0.0, False, False, scale=scale)
                os_.append(r[0])
                lses.append(r[1])
            out["o"] = torch.cat(os_, dim=2).transpose(1, 2)  # [B, sq, H, 128]
            out["lse"] = torch.cat(lses, dim=2).transpose(1, 2)  # [B, sq, H]

        return launch, out


if __name__ == "__main__":
    serve(TorchSdpa())

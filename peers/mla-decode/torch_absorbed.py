#!/usr/bin/env python3
"""Absorbed MLA decode in torch eager on tilesweep's mla-decode inputs (peers/paged.py has the
layouts): the paged latent cache gathered per sequence, scores q.k^T over the 576 dims scaled by
1/sqrt(192), masked past each row's visible tokens, softmax, values = the first 512 latent dims. The
math runs in f32 over the bf16 inputs (torch has no bf16 matmul with an f32 result in eager), the
gather inside the timed launch (a paged cache must be gathered to be read). A peer of peers/protocol.py."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from protocol import require_torch_cuda, serve, torch_hello  # noqa: E402
from paged import bf16, gather, tables, visible_mask, PAGE  # noqa: E402

LATENT, ROPE = 512, 64


class TorchAbsorbed:
    def hello(self):
        torch = require_torch_cuda()
        return torch_hello(torch)

    def prepare(self, kernel, problem, inputs):
        import torch
        if kernel != "mla-decode":
            raise ValueError(f"this peer runs mla-decode, not {kernel}")
        B, sq, H = problem["B"], problem["sq"], problem["H"]
        dim = LATENT + ROPE
        q = bf16(inputs["q"], torch, (B, sq, H, dim))
        kv_words = inputs["kv"]["bytes"] // (2 * dim)
        kv = bf16(inputs["kv"], torch, (kv_words // PAGE, PAGE, dim))
        lengths, block_table = tables(inputs, torch, B)
        scale = 1 / math.sqrt(128 + ROPE)
        out = {}

        def launch():
            keys = gather(kv, block_table, torch).float()  # [B, T, 576]
            mask = visible_mask(lengths, sq, keys.shape[1], torch)  # [B, sq, T]
            keys = torch.where(mask.any(1).unsqueeze(-1), keys, torch.zeros((), device=keys.device))
            scores = torch.einsum("bshd,btd->bsht", q.float(), keys) * scale
            scores = scores.masked_fill(~mask.unsqueeze(2), float("-inf"))
            lse = torch.logsumexp(scores, dim=-1)  # [B, sq, H]
            p = torch.exp(scores - lse.unsqueeze(-1)).nan_to_num(0.0)
            out["o"] = torch.einsum("bsht,btd->bshd", p, keys[..., :LATENT])
            out["lse"] = lse

        return launch, out


if __name__ == "__main__":
    serve(TorchAbsorbed())

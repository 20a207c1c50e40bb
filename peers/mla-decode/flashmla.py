#!/usr/bin/env python3
"""FlashMLA (deepseek-ai/FlashMLA) on tilesweep's mla-decode inputs (peers/paged.py has the layouts):
the BF16 paged latent cache as it is ([pages, 64, 1, 576]), our block table and lengths, its own
scheduling metadata computed once (untimed, as a server computes it once per batch), causal inside
the step. FlashMLA is not a dependency: a copy of its built Python package must be importable
(PYTHONPATH or FLASHMLA_PATH; FLASHMLA_COMMIT is recorded when set); where it is not, `hello` refuses
cleanly and the row says why. Its o comes back in bf16 (widened here to our f32 layout), its lse as
[B, H, s_q] (transposed to ours). A peer of peers/protocol.py."""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from protocol import Unavailable, import_copy, require_torch_cuda, serve  # noqa: E402
from paged import bf16, tables, PAGE  # noqa: E402

LATENT, ROPE = 512, 64


class FlashMla:
    def __init__(self):
        self.fm = None

    def hello(self):
        torch = require_torch_cuda()
        flash_mla = import_copy("flash_mla", "FlashMLA", "FLASHMLA_PATH")
        for name in ("get_mla_metadata", "flash_mla_with_kvcache"):
            if not hasattr(flash_mla, name):
                raise Unavailable(f"this FlashMLA has no {name}")
        self.fm = flash_mla
        return {"library": "FlashMLA", "version": getattr(flash_mla, "__version__", "unknown"), "commit": os.environ.get("FLASHMLA_COMMIT", "unknown"),
                "device": torch.cuda.get_device_name(0)}

    def prepare(self, kernel, problem, inputs):
        import torch
        if kernel != "mla-decode":
            raise ValueError(f"this peer runs mla-decode, not {kernel}")
        fm = self.fm
        B, sq, H = problem["B"], problem["sq"], problem["H"]
        dim = LATENT + ROPE
        q = bf16(inputs["q"], torch, (B, sq, H, dim))
        pages = inputs["kv"]["bytes"] // (2 * dim * PAGE)
        kv = bf16(inputs["kv"], torch, (pages, PAGE, 1, dim))
        lengths, block_table = tables(inputs, torch, B)
        # FlashMLA reads only the pages a sequence's length covers; -1 entries past them are never used.
        metadata, splits = fm.get_mla_metadata(lengths, sq * H, 1)
        scale = 1 / math.sqrt(128 + ROPE)
        out = {}

        def launch():
            o, lse = fm.flash_mla_with_kvcache(q, kv, block_table, lengths, LATENT, metadata, splits, softmax_scale=scale, causal=True)
            out["o"] = o
            out["lse"] = lse.transpose(1, 2)

        return launch, out


if __name__ == "__main__":
    serve(FlashMla())

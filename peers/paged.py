"""tilesweep's paged decode inputs (kernels/attention/cuda/workload.ts) as torch tensors, for the
mla-decode and mha-decode peers. Layouts, raw little-endian:
  q [B][s_q][H][D] bf16 (two per u32); MLA kv [pages][64][576] bf16; MHA k, v [pages][64][Hkv][128] bf16;
  blockTable [B][maxPages] i32 (-1 past a sequence's pages); lengths [B] i32;
  outputs o [B][s_q][H][Dv] f32 and lse [B][s_q][H] f32 (natural log, -inf for a row that sees nothing).
Rows past a sequence's length hold NaN in the cache: a peer must mask them, not multiply by zero."""
from protocol import read_input

PAGE = 64


def bf16(spec, torch, shape):
    """A bf16 buffer (two values per u32) as a tensor of `shape`."""
    flat = read_input(spec, torch).view(torch.bfloat16)
    count = 1
    for n in shape:
        count *= n
    return flat[:count].view(*shape)


def tables(inputs, torch, batch):
    lengths = read_input(inputs["lengths"], torch)[:batch].contiguous()
    block_table = read_input(inputs["blockTable"], torch).view(batch, -1).contiguous()
    return lengths, block_table


def gather(cache, block_table, torch):
    """[pages, 64, ...] gathered per sequence into [B, maxPages * 64, ...] (pages past a sequence's end: page 0, masked later)."""
    pages = block_table.clamp(min=0).long()
    rows = cache[pages]  # [B, maxPages, 64, ...]
    return rows.reshape(rows.shape[0], rows.shape[1] * PAGE, *rows.shape[3:])


def visible_mask(lengths, sq, tokens, torch):
    """[B, s_q, T] True where query token i of sequence b may see cache token t (causal inside the step)."""
    t = torch.arange(tokens, device=lengths.device).view(1, 1, tokens)
    i = torch.arange(sq, device=lengths.device).view(1, sq, 1)
    return t < (lengths.view(-1, 1, 1) - sq + 1 + i)

"""The grouped-gemm inputs as tensors, for the grouped peers: A and C rows sorted by expert and padded
(contiguous, rowInfo: the expert of each row, -1 on padding) or [G][M_max] (masked, rowInfo: masked_m),
B [G][N][K] e4m3, A's scales per row and 128-wide K block (the last one partial when K is not a
multiple of 128), B's [G][ceil(N/128)][ceil(K/128)]."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from protocol import e4m3, k_blocks, read_input  # noqa: E402


def grouped_inputs(problem, inputs, torch):
    G, N, K = problem["G"], problem["N"], problem["K"]
    kb, nb = k_blocks(K), (N + 127) // 128
    rows = inputs["a"]["bytes"] // K
    masked = problem["layout"] == "masked"
    info = read_input(inputs["rowInfo"], torch)
    t = {
        "G": G, "N": N, "K": K, "rows": rows, "masked": masked,
        "a": e4m3(read_input(inputs["a"], torch), rows, K, torch),
        "b": e4m3(read_input(inputs["b"], torch), G * N, K, torch).view(G, N, K),
        "sa": read_input(inputs["scaleA"], torch)[: rows * kb].view(rows, kb),
        "sb": read_input(inputs["scaleB"], torch)[: G * nb * kb].view(G, nb, kb),
    }
    if masked:
        m_max = rows // G
        t.update(m_max=m_max, masked_m=info[:G].contiguous(), a3=t["a"].view(G, m_max, K), sa3=t["sa"].view(G, m_max, kb))
    else:
        t.update(m_indices=info[:rows].contiguous())
    return t

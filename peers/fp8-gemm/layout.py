"""The fp8-gemm inputs as tensors, for the fp8-gemm peers: A [M][K] and B [N][K] e4m3, A's scales per
row and 128-wide K block, B's per 128x128 block ([ceil(N/128)][ceil(K/128)]), as tilesweep lays them
out (kernels/fp8-gemm/cuda/workload.ts)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from protocol import e4m3, k_blocks, read_input  # noqa: E402


def gemm_inputs(problem, inputs, torch):
    """(M, N, K, a, b, sa, sb): the operands as float8_e4m3fn tensors and their f32 scales."""
    M, N, K = problem["M"], problem["N"], problem["K"]
    kb, nb = k_blocks(K), (N + 127) // 128
    a = e4m3(read_input(inputs["a"], torch), M, K, torch)
    b = e4m3(read_input(inputs["b"], torch), N, K, torch)
    sa = read_input(inputs["scaleA"], torch)[: M * kb].view(M, kb)
    sb = read_input(inputs["scaleB"], torch)[: nb * kb].view(nb, kb)
    return M, N, K, a, b, sa, sb

#!/usr/bin/env python3
"""Peer rows for the CUDA fp8-gemm sweep, measured on the same GPU in the same device call:
cuBLASLt block-scaled FP8 (1x128 activation scales, 128x128 weight scales, BF16 out) through
torch._scaled_mm, and cuBLAS BF16 through torch.matmul. Timing matches the runner's: CUDA events
around one launch, the L2 flushed before every sample by a write over twice the L2, median of
samples after warm-up. Each peer's output is checked against a float64 product of the
dequantized operands (relative Frobenius error), so a peer row is verified like ours.

Usage: peers.py OUT.json [M,N,K ...]   (default: the 18 DeepSeek-V3 shapes)
       peers.py --launch M,N,K [COUNT]    (COUNT launches of cuBLASLt's kernel, no timing: for a profiler)
"""
import json
import sys
import time

import torch

NK = [(2112, 7168), (24576, 1536), (32768, 512), (7168, 16384), (4096, 7168), (7168, 2048)]
MS = [64, 128, 4096]
TIME_MS = 150.0
MIN_SAMPLES, MAX_SAMPLES, WARMUP = 10, 200, 3


def flush_buffer():
    l2 = torch.cuda.get_device_properties(0).L2_cache_size
    return torch.empty(2 * l2, dtype=torch.uint8, device="cuda")


def flushed_samples(fn, flush, n):
    """n CUDA-event times (ms) of single launches, the L2 overwritten by `flush` before each."""
    starts = [torch.cuda.Event(enable_timing=True) for _ in range(n)]
    stops = [torch.cuda.Event(enable_timing=True) for _ in range(n)]
    for i in range(n):
        flush.fill_(i & 0xFF)
        starts[i].record()
        fn()
        stops[i].record()
    torch.cuda.synchronize()
    return [s.elapsed_time(e) for s, e in zip(starts, stops)]


def time_fn(fn, flush):
    for _ in range(WARMUP):
        fn()
    torch.cuda.synchronize()
    probe = sorted(flushed_samples(fn, flush, 3))[1]
    n = max(MIN_SAMPLES, min(MAX_SAMPLES, round(TIME_MS / max(probe, 1e-3))))
    return flushed_samples(fn, flush, n)


def stats(samples):
    s = sorted(samples)
    def q(p):
        pos = (len(s) - 1) * p
        lo, hi = int(pos), min(int(pos) + 1, len(s) - 1)
        return s[lo] + (s[hi] - s[lo]) * (pos - lo)
    mean = sum(s) / len(s)
    var = sum((x - mean) ** 2 for x in s) / max(1, len(s) - 1)
    rme = 1.96 * (var / len(s)) ** 0.5 / mean * 100
    return {"samplesMs": samples, "medianMs": q(0.5), "p10Ms": q(0.1), "p90Ms": q(0.9), "rme": rme}


def operands(M, N, K, gen):
    a = (torch.randn(M, K, device="cuda", generator=gen) * 100).clamp(-448, 448).to(torch.float8_e4m3fn)
    b = (torch.randn(N, K, device="cuda", generator=gen) * 100).clamp(-448, 448).to(torch.float8_e4m3fn)
    sa = torch.rand(M, K // 128, device="cuda", generator=gen) * 0.01 + 0.001
    sb = torch.rand((N + 127) // 128, K // 128, device="cuda", generator=gen) * 0.01 + 0.001
    return a, b, sa, sb


def reference(a, b, sa, sb):
    M, K = a.shape
    N = b.shape[0]
    A = a.double() * sa.double().repeat_interleave(128, dim=1)
    B = b.double() * sb.double().repeat_interleave(128, dim=0)[:N].repeat_interleave(128, dim=1)
    return A @ B.t()


def errors(out, ref):
    """Relative Frobenius error, max abs error, max error relative to |ref| past 1e-3 of its max, 1 - cosine."""
    d = out.double() - ref
    rel = (d.norm() / ref.norm()).item()
    big = ref.abs() > 1e-3 * ref.abs().max()
    max_rel = (d.abs()[big] / ref.abs()[big]).max().item()
    cos = (out.double().flatten() @ ref.flatten() / (out.double().norm() * ref.norm())).item()
    return {"relFrobenius": rel, "maxAbsErr": d.abs().max().item(), "maxRelErr": max_rel, "cosineDiff": max(0.0, 1 - cos)}


def row(M, N, K, config, st, err, tol, error=None):
    """err: errors(); the row passes when the relative Frobenius error is within tol."""
    flops = 2 * M * N * K
    base = {"kernel": "fp8-gemm", "problem": {"M": M, "N": N, "K": K}, "config": config, "role": "peer",
            "flops": flops, "bytes": M * K + N * K + 4 * M * (K // 128) + 4 * ((N + 127) // 128) * (K // 128) + 2 * M * N}
    if error is not None:
        return {**base, "status": "runtime-error", "error": error}
    ok = err["relFrobenius"] <= tol
    return {**base, **st, "status": "ok" if ok else "mismatch", "timer": "cuda-event",
            "tflops": flops / (st["medianMs"] / 1e3) / 1e12, "verified": {"ok": ok, **err}}


def launch_only(shape, count):
    """Launches torch._scaled_mm `count` times on one shape, for Nsight Compute to pick a launch."""
    M, N, K = (int(x) for x in shape.split(","))
    gen = torch.Generator(device="cuda")
    gen.manual_seed(1)
    a, b, sa, sb = operands(M, N, K, gen)
    for _ in range(count):
        torch._scaled_mm(a, b.t(), scale_a=sa.t().contiguous().t(), scale_b=sb.t(), out_dtype=torch.bfloat16)
    torch.cuda.synchronize()


def main():
    if sys.argv[1] == "--launch":
        launch_only(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3)
        return
    path = sys.argv[1]
    shapes = [tuple(int(x) for x in s.split(",")) for s in sys.argv[2:]] or [(M, N, K) for M in MS for N, K in NK]
    torch.backends.cuda.matmul.allow_tf32 = False
    flush = flush_buffer()
    gen = torch.Generator(device="cuda")
    gen.manual_seed(1)
    rows = []
    props = torch.cuda.get_device_properties(0)
    for (M, N, K) in shapes:
        a, b, sa, sb = operands(M, N, K, gen)
        ref = reference(a, b, sa, sb)
        # torch._scaled_mm wants b column-major ([K, N] view of B[N, K]), scale_a outer-dim-major
        # ([M, K/128] with stride (1, M)) and scale_b as the transpose of the [N/128, K/128] blocks.
        bt = b.t()
        sa_t = sa.t().contiguous().t()
        sb_t = sb.t()
        cfg = {"library": "cuBLASLt", "via": "torch._scaled_mm", "scaleA": "1x128", "scaleB": "128x128", "out": "bf16"}
        try:
            fn = lambda: torch._scaled_mm(a, bt, scale_a=sa_t, scale_b=sb_t, out_dtype=torch.bfloat16)
            out = fn()
            torch.cuda.synchronize()
            err = errors(out, ref)
            rows.append(row(M, N, K, cfg, stats(time_fn(fn, flush)), err, 1e-2))
        except Exception as e:  # a peer that cannot run is a row with its error, not a crash
            rows.append(row(M, N, K, cfg, None, None, None, error=str(e).split("\n")[0][:300]))
        cfg16 = {"library": "cuBLAS", "via": "torch.matmul", "dtype": "bf16", "out": "bf16"}
        try:
            a16 = (a.float() * sa.repeat_interleave(128, dim=1)).bfloat16()
            b16 = (b.float() * sb.repeat_interleave(128, dim=0)[:N].repeat_interleave(128, dim=1)).bfloat16()
            b16t = b16.t()
            fn16 = lambda: torch.matmul(a16, b16t)
            out = fn16()
            torch.cuda.synchronize()
            err = errors(out, ref)
            r = row(M, N, K, cfg16, stats(time_fn(fn16, flush)), err, 1e-2)
            r["bytes"] = 2 * (M * K + N * K + M * N)
            rows.append(r)
            del a16, b16, b16t
        except Exception as e:
            rows.append(row(M, N, K, cfg16, None, None, None, error=str(e).split("\n")[0][:300]))
        del a, b, sa, sb, ref
        torch.cuda.empty_cache()
        last = [r for r in rows[-2:]]
        print(f"M={M:5d} N={N:5d} K={K:5d} " + "  ".join(
            f"{r['config']['library']}: " + (f"{r['tflops']:7.1f} TFLOP/s err {r['verified']['relFrobenius']:.1e}" if r['status'] != 'runtime-error' else r['error'][:80])
            for r in last), flush=True)
    meta = {"torch": torch.__version__, "cuda": torch.version.cuda, "device": props.name, "smCount": props.multi_processor_count,
            "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with open(path, "w") as f:
        json.dump({"meta": meta, "runs": rows}, f)


if __name__ == "__main__":
    main()

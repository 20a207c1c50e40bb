#!/usr/bin/env python3
"""DeepGEMM's FP8 GEMM (1x128 activation scales, 128x128 weight scales, BF16 out) against cuBLASLt's
(torch._scaled_mm) on the same GPU, in the same process, in alternating settled rounds: the question
is whether the state of the art reaches the issue's 1.15 over cuBLASLt at M=4096 when both run at the
power cap, measured the way our own interleave measures (scripts/h200/interleave.ts): before each
measurement SETTLE_MS of back-to-back launches, then CUDA events around one launch with the L2 flushed
before every sample, median of the samples; each round's median kept, rounds alternate which side
goes first. DeepGEMM's output is verified against the same float64 reference as peers.py.

DeepGEMM is not a dependency: a copy of its Python package (with CUTLASS's cute/cutlass headers under
deep_gemm/include) must be importable, e.g. PYTHONPATH pointing at it; it compiles its kernels at run
time with the machine's nvcc.

With --energy-ms N each side's energy per launch follows (nvml_energy.py, the runner's method): two
alternating rounds of N ms of back-to-back launches each, so that joules, SM clock and cycles per
launch of DeepGEMM, cuBLASLt and (sweep.mjs --energy-ms) our kernels can be set side by side.

Usage: deepgemm_peer.py OUT.json [--rounds R] [--settle-ms N] [--energy-ms N] [--device-from RESULTS.json] [M,N,K ...]
       deepgemm_peer.py --launch M,N,K [COUNT]   (COUNT launches of DeepGEMM's kernel, no timing: for a profiler)
       (default: the six M=4096 shapes; --device-from takes the device block, and so the fingerprint the
       report and the gate group by, from a results file of ours measured on the same GPU)
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers import NK, errors, flush_buffer, flushed_samples, operands, reference, stats  # noqa: E402

TIME_MS = 40.0
MIN_SAMPLES, MAX_SAMPLES = 10, 200


def settle(fn, ms):
    """Back-to-back launches for `ms` of wall time (the power-capped, sustained state)."""
    torch.cuda.synchronize()
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        for _ in range(8):
            fn()
        torch.cuda.synchronize()


def measure(fn, flush, settle_ms):
    """Median of flushed, event-timed samples taken right after settling."""
    probe = sorted(flushed_samples(fn, flush, 3))[1]
    settle(fn, settle_ms)
    n = max(MIN_SAMPLES, min(MAX_SAMPLES, round(TIME_MS / max(probe, 1e-3))))
    return stats(flushed_samples(fn, flush, n))["medianMs"]


def median(xs):
    s = sorted(xs)
    return s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2


def geomean(xs):
    import math
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def launch_only(shape, count):
    """Launches DeepGEMM's kernel `count` times on one shape (the first compiles it), for Nsight Compute."""
    try:
        M, N, K = (int(x) for x in shape.split(","))
    except ValueError:
        sys.exit(f"deepgemm_peer.py: a shape is M,N,K, not {shape}")
    import deep_gemm  # the carried copy (see the docstring)
    gen = torch.Generator(device="cuda")
    gen.manual_seed(1)
    a, b, sa, sb = operands(M, N, K, gen)
    out = torch.empty(M, N, dtype=torch.bfloat16, device="cuda")
    sa_dg = deep_gemm.get_col_major_tma_aligned_tensor(sa)
    for _ in range(count):
        deep_gemm.gemm_fp8_fp8_bf16_nt((a, sa_dg), (b, sb), out)
    torch.cuda.synchronize()


def main():
    args = sys.argv[1:]
    if args and args[0] == "--launch":
        if len(args) < 2:
            sys.exit("usage: deepgemm_peer.py --launch M,N,K [COUNT]")
        launch_only(args[1], int(args[2]) if len(args) > 2 else 3)
        return
    if not args or args[0].startswith("-"):
        sys.exit("usage: deepgemm_peer.py OUT.json [--rounds R] [--settle-ms N] [M,N,K ...]")
    path, rest = args[0], args[1:]
    rounds, settle_ms, energy_ms, shapes, device_from = 3, 200.0, 0.0, [], None
    i = 0
    def value(flag, parse):
        try:
            v = parse(rest[i + 1])
        except (IndexError, ValueError):
            sys.exit(f"deepgemm_peer.py: {flag} needs a positive number, not {rest[i + 1] if i + 1 < len(rest) else 'nothing'}")
        if v <= 0:
            sys.exit(f"deepgemm_peer.py: {flag} needs a positive number, not {rest[i + 1]}")
        return v
    while i < len(rest):
        if rest[i] == "--rounds":
            rounds = value("--rounds", int); i += 2
        elif rest[i] == "--settle-ms":
            settle_ms = value("--settle-ms", float); i += 2
        elif rest[i] == "--energy-ms":
            energy_ms = value("--energy-ms", float); i += 2
        elif rest[i] == "--device-from":
            if i + 1 >= len(rest):
                sys.exit("deepgemm_peer.py: --device-from needs a results file")
            try:
                with open(rest[i + 1]) as f:
                    device_from = json.load(f)["device"]
            except (OSError, ValueError, KeyError) as e:
                sys.exit(f"deepgemm_peer.py: --device-from {rest[i + 1]}: no device block ({e.__class__.__name__})")
            i += 2
        else:
            try:
                shapes.append(tuple(int(x) for x in rest[i].split(",")))
            except ValueError:
                sys.exit(f"deepgemm_peer.py: a shape is M,N,K, not {rest[i]}")
            i += 1
    shapes = shapes or [(4096, N, K) for N, K in NK]
    import deep_gemm  # the carried copy (see the docstring)
    nvml = None
    if energy_ms:
        from nvml_energy import Nvml, energy
        nvml = Nvml()
    flush = flush_buffer()
    gen = torch.Generator(device="cuda")
    gen.manual_seed(1)
    rows, pairs = [], []
    for (M, N, K) in shapes:
        a, b, sa, sb = operands(M, N, K, gen)
        ref = reference(a, b, sa, sb)
        bt, sa_t, sb_t = b.t(), sa.t().contiguous().t(), sb.t()
        lt = lambda: torch._scaled_mm(a, bt, scale_a=sa_t, scale_b=sb_t, out_dtype=torch.bfloat16)
        out = torch.empty(M, N, dtype=torch.bfloat16, device="cuda")
        sa_dg = deep_gemm.get_col_major_tma_aligned_tensor(sa)
        dg = lambda: deep_gemm.gemm_fp8_fp8_bf16_nt((a, sa_dg), (b, sb), out)
        base = {"kernel": "fp8-gemm", "problem": {"M": M, "N": N, "K": K}, "role": "peer", "flops": 2 * M * N * K,
                "bytes": M * K + N * K + 4 * M * (K // 128) + 4 * ((N + 127) // 128) * (K // 128) + 2 * M * N}
        cfg = {"library": "DeepGEMM", "via": "deep_gemm.gemm_fp8_fp8_bf16_nt", "scaleA": "1x128", "scaleB": "128x128", "out": "bf16"}
        try:
            started = time.time()
            dg()
            torch.cuda.synchronize()
            compile_s = time.time() - started
            err_dg = errors(out, ref)
            err_lt = errors(lt(), ref)
            ok = err_dg["relFrobenius"] <= 1e-2 and err_lt["relFrobenius"] <= 1e-2
            dg_ms, lt_ms = [], []
            measure(dg, flush, settle_ms)  # one discarded measurement of each: every counted round is settled
            measure(lt, flush, settle_ms)
            for r in range(rounds):
                order = [("dg", dg), ("lt", lt)] if r % 2 == 0 else [("lt", lt), ("dg", dg)]
                for side, fn in order:
                    (dg_ms if side == "dg" else lt_ms).append(measure(fn, flush, settle_ms))
            ratio = median(lt_ms) / median(dg_ms)
            energies = {"dg": [], "lt": []}
            if nvml:
                for side, fn, ms in [("dg", dg, dg_ms), ("lt", lt, lt_ms), ("lt", lt, lt_ms), ("dg", dg, dg_ms)]:
                    energies[side].append(energy(nvml, fn, energy_ms, settle_ms, median(ms)))
            rows.append({**base, "config": cfg, "status": "ok" if ok else "mismatch", "timer": "cuda-event",
                         "samplesMs": dg_ms, "medianMs": median(dg_ms), "verified": {"ok": ok, **err_dg},
                         **({} if ok else {"error": "DeepGEMM or cuBLASLt differs from the float64 reference"})})
            pairs.append({"problem": {"M": M, "N": N, "K": K}, "deepgemmMs": dg_ms, "cublasLtMs": lt_ms,
                          "cublasLtVerified": err_lt, "ratio": ratio, "firstCallS": compile_s,
                          **({"deepgemmEnergy": energies["dg"], "cublasLtEnergy": energies["lt"]} if nvml else {})})
            tf = lambda ms: 2 * M * N * K / ms / 1e9
            print(f"M={M:5d} N={N:5d} K={K:5d} DeepGEMM {' '.join(f'{tf(x):.0f}' for x in dg_ms)} TFLOP/s, cuBLASLt "
                  f"{' '.join(f'{tf(x):.0f}' for x in lt_ms)}: cuBLASLt/DeepGEMM {ratio:.3f} (err {err_dg['relFrobenius']:.1e}; "
                  f"first call {compile_s:.1f} s)", flush=True)
            for side, name in [("dg", "DeepGEMM"), ("lt", "cuBLASLt")]:
                for e in energies[side]:
                    print(f"    energy {name}: {e['joulesPerLaunch'] * 1000:.1f} mJ, {e['msPerLaunch'] * 1000:.0f} us, "
                          f"{e['smMHz']:.0f} MHz, {e['cyclesPerLaunch'] / 1000:.0f} kcycles, {e['watts']:.0f} W ({e['method']})", flush=True)
        except Exception as e:  # a shape DeepGEMM cannot run is a row with its error, not a crash
            rows.append({**base, "config": cfg, "status": "runtime-error", "error": str(e).split("\n")[0][:300]})
            print(f"M={M} N={N} K={K}: DeepGEMM failed: {rows[-1]['error']}", flush=True)
        del a, b, sa, sb, ref, out
        torch.cuda.empty_cache()
    large = [p["ratio"] for p in pairs if p["problem"]["M"] == 4096]
    summary = {"geomeanCublasLtOverDeepGEMM": geomean([p["ratio"] for p in pairs]), "geomeanM4096": geomean(large),
               "shapes": len(shapes), "measured": len(pairs), "rounds": rounds, "settleMs": settle_ms}
    print(json.dumps(summary), flush=True)
    props = torch.cuda.get_device_properties(0)
    meta = {"torch": torch.__version__, "cuda": torch.version.cuda, "device": props.name, "smCount": props.multi_processor_count,
            "deepgemm": os.environ.get("DEEPGEMM_COMMIT", "unknown"), "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with open(path, "w") as f:
        json.dump(results_file(props.name, torch.version.cuda, meta, rows, pairs, summary, device_from), f, separators=(",", ":"))


def results_file(name, cuda, meta, rows, pairs, summary, device=None):
    """A results file of the tilesweep contract (core/results.ts): the rows are peer rows, each
    round's median a sample; the interleaved rounds with cuBLASLt and their summary ride along. The
    device block is ours (--device-from) or one built from torch's view of the GPU."""
    import hashlib
    driver = f"CUDA {cuda}"
    device = device or {"backend": "cuda", "name": name, "vendor": "NVIDIA", "driver": driver,
                        "fingerprint": hashlib.sha256(f"{name}|{driver}".encode()).hexdigest()[:16]}
    return {"schema": "tilesweep.results/1", "tool": {"name": "tilesweep", "version": "scripts/h200/deepgemm_peer.py"},
            "device": device, "createdAt": meta["createdAt"], "runs": rows, "meta": meta, "interleaved": pairs, "summary": summary}


if __name__ == "__main__":
    main()

"""The external-peer protocol (harness/peers/external.ts), for peers written in Python.

A peer module defines `hello() -> dict` (raising `Unavailable` when its library is missing) and
`prepare(kernel, problem, inputs) -> (launch, outputs)`, where `launch()` runs the library once and
`outputs` maps each output name to the tensor `launch` writes. `serve(peer)` answers requests on
stdin/stdout: it runs the peer once, writes its outputs raw to the files tilesweep named (which
verifies them against its CPU reference), then times it like tilesweep's CUDA runner: `settleMs` of
back-to-back launches, then CUDA events around single launches with the L2 overwritten before each.
"""
import json
import sys
import time
import traceback


class Unavailable(Exception):
    """The peer's library (or torch, or a GPU) is not on this machine, or cannot run this problem."""


def k_blocks(K):
    """128-wide K blocks, one scale each: the last one partial when K is not a multiple of 128."""
    return (K + 127) // 128


def require_whole_k_blocks(K, library):
    """Unavailable for a partial last K block: this peer hands `library` whole 128-wide blocks only."""
    if K % 128 != 0:
        raise Unavailable(f"K={K} ends in a partial 128-wide block; this peer hands {library} whole K blocks only")


def require_torch_cuda():
    """torch with a CUDA device, or Unavailable saying which is missing."""
    try:
        import torch
    except ImportError as e:
        raise Unavailable(f"torch is not installed ({e})")
    if not torch.cuda.is_available():
        raise Unavailable("torch sees no CUDA device")
    return torch


def torch_hello(torch):
    """What a torch-based peer says of itself."""
    return {"library": "torch", "version": torch.__version__, "cuda": torch.version.cuda, "device": torch.cuda.get_device_name(0)}


def import_copy(module, label, path_variable):
    """A library that is not a dependency: any importable copy, also from the folder $path_variable names."""
    import importlib
    import os
    if os.environ.get(path_variable):
        sys.path.insert(0, os.environ[path_variable])
    try:
        return importlib.import_module(module)
    except Exception as e:  # noqa: BLE001 - an import that fails for any reason means not available
        raise Unavailable(f"{label} is not importable ({e.__class__.__name__}: {e}); put a copy on PYTHONPATH or {path_variable}")


def read_input(spec, torch, device="cuda"):
    """A raw input buffer as a flat tensor of its element type (u32 and i32 as int32 bits, f32)."""
    import numpy as np
    dtype = {"u32": np.uint32, "i32": np.int32, "f32": np.float32}[spec["element"]]
    host = np.fromfile(spec["file"], dtype=dtype)
    if spec["element"] == "u32":
        host = host.view(np.int32)
    return torch.from_numpy(host).to(device)


def e4m3(flat, rows, cols, torch):
    """Packed e4m3 codes (four per u32, in memory order) as a rows x cols float8_e4m3fn tensor."""
    return flat.view(torch.uint8)[: rows * cols].view(torch.float8_e4m3fn).view(rows, cols)


def write_output(tensor, spec):
    """The output raw, in the type tilesweep reads it as (bf16 or f32), row-major."""
    import torch
    want = {"bf16": torch.bfloat16, "f32": torch.float32}[spec["type"]]
    t = tensor.detach().to(want).contiguous().cpu()
    data = t.view(torch.int16).numpy().tobytes() if want == torch.bfloat16 else t.numpy().tobytes()
    with open(spec["file"], "wb") as f:
        f.write(data)


class Timer:
    """Flushed, event-timed samples of single launches, as the runner takes them."""

    def __init__(self, torch):
        self.torch = torch
        l2 = torch.cuda.get_device_properties(0).L2_cache_size
        self.flush = torch.empty(2 * l2, dtype=torch.uint8, device="cuda")

    def samples(self, launch, n):
        torch = self.torch
        starts = [torch.cuda.Event(enable_timing=True) for _ in range(n)]
        stops = [torch.cuda.Event(enable_timing=True) for _ in range(n)]
        for i in range(n):
            self.flush.fill_(i & 0xFF)
            starts[i].record()
            launch()
            stops[i].record()
        torch.cuda.synchronize()
        return [s.elapsed_time(e) for s, e in zip(starts, stops)]

    def settle(self, launch, ms):
        torch = self.torch
        torch.cuda.synchronize()
        end = time.perf_counter() + ms / 1000
        while time.perf_counter() < end:
            for _ in range(8):
                launch()
            torch.cuda.synchronize()

    def measure(self, launch, timing):
        for _ in range(max(1, int(timing.get("warmup", 3)))):
            launch()
        self.torch.cuda.synchronize()
        probe = sorted(self.samples(launch, 3))[1]
        if timing.get("settleMs", 0) > 0:
            self.settle(launch, timing["settleMs"])
        n = max(int(timing.get("minSamples", 10)), min(int(timing.get("maxSamples", 200)), round(timing.get("timeMs", 150) / max(probe, 1e-3))))
        return self.samples(launch, n)


def reply(body):
    sys.stdout.write(json.dumps(body) + "\n")
    sys.stdout.flush()


def serve(peer):
    timer = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError:
            reply({"ok": False, "status": "bad-request", "error": "not JSON"})
            continue
        op = request.get("op")
        if op == "exit":
            reply({"ok": True})
            return
        if op == "hello":
            try:
                reply({"ok": True, **peer.hello()})
            except Unavailable as e:
                reply({"ok": False, "status": "unavailable", "error": str(e)})
                return
            except Exception as e:  # noqa: BLE001 - any failure to start is the peer being unavailable here
                reply({"ok": False, "status": "unavailable", "error": f"{e.__class__.__name__}: {e}".split("\n")[0][:300]})
                return
            continue
        if op != "measure":
            reply({"ok": False, "status": "bad-request", "error": f"unknown op {op!r}"})
            continue
        try:
            import torch
            timer = timer or Timer(torch)
            started = time.time()
            launch, outputs = peer.prepare(request["kernel"], request["problem"], request["inputs"])
            launch()
            torch.cuda.synchronize()
            first_s = time.time() - started
            for name, spec in request["outputs"].items():
                write_output(outputs[name], spec)
            samples = timer.measure(launch, request.get("timing", {}))
            reply({"ok": True, "samplesMs": samples, "info": {"firstCallS": first_s}})
            del launch, outputs
            torch.cuda.empty_cache()
        except Unavailable as e:
            reply({"ok": False, "status": "unavailable", "error": str(e)})
        except Exception as e:  # noqa: BLE001 - a problem the peer cannot run is a row with its error
            text = f"{e.__class__.__name__}: {e}".split("\n")[0][:300]
            traceback.print_exc(file=sys.stderr)
            reply({"ok": False, "status": "runtime-error", "error": text})

"""Energy per launch of a torch-launched kernel, measured like the runner's `energy` request
(harness/cuda/runner/runner.cpp, measureEnergy): settle, then back-to-back launches between two CUDA
events while a thread polls NVML's energy counter every millisecond (keeping its steps) and samples
the SM clock, board power and the power-cap flag every 5 ms. Power comes from the first to the last
counter step inside the span (the counter moves in steps tens of ms apart), so the joules per launch
are that power times the time per launch, and the cycles per launch the time times the mean clock.
NVML is reached through ctypes (libnvidia-ml.so.1 ships with the driver)."""
import ctypes
import threading
import time

import torch

CLOCK_SM = 1
REASON_SW_POWER_CAP = 0x4


class Nvml:
    def __init__(self):
        lib = ctypes.CDLL("libnvidia-ml.so.1")
        if lib.nvmlInit_v2() != 0:
            raise RuntimeError("nvmlInit_v2 failed")
        bus = torch.cuda.get_device_properties(0)
        pci = f"{bus.pci_domain_id:08x}:{bus.pci_bus_id:02x}:{bus.pci_device_id:02x}.0".encode()
        self.dev = ctypes.c_void_p()
        if lib.nvmlDeviceGetHandleByPciBusId_v2(pci, ctypes.byref(self.dev)) != 0:
            raise RuntimeError(f"NVML has no device at PCI bus {pci.decode()}")
        self.lib = lib
        reasons = getattr(lib, "nvmlDeviceGetCurrentClocksEventReasons", None)
        self.reasons = reasons or lib.nvmlDeviceGetCurrentClocksThrottleReasons

    def millijoules(self):
        mj = ctypes.c_ulonglong()
        self.lib.nvmlDeviceGetTotalEnergyConsumption(self.dev, ctypes.byref(mj))
        return mj.value

    def sample(self):
        """(SM MHz, board watts, capped) or None when a call fails."""
        mhz, mw, why = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_ulonglong()
        if (self.lib.nvmlDeviceGetClockInfo(self.dev, CLOCK_SM, ctypes.byref(mhz)) != 0
                or self.lib.nvmlDeviceGetPowerUsage(self.dev, ctypes.byref(mw)) != 0
                or self.reasons(self.dev, ctypes.byref(why)) != 0):
            return None
        return mhz.value, mw.value / 1000, bool(why.value & REASON_SW_POWER_CAP)


def energy(nvml, fn, span_ms, settle_ms, ms_per_launch):
    """Energy per launch of fn over about span_ms of back-to-back launches, after settle_ms of them."""
    count = max(1, round(span_ms / max(ms_per_launch, 1e-3)))
    settle_n = max(1, round(settle_ms / max(ms_per_launch, 1e-3)))
    for _ in range(settle_n):
        fn()
    torch.cuda.synchronize()
    steps, samples, done = [], [], threading.Event()
    before = nvml.millijoules()

    def poll():
        last, next_sample = before, time.perf_counter()
        while not done.is_set():
            mj = nvml.millijoules()
            if mj != last:
                steps.append((time.perf_counter(), mj))
                last = mj
            if time.perf_counter() >= next_sample:
                next_sample += 0.005
                s = nvml.sample()
                if s:
                    samples.append(s)
            time.sleep(0.001)

    sampler = threading.Thread(target=poll)
    sampler.start()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    try:
        start.record()
        for _ in range(count):
            fn()
        stop.record()
        stop.synchronize()
        end = time.perf_counter()
    finally:
        done.set()
        sampler.join()
    after = nvml.millijoules()
    gpu_ms = start.elapsed_time(stop)
    inside = [s for s in steps if s[0] <= end]
    per = gpu_ms / count
    stepped = len(inside) >= 2 and (inside[-1][0] - inside[0][0]) * 1000 >= gpu_ms / 2
    watts = ((inside[-1][1] - inside[0][1]) / 1000 / (inside[-1][0] - inside[0][0]) if stepped
             else (after - before) / 1000 / (gpu_ms / 1000))
    n = max(len(samples), 1)
    mhz = sum(s[0] for s in samples) / n
    return {"launches": count, "spanMs": gpu_ms, "msPerLaunch": per, "watts": watts,
            "method": "counter-steps" if stepped else "counter-span", "joulesPerLaunch": watts * per / 1000,
            "smMHz": mhz, "smMHzMin": min((s[0] for s in samples), default=0), "smMHzMax": max((s[0] for s in samples), default=0),
            "cyclesPerLaunch": per * mhz * 1000, "boardWatts": sum(s[1] for s in samples) / n,
            "powerCappedShare": sum(1 for s in samples if s[2]) / n, "samples": len(samples)}

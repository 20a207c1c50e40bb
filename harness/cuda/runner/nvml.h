// NVML, looked up at run time (libnvidia-ml.so.1 ships with the driver): the GPU's energy counter,
// SM clock, power draw and clock-limit reasons, for the runner's energy measurement. Declared
// here (a handful of entry points, stable ABI since NVML 5) so that the runner builds without
// nvml.h; a machine without NVML answers energy requests with the reason instead.
#pragma once
#include <dlfcn.h>
#include <string>

struct Nvml {
  using Device = void*;
  using Init = int (*)();
  using ByPciBusId = int (*)(const char*, Device*);
  using Energy = int (*)(Device, unsigned long long*);
  using Clock = int (*)(Device, int, unsigned int*);
  using Power = int (*)(Device, unsigned int*);
  using Reasons = int (*)(Device, unsigned long long*);
  static constexpr int CLOCK_SM = 1;
  // nvmlClocksEventReasonSwPowerCap: the clock is held down by the board's power limit.
  static constexpr unsigned long long REASON_SW_POWER_CAP = 0x4ull;

  Device device = nullptr;
  Energy energy = nullptr;
  Clock clock = nullptr;
  Power power = nullptr;
  Reasons reasons = nullptr;
  bool tried = false;
  std::string why;  // empty once opened

  /** Opens NVML for the GPU at this PCI bus id; empty on success, else why not (kept for later calls). */
  const std::string& open(const std::string& pciBusId) {
    if (tried) return why;
    tried = true;
    void* lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return why = std::string("libnvidia-ml.so.1 (NVML, part of the driver) not found: ") + dlerror();
    auto init = reinterpret_cast<Init>(dlsym(lib, "nvmlInit_v2"));
    auto byBus = reinterpret_cast<ByPciBusId>(dlsym(lib, "nvmlDeviceGetHandleByPciBusId_v2"));
    energy = reinterpret_cast<Energy>(dlsym(lib, "nvmlDeviceGetTotalEnergyConsumption"));
    clock = reinterpret_cast<Clock>(dlsym(lib, "nvmlDeviceGetClockInfo"));
    power = reinterpret_cast<Power>(dlsym(lib, "nvmlDeviceGetPowerUsage"));
    reasons = reinterpret_cast<Reasons>(dlsym(lib, "nvmlDeviceGetCurrentClocksEventReasons"));
    if (!reasons) reasons = reinterpret_cast<Reasons>(dlsym(lib, "nvmlDeviceGetCurrentClocksThrottleReasons"));
    if (!init || !byBus || !energy || !clock || !power || !reasons) return why = "NVML lacks an entry point the energy measurement needs";
    if (int r = init(); r != 0) return why = "nvmlInit_v2 failed: NVML error " + std::to_string(r);
    if (int r = byBus(pciBusId.c_str(), &device); r != 0) return why = "NVML has no device at PCI bus " + pciBusId + ": error " + std::to_string(r);
    unsigned long long mj = 0;
    if (int r = energy(device, &mj); r != 0) return why = "this GPU reports no energy counter: NVML error " + std::to_string(r);
    return why;
  }

  /** Millijoules since the driver loaded. */
  unsigned long long millijoules() const {
    unsigned long long mj = 0;
    energy(device, &mj);
    return mj;
  }
};

// The CUDA driver API, looked up at run time: libcuda.so.1 is opened with dlopen and every entry
// point is fetched through cuGetProcAddress for the CUDA version these headers describe, so the
// runner builds on a machine without a GPU and fails on one without a driver with a clear message.
#pragma once
#include <cuda.h>
#include <dlfcn.h>
#include <string>

#define TS_DRIVER_FUNCTIONS(X)                                                                          \
  X(cuInit) X(cuDriverGetVersion) X(cuDeviceGet) X(cuDeviceGetCount) X(cuDeviceGetName)                \
  X(cuDeviceGetAttribute) X(cuDeviceTotalMem) X(cuDevicePrimaryCtxRetain) X(cuCtxSetCurrent)            \
  X(cuModuleLoadData) X(cuModuleUnload) X(cuModuleGetFunction) X(cuFuncSetAttribute)                    \
  X(cuFuncGetAttribute) X(cuMemAlloc) X(cuMemFree) X(cuMemcpyHtoD) X(cuMemcpyDtoH) X(cuMemcpyDtoDAsync)   \
  X(cuMemsetD8)                                                                                        \
  X(cuMemsetD8Async) X(cuLaunchKernelEx) X(cuStreamCreate) X(cuStreamQuery) X(cuStreamSynchronize)      \
  X(cuEventCreate) X(cuEventRecord) X(cuEventElapsedTime) X(cuEventDestroy) X(cuTensorMapEncodeTiled)    \
  X(cuGetErrorString) X(cuStreamBeginCapture) X(cuStreamEndCapture) X(cuGraphInstantiateWithFlags)               \
  X(cuGraphLaunch) X(cuGraphExecDestroy) X(cuGraphDestroy) X(cuCtxSynchronize) X(cuDeviceGetPCIBusId)

#define TS_TYPE(fn) using fn##_fn = decltype(&::fn);
TS_DRIVER_FUNCTIONS(TS_TYPE)
#undef TS_TYPE

struct Driver {
#define TS_DECLARE(fn) fn##_fn fn = nullptr;
  TS_DRIVER_FUNCTIONS(TS_DECLARE)
#undef TS_DECLARE

  /** Empty on success, else what is missing. */
  std::string load() {
    void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) lib = dlopen("libcuda.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return std::string("libcuda.so.1 (the NVIDIA driver) not found: ") + dlerror();
    using GetProc = CUresult (*)(const char*, void**, int, cuuint64_t, CUdriverProcAddressQueryResult*);
    auto getProc = reinterpret_cast<GetProc>(dlsym(lib, "cuGetProcAddress_v2"));
    if (!getProc) return "libcuda.so.1 has no cuGetProcAddress_v2: the driver is older than CUDA 12";
    std::string missing;
#define TS_LOAD(fn)                                                                                      \
  {                                                                                                    \
    void* p = nullptr;                                                                                 \
    CUdriverProcAddressQueryResult status;                                                             \
    if (getProc(#fn, &p, CUDA_VERSION, CU_GET_PROC_ADDRESS_DEFAULT, &status) != CUDA_SUCCESS || !p)     \
      missing += std::string(missing.empty() ? "" : ", ") + #fn;                                       \
    fn = reinterpret_cast<decltype(fn)>(p);                                                            \
  }
    TS_DRIVER_FUNCTIONS(TS_LOAD)
#undef TS_LOAD
    if (!missing.empty()) return "the driver lacks " + missing + " (needs a driver for CUDA " + std::to_string(CUDA_VERSION / 1000) + ")";
    return "";
  }

  std::string error(CUresult r) const {
    const char* text = nullptr;
    if (cuGetErrorString) cuGetErrorString(r, &text);
    return std::string(text ? text : "unknown CUDA error") + " (" + std::to_string(static_cast<int>(r)) + ")";
  }
};

// tilesweep's CUDA runner: one JSON request per stdin line, one JSON reply per stdout line.
// It loads cubins (compiled by the client with nvcc), owns device buffers filled from files,
// launches with TMA tensor maps built on the host, times with CUDA events with the L2 flushed
// before every timed sample (a memset over twice the L2), optionally replays through a CUDA graph,
// and reads outputs back to files. A fault that poisons the context (illegal address, a launch
// past its time limit) is answered, then the process exits: the client restarts it.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <thread>

#include <memory>

#include "driver.h"
#include "json.h"
#include "library.h"
#include "nvml.h"

namespace {

Driver cu;
Nvml nvml;
CUdevice device;
CUcontext context;
CUstream stream;
CUdeviceptr flushBuffer = 0;
size_t flushBytes = 0;
// A device allocation that only grows: reallocated when a request needs more than it holds.
struct GrowOnly {
  CUdeviceptr ptr = 0;
  size_t bytes = 0;
};
// Kernel scratch (a 'scratch' parameter: e.g. the split tail's partial sums and arrival counters):
// zeroed before every request's launches; kernels leave it zeroed.
GrowOnly scratch;
#if TS_HAVE_CUBLASLT
Lt lt;
CUdeviceptr ltWorkspace = 0;
constexpr size_t LT_WORKSPACE_BYTES = 32u << 20;
// The activation scales in the order cuBLASLt's VEC128 mode reads them (rows fastest), and the
// weight scales with their rows padded to a multiple of 4 floats.
GrowOnly ltScaleA, ltScaleB;
#endif

struct Buffer { CUdeviceptr ptr; size_t bytes; };
std::map<std::string, Buffer> buffers;
std::map<long long, CUmodule> modules;
long long nextModule = 1;

struct Failure {
  std::string status;  // compile-error, runtime-error, timeout, bad-request
  std::string message;
  bool fatal;          // the context is unusable: exit after replying
};

void check(CUresult r, const char* what, bool fatal = true) {
  if (r != CUDA_SUCCESS) throw Failure{"runtime-error", std::string(what) + ": " + cu.error(r), fatal};
}

/** At least `bytes` in `a` (its old contents are not kept when it grows). */
void grow(GrowOnly& a, size_t bytes, const char* what, bool fatal = true) {
  if (bytes <= a.bytes) return;
  if (a.ptr) cu.cuMemFree(a.ptr);
  a = GrowOnly{};
  check(cu.cuMemAlloc(&a.ptr, bytes), what, fatal);
  a.bytes = bytes;
}

void reply(const std::string& body) {
  std::cout << body << "\n";
  std::cout.flush();
}

int attribute(CUdevice_attribute a) {
  int v = 0;
  cu.cuDeviceGetAttribute(&v, a, device);
  return v;
}

// Which GPU this runner drives (TILESWEEP_CUDA_DEVICE, default 0) and how many the host has: a
// multi-GPU sweep starts one runner per GPU and checks the ordinals it was given against the count.
int deviceOrdinal = 0;
int deviceCount = 0;

std::string hello() {
  char name[256] = {0};
  cu.cuDeviceGetName(name, sizeof name, device);
  int driver = 0;
  cu.cuDriverGetVersion(&driver);
  size_t total = 0;
  cu.cuDeviceTotalMem(&total, device);
  std::string out = "{\"ok\":true,\"name\":" + jsonQuote(name);
  out += ",\"driverVersion\":" + std::to_string(driver);
  out += ",\"computeCapability\":\"" + std::to_string(attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)) + "." +
         std::to_string(attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)) + "\"";
  out += ",\"smCount\":" + std::to_string(attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT));
  out += ",\"clockKHz\":" + std::to_string(attribute(CU_DEVICE_ATTRIBUTE_CLOCK_RATE));
  out += ",\"memoryClockKHz\":" + std::to_string(attribute(CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE));
  out += ",\"memoryBusWidth\":" + std::to_string(attribute(CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH));
  out += ",\"l2Bytes\":" + std::to_string(attribute(CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE));
  out += ",\"sharedPerBlockOptinBytes\":" + std::to_string(attribute(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN));
  out += ",\"sharedPerSmBytes\":" + std::to_string(attribute(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR));
  out += ",\"registersPerBlock\":" + std::to_string(attribute(CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK));
  out += ",\"registersPerSm\":" + std::to_string(attribute(CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR));
  out += ",\"clusterLaunch\":" + std::to_string(attribute(CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH));
  out += ",\"totalMemoryBytes\":" + jsonNumber(static_cast<double>(total));
  out += ",\"ordinal\":" + std::to_string(deviceOrdinal) + ",\"deviceCount\":" + std::to_string(deviceCount);
  out += ",\"cudaHeaders\":" + std::to_string(CUDA_VERSION) + "}";
  return out;
}

std::vector<char> readFile(const std::string& path) {
  // Sized and read in one call: a model layer's weights pass 2 GiB, too slow a byte at a time.
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Failure{"bad-request", "cannot read " + path, false};
  const std::streamsize size = in.tellg();
  std::vector<char> data(static_cast<size_t>(size > 0 ? size : 0));
  in.seekg(0);
  if (size > 0 && !in.read(data.data(), size)) throw Failure{"bad-request", "cannot read " + path, false};
  return data;
}

const Buffer& bufferNamed(const std::string& name) {
  auto it = buffers.find(name);
  if (it == buffers.end()) throw Failure{"bad-request", "no buffer named " + name, false};
  return it->second;
}

std::string load(const Json& req) {
  std::vector<char> image = readFile(req["cubin"].text());
  CUmodule module;
  CUresult r = cu.cuModuleLoadData(&module, image.data());
  if (r != CUDA_SUCCESS) throw Failure{"compile-error", "cuModuleLoadData: " + cu.error(r), false};
  long long id = nextModule++;
  modules[id] = module;
  return "{\"ok\":true,\"module\":" + std::to_string(id) + "}";
}

std::string alloc(const Json& req) {
  for (const Json& b : req["buffers"].items) {
    const std::string name = b["name"].text();
    const size_t bytes = static_cast<size_t>(b["bytes"].integer());
    auto old = buffers.find(name);
    if (old != buffers.end()) { cu.cuMemFree(old->second.ptr); buffers.erase(old); }
    CUdeviceptr ptr;
    check(cu.cuMemAlloc(&ptr, bytes ? bytes : 1), "cuMemAlloc", false);
    buffers[name] = Buffer{ptr, bytes};
    if (b.has("file")) {
      std::vector<char> data = readFile(b["file"].text());
      if (data.size() != bytes) throw Failure{"bad-request", name + ": file holds " + std::to_string(data.size()) + " bytes, not " + std::to_string(bytes), false};
      check(cu.cuMemcpyHtoD(ptr, data.data(), bytes), "cuMemcpyHtoD");
    }
  }
  return "{\"ok\":true}";
}

std::string release(const Json& req) {
  for (const Json& n : req["names"].items) {
    auto it = buffers.find(n.text());
    if (it != buffers.end()) { cu.cuMemFree(it->second.ptr); buffers.erase(it); }
  }
  return "{\"ok\":true}";
}

/** Kernel arguments of one launch: storage that outlives the launch call, and pointers into it. */
struct Arguments {
  struct alignas(64) Slot { unsigned char bytes[128]; };
  std::vector<Slot> slots;
  std::vector<void*> pointers;
};

/**
 * The f32 matrix at `from` ([cols][rows]) transposed into `to` ([rows][cols], rows `pitch` floats
 * apart, the padding zero), e.g. activation scales [M][K/128] handed over rows fastest. Returns the bytes.
 */
size_t transposedCopy(CUdeviceptr from, size_t rows, size_t cols, size_t pitch, GrowOnly& to) {
  std::vector<float> in(rows * cols), out(rows * pitch, 0.0f);
  check(cu.cuMemcpyDtoH(in.data(), from, in.size() * sizeof(float)), "cuMemcpyDtoH (transposed copy)");
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) out[r * pitch + c] = in[c * rows + r];
  grow(to, out.size() * sizeof(float), "cuMemAlloc (transposed copy)");
  check(cu.cuMemcpyHtoD(to.ptr, out.data(), out.size() * sizeof(float)), "cuMemcpyHtoD (transposed copy)");
  return out.size() * sizeof(float);
}

// Copies of buffers for tensor maps (a "copy" parameter), one per buffer and offset: the launches of
// one request (one per group of a grouped product) each keep their own slice's copy.
std::map<std::string, GrowOnly> copies;

// A parameter's "offsetBytes" (default 0): it starts that far into its buffer (one launch per group
// of a grouped product over the group's rows). Tensor maps need it 16-byte aligned.
Buffer offsetInto(Buffer b, const Json& p) {
  if (!p.has("offsetBytes")) return b;
  const int64_t offset = p["offsetBytes"].integer();
  if (offset < 0 || static_cast<uint64_t>(offset) > b.bytes || (p["kind"].text() == "tensor-map" && offset % 16 != 0))
    throw Failure{"bad-request", "offsetBytes " + std::to_string(offset) + " outside buffer " + p["buffer"].text() + " or not 16-byte aligned for a tensor map", false};
  return Buffer{b.ptr + static_cast<CUdeviceptr>(offset), b.bytes - static_cast<size_t>(offset)};
}

void buildArguments(const Json& launch, Arguments& args) {
  const auto& params = launch["params"].items;
  args.slots.resize(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    const Json& p = params[i];
    const std::string& kind = p["kind"].text();
    void* slot = args.slots[i].bytes;
    if (kind == "pointer") {
      CUdeviceptr ptr = offsetInto(bufferNamed(p["buffer"].text()), p).ptr;
      std::memcpy(slot, &ptr, sizeof ptr);
    } else if (kind == "scratch") {
      const int64_t bytes = p["bytes"].integer();
      if (bytes <= 0) throw Failure{"bad-request", "scratch of " + std::to_string(bytes) + " bytes", false};
      grow(scratch, static_cast<size_t>(bytes), "cuMemAlloc (scratch)", false);
      check(cu.cuMemsetD8Async(scratch.ptr, 0, static_cast<size_t>(bytes), stream), "cuMemsetD8Async (scratch)");
      std::memcpy(slot, &scratch.ptr, sizeof scratch.ptr);
    } else if (kind == "i32") {
      int v = static_cast<int>(p["value"].integer());
      std::memcpy(slot, &v, sizeof v);
    } else if (kind == "tensor-map") {
      Buffer b = offsetInto(bufferNamed(p["buffer"].text()), p);
      // Elements of 1 byte (e4m3 operands), 2 (bf16 output) or 4 (f32 output or scales); 128B swizzle
      // unless "swizzle" is "none" (scale vectors).
      const int64_t elementBytes = p.has("elementBytes") ? p["elementBytes"].integer() : 1;
      const CUtensorMapDataType type = elementBytes == 1 ? CU_TENSOR_MAP_DATA_TYPE_UINT8
                                       : elementBytes == 2 ? CU_TENSOR_MAP_DATA_TYPE_BFLOAT16
                                                           : CU_TENSOR_MAP_DATA_TYPE_FLOAT32;
      if (elementBytes != 1 && elementBytes != 2 && elementBytes != 4)
        throw Failure{"bad-request", "tensor map element size must be 1, 2 or 4 bytes, not " + std::to_string(elementBytes), false};
      cuuint64_t dims[2] = {static_cast<cuuint64_t>(p["cols"].integer()), static_cast<cuuint64_t>(p["rows"].integer())};
      cuuint64_t strides[1] = {dims[0] * static_cast<cuuint64_t>(elementBytes)};
      // A copy of f32 elements made here (untimed, like cuBLASLt's activation scales): the map's
      // matrix from its transpose in the buffer ([cols][rows]), rows padded to 16 bytes as TMA wants.
      if (p.has("copy")) {
        if (p["copy"].text() != "transpose") throw Failure{"bad-request", "tensor map copy must be transpose, not " + p["copy"].text(), false};
        if (elementBytes != 4) throw Failure{"bad-request", "tensor map copies are of 4-byte elements, not " + std::to_string(elementBytes), false};
        if (dims[0] * dims[1] * 4 > b.bytes) throw Failure{"bad-request", "tensor map copy larger than buffer " + p["buffer"].text(), false};
        GrowOnly& to = copies[p["buffer"].text() + "@" + std::to_string(p.has("offsetBytes") ? p["offsetBytes"].integer() : 0)];
        const size_t bytes = transposedCopy(b.ptr, dims[1], dims[0], (dims[0] + 3) / 4 * 4, to);
        b = Buffer{to.ptr, bytes};
        strides[0] = (dims[0] + 3) / 4 * 16;
      }
      const std::string swizzle = p.has("swizzle") ? p["swizzle"].text() : "128B";
      if (swizzle != "128B" && swizzle != "none") throw Failure{"bad-request", "tensor map swizzle must be 128B or none, not " + swizzle, false};
      cuuint32_t box[2] = {static_cast<cuuint32_t>(p["boxCols"].integer()), static_cast<cuuint32_t>(p["boxRows"].integer())};
      cuuint32_t elementStrides[2] = {1, 1};
      if (strides[0] * (dims[1] - 1) + dims[0] * elementBytes > b.bytes) throw Failure{"bad-request", "tensor map larger than buffer " + p["buffer"].text(), false};
      // OOB_FILL_NONE: a box's elements outside the map land as zeros. A K that ends in a partial
      // 128-wide block relies on it: the map has the true K, the kernel walks whole blocks past it.
      CUresult r = cu.cuTensorMapEncodeTiled(reinterpret_cast<CUtensorMap*>(slot), type, 2,
                                             reinterpret_cast<void*>(b.ptr), dims, strides, box, elementStrides,
                                             CU_TENSOR_MAP_INTERLEAVE_NONE, swizzle == "none" ? CU_TENSOR_MAP_SWIZZLE_NONE : CU_TENSOR_MAP_SWIZZLE_128B,
                                             CU_TENSOR_MAP_L2_PROMOTION_L2_256B, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
      if (r != CUDA_SUCCESS) throw Failure{"runtime-error", "cuTensorMapEncodeTiled(" + p["buffer"].text() + "): " + cu.error(r), false};
    } else {
      throw Failure{"bad-request", "unknown parameter kind " + kind, false};
    }
    args.pointers.push_back(slot);
  }
}

/** A device-to-device copy enqueued in place of a kernel (the "memcpy-d2d" library launch). */
struct DeviceCopy {
  CUdeviceptr dst = 0, src = 0;
  size_t bytes = 0;
};

struct Prepared {
  CUfunction function;
  CUlaunchConfig config;
  CUlaunchAttribute attributes[1];
  Arguments args;
  // The copy roof: cuMemcpyDtoDAsync of a whole buffer (bytes 0: not a copy).
  DeviceCopy copy;
#if TS_HAVE_CUBLASLT
  // A library launch ("library": "cublaslt-fp8-blockscaled" or "cublaslt-bf16"): a planned cublasLtMatmul.
  std::unique_ptr<LtMatmul> library;
#endif
};

template <typename T>
T slotValue(const Arguments& args, size_t i) {
  T v;
  std::memcpy(&v, args.slots.at(i).bytes, sizeof v);
  return v;
}

#if TS_HAVE_CUBLASLT
/** Our activation scales ([M][K/128], K blocks fastest) copied rows-fastest ([K/128][M]). */
CUdeviceptr outerMajorScales(CUdeviceptr scaleA, int M, int K) {
  const size_t kb = (static_cast<size_t>(K) + 127) / 128;
  transposedCopy(scaleA, kb, static_cast<size_t>(M), static_cast<size_t>(M), ltScaleA);
  return ltScaleA.ptr;
}

/**
 * Our weight scales ([N/128][K/128], K blocks fastest) with each row padded to a multiple of 4
 * floats, the leading dimension cuBLASLt's 128x128 mode reads them with. Seen on the H200: its output
 * verified at every K whose block count is a multiple of 4 and at none of the others (18 blocks at
 * K=2304, 5 at K=576) when handed unpadded rows. The same buffer when the count already is one.
 */
CUdeviceptr paddedBlockScales(CUdeviceptr scaleB, int N, int K) {
  const size_t kb = (static_cast<size_t>(K) + 127) / 128, nb = (static_cast<size_t>(N) + 127) / 128, pitch = (kb + 3) / 4 * 4;
  if (pitch == kb) return scaleB;
  std::vector<float> in(nb * kb), out(nb * pitch, 0.0f);
  check(cu.cuMemcpyDtoH(in.data(), scaleB, in.size() * sizeof(float)), "cuMemcpyDtoH (padded scales)");
  for (size_t r = 0; r < nb; ++r)
    for (size_t c = 0; c < kb; ++c) out[r * pitch + c] = in[r * kb + c];
  grow(ltScaleB, out.size() * sizeof(float), "cuMemAlloc (padded scales)");
  check(cu.cuMemcpyHtoD(ltScaleB.ptr, out.data(), out.size() * sizeof(float)), "cuMemcpyHtoD (padded scales)");
  return ltScaleB.ptr;
}
#endif

/**
 * The memory roof measured beside a kernel: the driver's device-to-device copy of the whole first
 * buffer (params src, dst: pointers) into the second, on the stream and timing of every launch.
 */
void prepareCopy(const Json& launch, Prepared& p) {
  const auto& params = launch["params"].items;
  if (params.size() != 2 || params[0]["kind"].text() != "pointer" || params[1]["kind"].text() != "pointer")
    throw Failure{"bad-request", "memcpy-d2d takes two pointers: src, dst", false};
  const Buffer& src = bufferNamed(params[0]["buffer"].text());
  const Buffer& dst = bufferNamed(params[1]["buffer"].text());
  if (dst.bytes < src.bytes) throw Failure{"bad-request", "memcpy-d2d: dst is smaller than src", false};
  p.copy = DeviceCopy{dst.ptr, src.ptr, src.bytes};
}

void prepareLibrary(const Json& launch, Prepared& p) {
  const std::string name = launch["library"].text();
  if (name == "memcpy-d2d") return prepareCopy(launch, p);
  if (name != "cublaslt-fp8-blockscaled" && name != "cublaslt-bf16") throw Failure{"bad-request", "unknown library launch " + name, false};
#if TS_HAVE_CUBLASLT
  const std::string missing = lt.load();
  if (!missing.empty()) throw Failure{"runtime-error", missing, false};
  if (!ltWorkspace) check(cu.cuMemAlloc(&ltWorkspace, LT_WORKSPACE_BYTES), "cuMemAlloc (cuBLASLt workspace)");
  buildArguments(launch, p.args);
  if (name == "cublaslt-bf16") {
    // The BF16 peer: params a16, b16, c, M, N, K.
    if (p.args.slots.size() != 6) throw Failure{"bad-request", "cublaslt-bf16 takes a16, b16, c, M, N, K", false};
    p.library = std::make_unique<LtMatmul>();
    const std::string why = p.library->planBf16(lt, slotValue<CUdeviceptr>(p.args, 0), slotValue<CUdeviceptr>(p.args, 1), slotValue<CUdeviceptr>(p.args, 2),
                                                slotValue<int>(p.args, 3), slotValue<int>(p.args, 4), slotValue<int>(p.args, 5), ltWorkspace, LT_WORKSPACE_BYTES);
    if (!why.empty()) throw Failure{"runtime-error", why, false};
    return;
  }
  if (p.args.slots.size() != 8) throw Failure{"bad-request", "cublaslt-fp8-blockscaled takes a, b, scaleA, scaleB, c, M, N, K", false};
  p.library = std::make_unique<LtMatmul>();
  const int M = slotValue<int>(p.args, 5), N = slotValue<int>(p.args, 6), K = slotValue<int>(p.args, 7);
  // torch._scaled_mm hands cuBLASLt 1x128 scales outer-dim-major (stride (1, M)): rows fastest.
  const bool outerMajor = !launch.has("scaleAOrder") || launch["scaleAOrder"].text() == "rows-fastest";
  const CUdeviceptr scaleA = outerMajor ? outerMajorScales(slotValue<CUdeviceptr>(p.args, 2), M, K) : slotValue<CUdeviceptr>(p.args, 2);
  const CUdeviceptr scaleB = paddedBlockScales(slotValue<CUdeviceptr>(p.args, 3), N, K);
  const std::string why = p.library->plan(lt, slotValue<CUdeviceptr>(p.args, 0), slotValue<CUdeviceptr>(p.args, 1), scaleA,
                                          scaleB, slotValue<CUdeviceptr>(p.args, 4), M, N, K, ltWorkspace, LT_WORKSPACE_BYTES);
  if (!why.empty()) throw Failure{"runtime-error", why, false};
#else
  (void)p;
  throw Failure{"runtime-error", "this runner was built without cublasLt.h: no cuBLASLt launches", false};
#endif
}

void prepare(CUmodule module, const Json& launch, Prepared& p) {
  if (launch.has("library")) return prepareLibrary(launch, p);
  const std::string entry = launch["entryPoint"].text();
  CUresult r = cu.cuModuleGetFunction(&p.function, module, entry.c_str());
  if (r != CUDA_SUCCESS) throw Failure{"compile-error", "no kernel " + entry + ": " + cu.error(r), false};
  const int shared = static_cast<int>(launch["sharedBytes"].integer());
  r = cu.cuFuncSetAttribute(p.function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, shared);
  if (r != CUDA_SUCCESS) throw Failure{"runtime-error", "dynamic shared memory of " + std::to_string(shared) + " bytes refused: " + cu.error(r), false};
  std::memset(&p.config, 0, sizeof p.config);
  p.config.gridDimX = launch["grid"][0].integer();
  p.config.gridDimY = launch["grid"][1].integer();
  p.config.gridDimZ = launch["grid"][2].integer();
  p.config.blockDimX = launch["block"][0].integer();
  p.config.blockDimY = launch["block"][1].integer();
  p.config.blockDimZ = launch["block"][2].integer();
  p.config.sharedMemBytes = shared;
  p.config.hStream = stream;
  if (launch.has("cluster") && launch["cluster"].kind == Json::Array) {
    p.attributes[0].id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
    p.attributes[0].value.clusterDim.x = launch["cluster"][0].integer();
    p.attributes[0].value.clusterDim.y = launch["cluster"][1].integer();
    p.attributes[0].value.clusterDim.z = launch["cluster"][2].integer();
    p.config.attrs = p.attributes;
    p.config.numAttrs = 1;
  }
  buildArguments(launch, p.args);
}

CUmodule moduleOf(const Json& req) {
  auto it = modules.find(req["module"].integer());
  if (it == modules.end()) throw Failure{"bad-request", "no module " + std::to_string(req["module"].integer()), false};
  return it->second;
}

void enqueue(std::vector<Prepared>& launches) {
  for (Prepared& p : launches) {
    if (p.copy.bytes > 0) {
      check(cu.cuMemcpyDtoDAsync(p.copy.dst, p.copy.src, p.copy.bytes, stream), "cuMemcpyDtoDAsync");
      continue;
    }
#if TS_HAVE_CUBLASLT
    if (p.library) {
      const cublasStatus_t s = p.library->enqueue(stream);
      if (s != CUBLAS_STATUS_SUCCESS) throw Failure{"runtime-error", "cublasLtMatmul: status " + std::to_string(static_cast<int>(s)), true};
      continue;
    }
#endif
    check(cu.cuLaunchKernelEx(&p.config, p.function, p.args.pointers.data(), nullptr), "cuLaunchKernelEx");
  }
}

/** Waits for the stream; a launch still running after limitMs is a timeout (the context is lost). */
void await(double limitMs) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    CUresult r = cu.cuStreamQuery(stream);
    if (r == CUDA_SUCCESS) return;
    if (r != CUDA_ERROR_NOT_READY) check(r, "kernel execution");
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (ms > limitMs) throw Failure{"timeout", "launch did not finish within " + jsonNumber(limitMs) + " ms", true};
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

std::vector<Prepared> prepareAll(const Json& req) {
  CUmodule module = moduleOf(req);
  std::vector<Prepared> launches(req["launches"].items.size());
  for (size_t i = 0; i < launches.size(); ++i) prepare(module, req["launches"][i], launches[i]);
  return launches;
}

std::string run(const Json& req) {
  std::vector<Prepared> launches = prepareAll(req);
  // Poison outputs (all bytes 0xff: NaN in f32 and bf16) so an element nothing wrote fails verification.
  for (const Json& n : req["poison"].items) {
    const Buffer& b = bufferNamed(n.text());
    check(cu.cuMemsetD8Async(b.ptr, 0xff, b.bytes, stream), "cuMemsetD8Async");
  }
  enqueue(launches);
  await(req["limitMs"].number(10000));
  return "{\"ok\":true}";
}

/** A request's launches, replayed as one CUDA graph (captured once) or enqueued one by one. */
class Replay {
 public:
  Replay(std::vector<Prepared>& launches, bool graph) : launches_(launches) {
    if (!graph) return;
    check(cu.cuStreamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL), "cuStreamBeginCapture");
    enqueue(launches_);
    check(cu.cuStreamEndCapture(stream, &graph_), "cuStreamEndCapture");
    check(cu.cuGraphInstantiateWithFlags(&exec_, graph_, 0), "cuGraphInstantiate");
  }
  ~Replay() {
    if (exec_) cu.cuGraphExecDestroy(exec_);
    if (graph_) cu.cuGraphDestroy(graph_);
  }
  Replay(const Replay&) = delete;
  Replay& operator=(const Replay&) = delete;
  void launch() {
    if (exec_) check(cu.cuGraphLaunch(exec_, stream), "cuGraphLaunch");
    else enqueue(launches_);
  }

 private:
  std::vector<Prepared>& launches_;
  CUgraph graph_ = nullptr;
  CUgraphExec exec_ = nullptr;
};

bool wantsGraph(const Json& req) { return req["graph"].kind == Json::Bool && req["graph"].b; }

/** Milliseconds between two recorded events (created and destroyed here). */
class EventPair {
 public:
  EventPair() {
    check(cu.cuEventCreate(&start, CU_EVENT_DEFAULT), "cuEventCreate");
    check(cu.cuEventCreate(&end, CU_EVENT_DEFAULT), "cuEventCreate");
  }
  ~EventPair() { cu.cuEventDestroy(start); cu.cuEventDestroy(end); }
  EventPair(const EventPair&) = delete;
  EventPair& operator=(const EventPair&) = delete;
  float ms() const {
    float v = 0;
    check(cu.cuEventElapsedTime(&v, start, end), "cuEventElapsedTime");
    return v;
  }
  CUevent start = nullptr, end = nullptr;
};

std::string timeLaunches(const Json& req) {
  std::vector<Prepared> launches = prepareAll(req);
  const int warmup = static_cast<int>(req["warmup"].integer(3));
  const int samples = static_cast<int>(req["samples"].integer(20));
  const bool flush = req["flushL2"].kind != Json::Bool || req["flushL2"].b;
  const double limitMs = req["limitMs"].number(10000);

  Replay replay(launches, wantsGraph(req));
  for (int i = 0; i < warmup; ++i) replay.launch();
  await(limitMs * (warmup + 1));

  std::vector<EventPair> events(samples);
  for (int i = 0; i < samples; ++i) {
    if (flush) check(cu.cuMemsetD8Async(flushBuffer, static_cast<unsigned char>(i), flushBytes, stream), "L2 flush");
    check(cu.cuEventRecord(events[i].start, stream), "cuEventRecord");
    replay.launch();
    check(cu.cuEventRecord(events[i].end, stream), "cuEventRecord");
  }
  await(limitMs * samples + 1000);
  std::string list;
  for (int i = 0; i < samples; ++i) list += (i ? "," : "") + jsonNumber(events[i].ms());
  return "{\"ok\":true,\"samplesMs\":[" + list + "],\"flushBytes\":" + jsonNumber(static_cast<double>(flush ? flushBytes : 0)) + "}";
}

/**
 * Energy of the launches at the sustained state: `settle` untimed launches, then `count` back to
 * back (no L2 flush in between: the flush's own energy would be counted) between two events.
 * NVML's energy counter advances in steps (tens of milliseconds apart on an H200), so a second
 * thread polls it (every millisecond, plus the time NVML's calls take) and notes when each step lands: the power over the span is the
 * energy between the first and the last step inside it over the host time between them, which no
 * step's size can bias. The same thread samples the SM clock, the board power and whether the power
 * cap holds the clock down, every 5 ms.
 */
std::string measureEnergy(const Json& req) {
  char bus[64] = {0};
  check(cu.cuDeviceGetPCIBusId(bus, sizeof bus, device), "cuDeviceGetPCIBusId");
  if (!nvml.open(bus).empty()) throw Failure{"unavailable", nvml.why, false};
  std::vector<Prepared> launches = prepareAll(req);
  const int settle = static_cast<int>(req["settle"].integer(0));
  const int count = static_cast<int>(req["count"].integer());
  const double limitMs = req["limitMs"].number(10000);
  if (count < 1) throw Failure{"bad-request", "energy needs a count of at least 1 launch, not " + std::to_string(count), false};

  Replay replay(launches, wantsGraph(req));
  for (int i = 0; i < settle; ++i) replay.launch();
  await(limitMs * (settle + 1));

  using Clock = std::chrono::steady_clock;
  struct Step { Clock::time_point at; unsigned long long mj; };
  struct Samples { double mhz = 0, watts = 0, mhzMin = 1e9, mhzMax = 0; int n = 0, capped = 0; } s;
  std::vector<Step> steps;
  std::atomic<bool> done{false};
  const unsigned long long before = nvml.millijoules();
  std::thread sampler([&]() {
    unsigned long long last = before;
    Clock::time_point nextSample = Clock::now();
    while (!done.load()) {
      const unsigned long long mj = nvml.millijoules();
      if (mj != last) { steps.push_back({Clock::now(), mj}); last = mj; }
      // (NVML calls take about a millisecond each: the clock and power every 5 ms of time, not of polls.)
      if (Clock::now() >= nextSample) {
        nextSample += std::chrono::milliseconds(5);
        unsigned int mhz = 0, mw = 0;
        unsigned long long why = 0;
        if (nvml.clock(nvml.device, Nvml::CLOCK_SM, &mhz) == 0 && nvml.power(nvml.device, &mw) == 0 && nvml.reasons(nvml.device, &why) == 0) {
          s.mhz += mhz;
          s.watts += mw / 1000.0;
          s.mhzMin = std::min<double>(s.mhzMin, mhz);
          s.mhzMax = std::max<double>(s.mhzMax, mhz);
          s.capped += (why & Nvml::REASON_SW_POWER_CAP) ? 1 : 0;
          ++s.n;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  EventPair span;
  Clock::time_point end;
  try {
    check(cu.cuEventRecord(span.start, stream), "cuEventRecord");
    for (int i = 0; i < count; ++i) replay.launch();
    check(cu.cuEventRecord(span.end, stream), "cuEventRecord");
    await(limitMs * count + 1000);
    end = Clock::now();
  } catch (...) {
    done = true;
    sampler.join();
    throw;
  }
  const unsigned long long after = nvml.millijoules();
  done = true;
  sampler.join();
  // Steps that landed while the launches ran (the first one after the span began is the first
  // whole interval's start; anything after the stream drained is dropped).
  std::vector<Step> inside;
  for (const Step& st : steps) if (st.at <= end) inside.push_back(st);
  const double n = std::max(s.n, 1);
  std::string out = "{\"ok\":true,\"launches\":" + std::to_string(count) + ",\"gpuMs\":" + jsonNumber(span.ms());
  out += ",\"joules\":" + jsonNumber(static_cast<double>(after - before) / 1000.0);
  if (inside.size() >= 2) {
    const double ms = std::chrono::duration<double, std::milli>(inside.back().at - inside.front().at).count();
    out += ",\"steps\":" + std::to_string(inside.size()) + ",\"stepMs\":" + jsonNumber(ms);
    out += ",\"stepJoules\":" + jsonNumber(static_cast<double>(inside.back().mj - inside.front().mj) / 1000.0);
  }
  out += ",\"samples\":" + std::to_string(s.n) + ",\"smMHz\":" + jsonNumber(s.mhz / n) + ",\"smMHzMin\":" + jsonNumber(s.n ? s.mhzMin : 0);
  out += ",\"smMHzMax\":" + jsonNumber(s.mhzMax) + ",\"boardWatts\":" + jsonNumber(s.watts / n);
  out += ",\"powerCappedShare\":" + jsonNumber(s.capped / n) + "}";
  return out;
}

std::string readBack(const Json& req) {
  const Buffer& b = bufferNamed(req["name"].text());
  std::vector<char> host(b.bytes);
  check(cu.cuMemcpyDtoH(host.data(), b.ptr, b.bytes), "cuMemcpyDtoH");
  std::ofstream out(req["file"].text(), std::ios::binary);
  out.write(host.data(), static_cast<std::streamsize>(host.size()));
  if (!out) throw Failure{"bad-request", "cannot write " + req["file"].text(), false};
  return "{\"ok\":true,\"bytes\":" + std::to_string(b.bytes) + "}";
}

std::string startDevice() {
  std::string missing = cu.load();
  if (!missing.empty()) throw Failure{"unavailable", missing, true};
  check(cu.cuInit(0), "cuInit (no usable NVIDIA GPU?)");
  check(cu.cuDeviceGetCount(&deviceCount), "cuDeviceGetCount");
  if (deviceCount == 0) throw Failure{"unavailable", "no CUDA device", true};
  const char* ordinal = std::getenv("TILESWEEP_CUDA_DEVICE");
  deviceOrdinal = ordinal ? std::atoi(ordinal) : 0;
  if (deviceOrdinal < 0 || deviceOrdinal >= deviceCount) {
    throw Failure{"unavailable", "no CUDA device " + std::to_string(deviceOrdinal) + " (the host has " + std::to_string(deviceCount) + ")", true};
  }
  check(cu.cuDeviceGet(&device, deviceOrdinal), "cuDeviceGet");
  check(cu.cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
  check(cu.cuCtxSetCurrent(context), "cuCtxSetCurrent");
  check(cu.cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
  flushBytes = 2 * static_cast<size_t>(attribute(CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE));
  check(cu.cuMemAlloc(&flushBuffer, flushBytes), "cuMemAlloc (L2 flush buffer)");
  return hello();
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  bool started = false;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    bool fatal = false;
    try {
      Json req = JsonParser(line).parse();
      const std::string op = req["op"].text();
      if (op == "exit") { reply("{\"ok\":true}"); break; }
      if (op == "version") { reply("{\"ok\":true,\"protocol\":1,\"cudaHeaders\":" + std::to_string(CUDA_VERSION) + "}"); continue; }
      if (op == "hello") { reply(startDevice()); started = true; continue; }
      if (!started) throw Failure{"bad-request", "send hello first", false};
      if (op == "load") reply(load(req));
      else if (op == "alloc") reply(alloc(req));
      else if (op == "free") reply(release(req));
      else if (op == "run") reply(run(req));
      else if (op == "time") reply(timeLaunches(req));
      else if (op == "energy") reply(measureEnergy(req));
      else if (op == "read") reply(readBack(req));
      else throw Failure{"bad-request", "unknown op " + op, false};
    } catch (const Failure& f) {
      reply("{\"ok\":false,\"status\":" + jsonQuote(f.status) + ",\"error\":" + jsonQuote(f.message) +
            ",\"fatal\":" + (f.fatal ? "true" : "false") + "}");
      fatal = f.fatal;
    } catch (const std::exception& e) {
      reply("{\"ok\":false,\"status\":\"bad-request\",\"error\":" + jsonQuote(e.what()) + "}");
    }
    if (fatal) { std::cout.flush(); _exit(3); }
  }
  return 0;
}

// cuBLASLt's block-scaled FP8 GEMM as a launch the runner can time like a kernel: the peer runs in
// the same process, on the same stream, the same bytes and the same timing (CUDA events, L2 flushed,
// graph replay) as the kernels it is compared with, interleaved with them if the client wishes.
// libcublasLt is opened with dlopen: the runner builds where cublasLt.h is missing (then a library
// launch is refused with a one-line reason) and runs where the library is.
//
// The product is C = A x B^T with A (M x K, e4m3, one f32 scale per row per 128 of K, [M][K/128]),
// B (N x K, e4m3, one f32 scale per 128x128 block, [N/128][K/128]) and C (M x N, bf16), all
// row-major. In cuBLASLt's column-major terms that is D (N x M) = op(A') x op(B') with A' = B read
// as K x N and transposed, B' = A read as K x M: both operands K-major, as its FP8 kernels want. The
// weight scales are read as they are (K blocks fastest); the activation scales are handed over rows
// fastest ([K/128][M]), the order torch._scaled_mm gives cuBLASLt (runner.cpp copies them so).
#pragma once
#include <dlfcn.h>

#include <string>

#if __has_include(<cublasLt.h>)
#include <cublasLt.h>
#define TS_HAVE_CUBLASLT 1

#define TS_LT_FUNCTIONS(X)                                                                                   \
  X(cublasLtCreate) X(cublasLtGetVersion) X(cublasLtMatmulDescCreate) X(cublasLtMatmulDescDestroy)          \
  X(cublasLtMatmulDescSetAttribute) X(cublasLtMatrixLayoutCreate) X(cublasLtMatrixLayoutDestroy)            \
  X(cublasLtMatmulPreferenceCreate) X(cublasLtMatmulPreferenceDestroy) X(cublasLtMatmulPreferenceSetAttribute) \
  X(cublasLtMatmulAlgoGetHeuristic) X(cublasLtMatmul)

struct Lt {
#define TS_LT_DECLARE(fn) decltype(&::fn) fn = nullptr;
  TS_LT_FUNCTIONS(TS_LT_DECLARE)
#undef TS_LT_DECLARE
  cublasLtHandle_t handle = nullptr;

  /** Empty on success, else why cuBLASLt cannot be used. */
  std::string load() {
    if (handle) return "";
    void* lib = nullptr;
    for (const char* name : {"libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so"}) {
      lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
      if (lib) break;
    }
    if (!lib) return std::string("libcublasLt not found: ") + dlerror();
    std::string missing;
#define TS_LT_LOAD(fn)                                                                 \
  fn = reinterpret_cast<decltype(fn)>(dlsym(lib, #fn));                                \
  if (!fn) missing += std::string(missing.empty() ? "" : ", ") + #fn;
    TS_LT_FUNCTIONS(TS_LT_LOAD)
#undef TS_LT_LOAD
    if (!missing.empty()) return "libcublasLt lacks " + missing;
    if (cublasLtCreate(&handle) != CUBLAS_STATUS_SUCCESS) return "cublasLtCreate failed";
    return "";
  }
};

/** One planned cuBLASLt matmul: descriptors, the heuristic's first algorithm and the operands. */
struct LtMatmul {
  cublasLtMatmulDesc_t desc = nullptr;
  cublasLtMatrixLayout_t layoutA = nullptr, layoutB = nullptr, layoutC = nullptr;
  cublasLtMatmulAlgo_t algo{};
  const void* a = nullptr;  // cuBLASLt's A: our B (weights)
  const void* b = nullptr;  // cuBLASLt's B: our A (activations)
  void* c = nullptr;
  float alpha = 1.0f, beta = 0.0f;
  void* workspace = nullptr;
  size_t workspaceBytes = 0;
  Lt* lt = nullptr;

  LtMatmul() = default;
  LtMatmul(const LtMatmul&) = delete;
  LtMatmul& operator=(const LtMatmul&) = delete;
  ~LtMatmul() {
    if (!lt) return;
    if (desc) lt->cublasLtMatmulDescDestroy(desc);
    for (cublasLtMatrixLayout_t l : {layoutA, layoutB, layoutC}) if (l) lt->cublasLtMatrixLayoutDestroy(l);
  }

  /**
   * What both plans share: the operands in cuBLASLt's column-major reading (its A is our B, its B our
   * A), the workspace, an FP32-compute descriptor with A transposed. Empty on success, else why not.
   */
  std::string begin(Lt& library, CUdeviceptr actA, CUdeviceptr wB, CUdeviceptr out, CUdeviceptr space, size_t spaceBytes) {
    lt = &library;
    a = reinterpret_cast<const void*>(wB);
    b = reinterpret_cast<const void*>(actA);
    c = reinterpret_cast<void*>(out);
    workspace = reinterpret_cast<void*>(space);
    workspaceBytes = spaceBytes;
    auto ok = [](cublasStatus_t s) { return s == CUBLAS_STATUS_SUCCESS; };
    if (!ok(lt->cublasLtMatmulDescCreate(&desc, CUBLAS_COMPUTE_32F, CUDA_R_32F))) return "cublasLtMatmulDescCreate failed";
    const cublasOperation_t transA = CUBLAS_OP_T, transB = CUBLAS_OP_N;
    if (!ok(lt->cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSA, &transA, sizeof transA)) ||
        !ok(lt->cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSB, &transB, sizeof transB)))
      return "cublasLtMatmulDescSetAttribute failed";
    return "";
  }

  /** Empty on success, else why not. Pointers are device addresses; scales as described above. */
  std::string plan(Lt& library, CUdeviceptr actA, CUdeviceptr wB, CUdeviceptr scaleA, CUdeviceptr scaleB, CUdeviceptr out,
                   int M, int N, int K, CUdeviceptr space, size_t spaceBytes) {
    const std::string started = begin(library, actA, wB, out, space, spaceBytes);
    if (!started.empty()) return started;
    auto ok = [](cublasStatus_t s) { return s == CUBLAS_STATUS_SUCCESS; };
    const int32_t modeA = CUBLASLT_MATMUL_MATRIX_SCALE_BLK128x128_32F, modeB = CUBLASLT_MATMUL_MATRIX_SCALE_VEC128_32F;
    const void* scalePtrA = reinterpret_cast<const void*>(scaleB);
    const void* scalePtrB = reinterpret_cast<const void*>(scaleA);
    if (!ok(lt->cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_A_SCALE_MODE, &modeA, sizeof modeA)) ||
        !ok(lt->cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_B_SCALE_MODE, &modeB, sizeof modeB)) ||
        !ok(lt->cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, &scalePtrA, sizeof scalePtrA)) ||
        !ok(lt->cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &scalePtrB, sizeof scalePtrB)))
      return "cuBLASLt refused the block-scaled FP8 attributes (needs cuBLAS 12.9+)";
    if (!ok(lt->cublasLtMatrixLayoutCreate(&layoutA, CUDA_R_8F_E4M3, K, N, K)) ||
        !ok(lt->cublasLtMatrixLayoutCreate(&layoutB, CUDA_R_8F_E4M3, K, M, K)) ||
        !ok(lt->cublasLtMatrixLayoutCreate(&layoutC, CUDA_R_16BF, N, M, N)))
      return "cublasLtMatrixLayoutCreate failed";
    return choose(M, N, K, "block-scaled FP8");
  }

  /**
   * Empty on success, else why not: C (M x N, bf16) = A (M x K, bf16) x B (N x K, bf16)^T with FP32
   * compute and no scales (the BF16 peer; same column-major reading as the FP8 plan above).
   */
  std::string planBf16(Lt& library, CUdeviceptr actA, CUdeviceptr wB, CUdeviceptr out, int M, int N, int K, CUdeviceptr space,
                       size_t spaceBytes) {
    const std::string started = begin(library, actA, wB, out, space, spaceBytes);
    if (!started.empty()) return started;
    auto ok = [](cublasStatus_t s) { return s == CUBLAS_STATUS_SUCCESS; };
    if (!ok(lt->cublasLtMatrixLayoutCreate(&layoutA, CUDA_R_16BF, K, N, K)) ||
        !ok(lt->cublasLtMatrixLayoutCreate(&layoutB, CUDA_R_16BF, K, M, K)) ||
        !ok(lt->cublasLtMatrixLayoutCreate(&layoutC, CUDA_R_16BF, N, M, N)))
      return "cublasLtMatrixLayoutCreate failed";
    return choose(M, N, K, "BF16");
  }

  /** The heuristic's first algorithm for the planned descriptors; empty on success. */
  std::string choose(int M, int N, int K, const char* what) {
    auto ok = [](cublasStatus_t s) { return s == CUBLAS_STATUS_SUCCESS; };
    cublasLtMatmulPreference_t pref = nullptr;
    if (!ok(lt->cublasLtMatmulPreferenceCreate(&pref))) return "cublasLtMatmulPreferenceCreate failed";
    lt->cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspaceBytes, sizeof workspaceBytes);
    cublasLtMatmulHeuristicResult_t result{};
    int found = 0;
    const cublasStatus_t s = lt->cublasLtMatmulAlgoGetHeuristic(lt->handle, desc, layoutA, layoutB, layoutC, layoutC, pref, 1, &result, &found);
    lt->cublasLtMatmulPreferenceDestroy(pref);
    if (!ok(s) || found == 0) return std::string("cuBLASLt has no algorithm for ") + what + " at M=" + std::to_string(M) + " N=" + std::to_string(N) + " K=" + std::to_string(K);
    algo = result.algo;
    return "";
  }

  cublasStatus_t enqueue(CUstream stream) {
    return lt->cublasLtMatmul(lt->handle, desc, &alpha, a, layoutA, b, layoutB, &beta, c, layoutC, c, layoutC, &algo, workspace,
                              workspaceBytes, reinterpret_cast<cudaStream_t>(stream));
  }
};
#else
#define TS_HAVE_CUBLASLT 0
#endif

// The per-SM and per-chip rates of an sm_90 part (H100/H200 SXM) that the analytic models of the
// CUDA FP8 GEMM assume, because the device's capabilities do not carry them. The SM count is read
// from the device. Cycles are SM cycles at ~2 GHz (the H200 rests at 1980 MHz and settles at
// 1500-1665 MHz under its power cap: docs/experiments/h200-fp8-gemm-sessions.md, run 27). Only
// ratios between configs of one problem matter for ranking; model-error.ts checks the model against
// the recorded sweeps; the figures are datasheet values and estimates, not fits to those sweeps.
export const SM90 = {
  /** Dense FP8 WGMMA per SM: the datasheet's 1979 TFLOP/s at 1.83 GHz on 132 SMs (../shared/reference/deepseek-v3.md). */
  macsPerCycle: 4096,
  /** FP32 FMA lanes per SM, for the promotion (4 sub-partitions x 32). */
  ffmaPerCycle: 128,
  /**
   * L2 into one SM's shared memory, an estimate; the mainloop-only timing variant measured ~13.3 TB/s
   * from L2 over all 132 SMs (sessions doc, run 5), 51-63 bytes/cycle/SM at 1.6-2 GHz.
   */
  l2BytesPerCycle: 96,
  /**
   * HBM: the H200 datasheet's 4.8 TB/s at ~2 GHz (same reference). Measured on the H200:
   * a device copy 4.16 TB/s read+write (copy peer rows of results/h200/mla-decode.json.br), the GEMV
   * 2.90 TB/s reading 116 MB of weights (sessions doc).
   */
  hbmBytesPerCycle: 2400,
  /** From a TMA issue to a full stage, an estimate of the loaded memory latency (~0.5 us). */
  loadLatencyCycles: 1000,
  /** The K depth of one stage: the scale block. */
  blockK: 128,
  /** bf16 output, the recorded sweeps' and the model's. */
  outBytes: 2,
} as const;

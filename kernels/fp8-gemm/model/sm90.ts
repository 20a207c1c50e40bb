// The per-SM and per-chip rates of an sm_90 part (H100/H200 SXM) that the analytic models of the
// CUDA FP8 GEMM assume, because the device's capabilities do not carry them: dense FP8 WGMMA 4096
// MACs/cycle/SM (1979 TFLOP/s at 1.83 GHz on 132 SMs), 128 FP32 FMA lanes per SM for the promotion,
// ~96 bytes/cycle/SM from L2 into shared memory, ~2400 bytes/cycle of HBM (4.8 TB/s at ~2 GHz),
// ~1000 cycles from a TMA issue to a full stage. The SM count is read from the device.
export const SM90 = {
  macsPerCycle: 4096,
  ffmaPerCycle: 128,
  l2BytesPerCycle: 96,
  hbmBytesPerCycle: 2400,
  loadLatencyCycles: 1000,
  /** The K depth of one stage: the scale block. */
  blockK: 128,
  /** bf16 output, the recorded sweeps' and the model's. */
  outBytes: 2,
} as const;

// DeepSeek-V3's fine-grained FP8 quantization (../shared/reference/deepseek-v3.md): activations get
// one scale per row per 128 channels (1x128), weights one scale per 128x128 block. Each block's
// largest magnitude maps to the e4m3 maximum, so the block uses the whole e4m3 range. When K is not a
// multiple of 128 the last block along it is partial: its scale covers the columns that exist.
import { E4M3_MAX, encodeE4m3, packCodes } from './e4m3.ts';

export const SCALE_BLOCK = 128;

/** Scale blocks along a dimension of `length` elements: the last one may be partial. */
export const scaleBlocks = (length: number): number => Math.ceil(length / SCALE_BLOCK);

export interface QuantizedMatrix {
  rows: number;
  cols: number;
  /** e4m3 codes, row-major, packed four per u32. */
  packed: Uint32Array;
  /** Dequantization scales: value ~= decode(code) * scale. */
  scales: Float32Array;
}

/** Quantizes a row-major [rows, cols] matrix with one scale per `blockRows` x 128 block (cols a multiple of 4). */
export function quantizeBlocks(values: Float32Array, rows: number, cols: number, blockRows: number): QuantizedMatrix {
  const colBlocks = scaleBlocks(cols);
  const rowBlocks = Math.ceil(rows / blockRows);
  const scales = new Float32Array(rowBlocks * colBlocks);
  const codes = new Uint8Array(rows * cols);
  for (let rb = 0; rb < rowBlocks; rb++) {
    const r0 = rb * blockRows;
    const r1 = Math.min(rows, r0 + blockRows);
    for (let cb = 0; cb < colBlocks; cb++) {
      const c0 = cb * SCALE_BLOCK;
      const c1 = Math.min(cols, c0 + SCALE_BLOCK);
      let amax = 0;
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) amax = Math.max(amax, Math.abs(values[r * cols + c]));
      }
      // f32 scale, as stored on the device; quantize against the rounded value.
      const scale = Math.fround(amax > 0 ? amax / E4M3_MAX : 1);
      scales[rb * colBlocks + cb] = scale;
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) codes[r * cols + c] = encodeE4m3(values[r * cols + c] / scale);
      }
    }
  }
  return { rows, cols, packed: packCodes(codes), scales };
}

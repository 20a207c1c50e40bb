// Outputs written narrower than f32 (bf16) are widened on read-back so that verification always
// compares f32 values: bf16 is the upper half of an f32, so widening is exact.
import type { OutputType } from '../../kernels/cuda-source.ts';

/**
 * `bytes` views the whole (f32-sized) output buffer (any typed array: past 4 GiB no Uint8Array covers
 * it); a bf16 kernel wrote only its first half.
 */
export function widenOutput(bytes: ArrayBufferView, type: OutputType): Float32Array {
  const count = Math.floor(bytes.byteLength / 4);
  if (type === 'f32') return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + count * 4));
  const halves = new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + count * 2));
  const bits = new Uint32Array(count);
  for (let i = 0; i < count; i++) bits[i] = halves[i] << 16;
  return new Float32Array(bits.buffer);
}

// bfloat16 on the host: the storage of q and the latent cache of the CUDA decode kernels (what
// DeepSeek-V3 serves from). Values round to nearest-even from f32; two per u32 little-endian
// (element k in the low half of word k/2 when k is even), as the kernels read __nv_bfloat162.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The quiet NaN written into unused cache slots. */
export const BF16_NAN = 0x7fc0;

/** bfloat16 bits of `value`, rounded to nearest, ties to even; NaN stays NaN. */
export function bf16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  if ((x & 0x7fffffff) > 0x7f800000) return BF16_NAN;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** The value of bfloat16 bits (exact: a bf16 is an f32 with 16 zero low bits). */
export function bf16Value(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0];
}

/** `value` rounded to the nearest bfloat16. */
export const roundBf16 = (value: number): number => bf16Value(bf16Bits(value));

let table: Float32Array | undefined;

/** Element `index` of bfloat16 values packed two per u32 word, through a 65536-entry table. */
export function bf16At(words: Uint32Array, index: number): number {
  table ??= Float32Array.from({ length: 0x10000 }, (_, bits) => bf16Value(bits));
  const word = words[index >> 1];
  return table[index & 1 ? word >>> 16 : word & 0xffff];
}

// IEEE binary16 on the host: WebGPU's f16 storage is the stand-in for the BF16 cache DeepSeek-V3
// serves from (WGSL has no bf16). Values are rounded to nearest-even, packed two per u32
// little-endian (element k in the low half of word k/2 when k is even), as WGSL reads array<vec2<f16>>.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** binary16 bits of `value`, rounded to nearest, ties to even; overflow gives +-Infinity, NaN stays NaN. */
export function f16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    // Subnormal: shift the full significand (with its implicit bit) right, rounding half to even.
    const significand = mantissa | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = significand & ((1 << shift) - 1);
    let out = significand >>> shift;
    if (rest > half || (rest === half && out & 1)) out += 1;
    return sign | out;
  }
  let out = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && out & 1)) out += 1; // a carry into the exponent is correct rounding
  return sign | out;
}

/** The value of binary16 bits. */
export function f16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

/** `value` rounded to the nearest binary16. */
export const roundF16 = (value: number): number => f16Value(f16Bits(value));

/** Packs values (even count) as binary16 pairs. */
export function packF16(values: ArrayLike<number>): Uint32Array {
  if (values.length % 2 !== 0) throw new RangeError(`packF16 needs an even count, got ${values.length}`);
  const out = new Uint32Array(values.length / 2);
  for (let k = 0; k < out.length; k++) out[k] = (f16Bits(values[2 * k]) | (f16Bits(values[2 * k + 1]) << 16)) >>> 0;
  return out;
}

/** Unpacks binary16 pairs into f32 values. */
export function unpackF16(words: Uint32Array): Float32Array {
  const out = new Float32Array(words.length * 2);
  for (let k = 0; k < words.length; k++) {
    out[2 * k] = f16Value(words[k] & 0xffff);
    out[2 * k + 1] = f16Value(words[k] >>> 16);
  }
  return out;
}

let table: Float32Array | undefined;

/** Element `index` of binary16 pairs packed in u32 words, through a 65536-entry table (no unpacked copy). */
export function f16At(words: Uint32Array, index: number): number {
  table ??= Float32Array.from({ length: 0x10000 }, (_, bits) => f16Value(bits));
  const word = words[index >> 1];
  return table[index & 1 ? word >>> 16 : word & 0xffff];
}

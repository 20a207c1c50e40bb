// OCP FP8 E4M3 ("e4m3fn"): 1 sign, 4 exponent (bias 7), 3 mantissa bits; no infinities; 0x7F and
// 0xFF are NaN; largest finite magnitude 448 (0x7E); smallest subnormal 2^-9.
// Decoding is exact; encoding rounds to nearest, ties to even, and saturates to +-448.

export const E4M3_MAX = 448;
export const E4M3_MIN_SUBNORMAL = 2 ** -9;

/** Exact value of one e4m3 code (0..255). */
export function decodeE4m3(code: number): number {
  const sign = code & 0x80 ? -1 : 1;
  const exponent = (code >> 3) & 0xf;
  const mantissa = code & 0x7;
  if (exponent === 0xf && mantissa === 0x7) return NaN;
  if (exponent === 0) return sign * mantissa * E4M3_MIN_SUBNORMAL;
  return sign * (8 + mantissa) * 2 ** (exponent - 10);
}

/** All 256 codes decoded, for table lookups on the CPU and in shaders. */
export const E4M3_TABLE: Float32Array = Float32Array.from({ length: 256 }, (_, code) => decodeE4m3(code));

/**
 * Midpoints between neighbouring non-negative codes (0x00..0x7E, increasing in value): a magnitude
 * rounds to code c where it lies between midpoints c - 1 and c. Each midpoint is exact in a double.
 */
const MIDPOINTS = Float64Array.from({ length: 0x7e }, (_, code) => (decodeE4m3(code) + decodeE4m3(code + 1)) / 2);

/**
 * Nearest e4m3 code to `value` (ties to even, i.e. to the even code), saturating to +-448; NaN maps
 * to 0x7F. A binary search over the midpoints (seven comparisons): workloads quantize billions of
 * values (a 256-expert layer's weights), where logarithms and powers per value took minutes.
 */
export function encodeE4m3(value: number): number {
  if (value !== value) return 0x7f;
  const signBit = value < 0 || (value === 0 && 1 / value < 0) ? 0x80 : 0;
  const magnitude = Math.abs(value);
  let lo = 0;
  let hi = 0x7e;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (magnitude <= MIDPOINTS[mid]!) hi = mid;
    else lo = mid + 1;
  }
  // On a midpoint: the even one of its two codes.
  return signBit | (lo < 0x7e && (lo & 1) === 1 && magnitude === MIDPOINTS[lo] ? lo + 1 : lo);
}

/** Packs e4m3 codes four per u32, little-endian: element k sits in bits 8*(k%4) of word k/4. */
export function packCodes(codes: Uint8Array): Uint32Array {
  if (codes.length % 4 !== 0) throw new RangeError(`packCodes needs a multiple of 4 codes, got ${codes.length}`);
  return new Uint32Array(codes.buffer.slice(codes.byteOffset, codes.byteOffset + codes.length));
}

/** The code of element `index` in a packed array. */
export function codeAt(packed: Uint32Array, index: number): number {
  return (packed[index >> 2] >>> ((index & 3) * 8)) & 0xff;
}

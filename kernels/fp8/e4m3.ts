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

/** Nearest e4m3 code to `value` (ties to even mantissa), saturating to +-448; NaN maps to 0x7F. */
export function encodeE4m3(value: number): number {
  if (Number.isNaN(value)) return 0x7f;
  const signBit = value < 0 || Object.is(value, -0) ? 0x80 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= E4M3_MAX) return signBit | 0x7e;
  // Spacing of representable values around `magnitude`: 2^-9 for subnormals and the first binade,
  // 2^(e-3) in binade [2^e, 2^(e+1)).
  const exponent = magnitude < 2 ** -6 ? -6 : Math.floor(Math.log2(magnitude));
  // Math.log2 can land one off near powers of two; correct it.
  const e = 2 ** exponent > magnitude ? exponent - 1 : 2 ** (exponent + 1) <= magnitude ? exponent + 1 : exponent;
  const binade = Math.max(e, -6);
  const step = 2 ** (binade - 3);
  const units = roundHalfEven(magnitude / step); // magnitude in units of the spacing (exact: power-of-two scale)
  if (binade === -6 && units < 8) return signBit | units; // subnormal (or zero); 8 units rounds up to 2^-6
  // units is in [8, 16]: 16 means rounding carried into the next binade.
  const carried = units === 16;
  const exponentField = (carried ? binade + 1 : binade) + 7;
  const mantissa = carried ? 0 : units - 8;
  return signBit | (exponentField << 3) | mantissa;
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
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

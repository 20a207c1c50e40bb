// e4m3 decoders in WGSL, one u32 (four codes, little-endian) at a time, as `fn dec1(w: u32)`. WGSL has
// no 8-bit float type; every FP8 template (fp8-gemm, grouped-gemm) decodes with one of these.

/** Decoders of one u32 (four codes) by bit arithmetic into f32: exact, NaN for 0x7F/0xFF. */
export const DECODE_BITS_F32 = /* wgsl */ `
fn dec1(w: u32) -> vec4<f32> {
  let bytes = (vec4<u32>(w) >> vec4<u32>(0u, 8u, 16u, 24u)) & vec4<u32>(0xFFu);
  let mag = bytes & vec4<u32>(0x7Fu);
  // Normal codes: exponent field e (bias 7) re-biased to f32 (bias 127) by adding 120 << 23.
  let normal = bitcast<vec4<f32>>((mag << vec4<u32>(20u)) + vec4<u32>(0x3C000000u));
  // Subnormal codes (exponent 0): mantissa * 2^-9.
  let sub = vec4<f32>(mag) * 0.001953125;
  let v = select(normal, sub, mag < vec4<u32>(8u));
  let signed = bitcast<vec4<f32>>(bitcast<vec4<u32>>(v) | ((bytes & vec4<u32>(0x80u)) << vec4<u32>(24u)));
  let nan = bitcast<vec4<f32>>(vec4<u32>(0x7FC00000u) | (mag & vec4<u32>(0u)));
  return select(signed, nan, mag == vec4<u32>(0x7Fu));
}`;

/** Decoder through a 256-entry table the kernel stages in workgroup memory as `lut`. */
export const DECODE_TABLE_F32 = /* wgsl */ `
fn dec1(w: u32) -> vec4<f32> {
  return vec4<f32>(lut[w & 0xFFu], lut[(w >> 8u) & 0xFFu], lut[(w >> 16u) & 0xFFu], lut[w >> 24u]);
}`;

/**
 * e4m3 to f16 by moving bits: the e4m3 exponent (bias 7) read as an f16 exponent (bias 15) scales
 * every value by 2^-8, which keeps products (<= 1.75^2) and sums of 4 far from f16's 65504; the
 * 2^16 of two operands is restored at promotion. Products are exact; each dot of 4 is rounded
 * to f16 once per add and then accumulated in f32. NaN codes are not preserved on this path.
 */
export const DECODE_BITS_F16 = /* wgsl */ `
fn dec1(w: u32) -> vec4<f16> {
  let p01 = ((w & 0x7Fu) << 7u) | ((w & 0x80u) << 8u) | ((w & 0x7F00u) << 15u) | ((w & 0x8000u) << 16u);
  let p23 = ((w >> 9u) & 0x3F80u) | ((w >> 8u) & 0x8000u) | ((w >> 1u) & 0x3F800000u) | (w & 0x80000000u);
  return vec4<f16>(bitcast<vec2<f16>>(p01), bitcast<vec2<f16>>(p23));
}`;

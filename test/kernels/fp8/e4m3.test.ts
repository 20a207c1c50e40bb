import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeAt, decodeE4m3, E4M3_MAX, E4M3_TABLE, encodeE4m3, packCodes } from '../../../kernels/fp8/e4m3.ts';

/** Independent decoding through the float32 bit layout, not the formula the codec uses. */
function decodeViaBits(code: number): number {
  const e = (code >> 3) & 0xf;
  const m = code & 7;
  if (e === 0xf && m === 7) return NaN;
  const bits = new Uint32Array(1);
  if (e === 0) return (code & 0x80 ? -1 : 1) * m * 2 ** -9;
  bits[0] = ((code & 0x80) << 24) | ((e - 7 + 127) << 23) | (m << 20);
  return new Float32Array(bits.buffer)[0];
}

test('all 256 codes decode to the e4m3fn value (bias 7, no infinities, 0x7F/0xFF NaN)', () => {
  for (let code = 0; code < 256; code++) {
    const expected = decodeViaBits(code);
    const actual = decodeE4m3(code);
    if (Number.isNaN(expected)) assert.ok(Number.isNaN(actual), `code ${code}`);
    else assert.equal(actual, expected, `code 0x${code.toString(16)}`);
    assert.ok(Object.is(E4M3_TABLE[code], Math.fround(actual)) || Number.isNaN(actual));
  }
  assert.equal(decodeE4m3(0x7e), 448);
  assert.equal(decodeE4m3(0xfe), -448);
  assert.equal(decodeE4m3(0x08), 2 ** -6);
  assert.equal(decodeE4m3(0x01), 2 ** -9);
  assert.ok(Object.is(decodeE4m3(0x80), -0));
  assert.ok(Number.isNaN(decodeE4m3(0x7f)) && Number.isNaN(decodeE4m3(0xff)));
});

test('every finite code round-trips through the encoder', () => {
  for (let code = 0; code < 256; code++) {
    const value = decodeE4m3(code);
    if (!Number.isNaN(value)) assert.equal(encodeE4m3(value), code, `code 0x${code.toString(16)}`);
  }
});

test('the encoder rounds to nearest with ties to even, between every pair of neighbours', () => {
  const positives = Array.from({ length: 0x7f }, (_, c) => c); // 0x00..0x7E, increasing values
  for (let i = 0; i + 1 < positives.length; i++) {
    const lo = decodeE4m3(positives[i]);
    const hi = decodeE4m3(positives[i + 1]);
    assert.ok(hi > lo);
    const mid = (lo + hi) / 2;
    const even = positives[i] % 2 === 0 ? positives[i] : positives[i + 1];
    assert.equal(encodeE4m3(mid), even, `tie between ${lo} and ${hi}`);
    assert.equal(encodeE4m3(lo + (hi - lo) * 0.25), positives[i]);
    assert.equal(encodeE4m3(lo + (hi - lo) * 0.75), positives[i + 1]);
    assert.equal(encodeE4m3(-(lo + (hi - lo) * 0.75)), positives[i + 1] | 0x80);
  }
});

test('the encoder saturates to +-448 and maps NaN to 0x7F', () => {
  assert.equal(encodeE4m3(E4M3_MAX), 0x7e);
  assert.equal(encodeE4m3(1e9), 0x7e);
  assert.equal(encodeE4m3(Infinity), 0x7e);
  assert.equal(encodeE4m3(-500), 0xfe);
  assert.equal(encodeE4m3(NaN), 0x7f);
  assert.equal(encodeE4m3(2 ** -12), 0);
});

test('codes pack four per u32, element k in byte k % 4', () => {
  const codes = Uint8Array.from([1, 2, 3, 4, 0xfe, 0x80, 0x7e, 0]);
  const packed = packCodes(codes);
  assert.equal(packed[0], 0x04030201);
  for (let i = 0; i < codes.length; i++) assert.equal(codeAt(packed, i), codes[i]);
});

/** The encoder by logarithm and spacing (the codec's own until 2026-12-05), an independent route to the same codes. */
function encodeBySpacing(value: number): number {
  if (Number.isNaN(value)) return 0x7f;
  const signBit = value < 0 || Object.is(value, -0) ? 0x80 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= E4M3_MAX) return signBit | 0x7e;
  const exponent = magnitude < 2 ** -6 ? -6 : Math.floor(Math.log2(magnitude));
  const e = 2 ** exponent > magnitude ? exponent - 1 : 2 ** (exponent + 1) <= magnitude ? exponent + 1 : exponent;
  const binade = Math.max(e, -6);
  const step = 2 ** (binade - 3);
  const x = magnitude / step;
  const floor = Math.floor(x);
  const units = x - floor > 0.5 ? floor + 1 : x - floor < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  if (binade === -6 && units < 8) return signBit | units;
  const carried = units === 16;
  return signBit | (((carried ? binade + 1 : binade) + 7) << 3) | (carried ? 0 : units - 8);
}

test('the encoder agrees with encoding by logarithm and spacing on a million values across the range and on every neighbour of a midpoint', () => {
  let state = 12345;
  const next = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < 1_000_000; i++) {
    const value = (next() < 0.5 ? -1 : 1) * 2 ** (next() * 24 - 14) * (1 + next());
    assert.equal(encodeE4m3(value), encodeBySpacing(value), String(value));
  }
  for (let code = 0; code < 0x7e; code++) {
    const mid = (decodeE4m3(code) + decodeE4m3(code + 1)) / 2;
    for (const v of [mid, mid * (1 + 2 ** -40), mid * (1 - 2 ** -40), Math.fround(mid), -mid]) assert.equal(encodeE4m3(v), encodeBySpacing(v), String(v));
  }
  for (const v of [0, -0, 448, 449, 464, 480, -1e30, Infinity, -Infinity, 2 ** -10, 2 ** -9 * 0.5]) assert.equal(encodeE4m3(v), encodeBySpacing(v), String(v));
});

// Inputs for GPU-sized FP8 GEMMs, built fast enough for DeepSeek-V3's shapes (up to 184 MB of e4m3
// per problem): codes are drawn from a table of 65536 quantized normal samples (one block of the
// family's own recipe: the block's largest magnitude maps to 448), so the code distribution is that
// of quantized normals, without a normal draw and an encode per element. Scales follow the family:
// activations get one scale per row per 128 channels, weights a magnitude spread per 128x128 block.
// Same buffer names as the family's workload, so the family's reference and verification apply.
import { createRng } from '../../../core/rng.ts';
import { E4M3_MAX, encodeE4m3 } from '../../fp8/e4m3.ts';
import type { Workload } from '../../types.ts';
import { bufferBytes, kBlocks, nBlocks, type GemmProblem } from '../problem.ts';

const TABLE_SIZE = 1 << 16;

function codeTable(seed: number): Uint8Array {
  const rng = createRng(seed);
  const values = Float64Array.from({ length: TABLE_SIZE }, () => rng.normal());
  const amax = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return Uint8Array.from(values, (v) => encodeE4m3((v / amax) * E4M3_MAX));
}

/** Most bytes one Uint8Array view covers (typed arrays stop short of 2^32 elements; 256 experts of 4096 x 7168 are 7.5 GB). */
const FILL_CHUNK_BYTES = 2 ** 30;

/**
 * Fills the bytes of `words` with table codes, two 16-bit table indices per xorshift32 draw, through
 * views of at most `chunk` bytes (even, so that a draw never straddles two), the same codes as one view.
 */
export function fillCodes(words: Uint32Array, table: Uint8Array, seed: number, chunk = FILL_CHUNK_BYTES): void {
  if (chunk % 2 !== 0) throw new RangeError(`fillCodes draws two codes at a time: chunk ${chunk} must be even`);
  let x = (seed * 2654435761) >>> 0 || 1;
  const total = words.byteLength;
  for (let at = 0; at < total; at += chunk) {
    const bytes = new Uint8Array(words.buffer, words.byteOffset + at, Math.min(chunk, total - at));
    const n = bytes.length;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = table[x & 0xffff];
      bytes[i + 1] = table[x >>> 16];
    }
    if (i < n) bytes[i] = table[(x >>> 3) & 0xffff];
  }
}

/**
 * A's and B's e4m3 codes from the table and their scales, drawn in one order so that the same seed
 * gives the same operands whichever family lays them out: activation scales amax/448 of rows whose
 * channels carry occasional 20x outliers, weight scales a magnitude spread per 128x128 block.
 */
export function drawFp8Operands(sizes: { aBytes: number; bBytes: number; scaleARows: number; scaleBBlocks: number; kBlocks: number }, seed: number) {
  const rng = createRng(seed);
  const table = codeTable(seed ^ 0x7ab1e);
  const a = new Uint32Array(sizes.aBytes / 4);
  const b = new Uint32Array(sizes.bBytes / 4);
  fillCodes(a, table, seed * 2 + 1);
  fillCodes(b, table, seed * 2 + 2);
  const scaleA = Float32Array.from({ length: sizes.scaleARows * sizes.kBlocks }, () => ((rng.next() < 0.05 ? 20 : 1) * (2 + rng.normal() * 0.3)) / E4M3_MAX);
  const scaleB = Float32Array.from({ length: sizes.scaleBBlocks * sizes.kBlocks }, () => (2 ** (rng.int(9) - 4) * 0.02 * 4) / E4M3_MAX);
  return { a, b, scaleA, scaleB };
}

export function fastGemmWorkload(problem: GemmProblem, seed: number): Workload {
  const { M, N, K } = problem;
  const bytes = bufferBytes(problem);
  const { a, b, scaleA, scaleB } = drawFp8Operands({ aBytes: bytes.a, bBytes: bytes.b, scaleARows: M, scaleBBlocks: nBlocks(problem), kBlocks: kBlocks(problem) }, seed);
  return {
    seed,
    buffers: {
      a: { role: 'input', bytes: bytes.a, data: a },
      b: { role: 'input', bytes: bytes.b, data: b },
      scaleA: { role: 'input', bytes: bytes.scaleA, data: scaleA },
      scaleB: { role: 'input', bytes: bytes.scaleB, data: scaleB },
      c: { role: 'output', bytes: bytes.c },
    },
    meta: { generator: 'fp8-gemm/cuda fastGemmWorkload: e4m3 codes from a quantized-normal table', K, N },
  };
}

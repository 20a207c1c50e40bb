// The report's MLA-versus-MHA comparison from CUDA rows (synthetic, device-free): per shape, MLA per
// cache (bf16 1152 bytes a token, FP8 656) against tuned MHA of the same batch, heads, lengths and
// query tokens; KV-cache bytes/s and FLOP/s as shares of the copy and cuBLAS BF16 rows of the same
// call, or of the datasheet's peaks (labelled) where the call measured no roof; dollars per million
// tokens from the cost machinery; MHA's time over MLA's marked when it crosses calls.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resultsFile, type ResultRow } from '../../../core/results.ts';
import { mhaDecode } from '../../../kernels/mha-decode/index.ts';
import type { MhaProblem } from '../../../kernels/mha-decode/problem.ts';
import { mlaDecode } from '../../../kernels/mla-decode/index.ts';
import type { MlaProblem } from '../../../kernels/mla-decode/problem.ts';
import { COPY_ROOF_PEER } from '../../../kernels/roofs/copy.ts';
import { CUBLAS_BF16_ROOF_PEER } from '../../../kernels/roofs/cublas-bf16.ts';
import { renderPage } from '../../../reports/html/page.ts';
import { decodeEconomics } from '../../../reports/model/decode.ts';
import { buildReportModel } from '../../../reports/model/report.ts';
import { summaryMarkdown } from '../../../reports/summary/markdown.ts';

const verified = { ok: true, maxAbsErr: 0, maxRelErr: 0, cosineDiff: 0 };
const h200 = { backend: 'cuda', name: 'NVIDIA H200', vendor: 'NVIDIA', driver: 'CUDA 13.0', fingerprint: 'h200-test' } as const;
const mla1: MlaProblem = { B: 128, sq: 1, H: 16, L: 4096, lengths: 'fixed', dtype: 'f16' };
const mla2: MlaProblem = { ...mla1, sq: 2 };
const mha1: MhaProblem = { ...mla1, Hkv: 16 };
const tokens = 128 * 4096;
const measured = (ms: number, runId: string) => ({ status: 'ok' as const, samplesMs: [ms], medianMs: ms, verified, timer: 'cuda-event' as const, runId });
const mla = (p: MlaProblem, cache: 'bf16' | 'fp8', ms: number, runId: string): ResultRow => ({
  ...measured(ms, runId), kernel: 'mla-decode', problem: { ...p }, role: 'candidate', config: { kernel: 'mma-sync', headsPerCta: 16, cache },
  flops: mlaDecode.flops(p), bytes: mlaDecode.bytes(p, { cache }),
});
const rows: ResultRow[] = [
  // Call c1: bench mla-decode --peers copy,cublas-bf16-8192 --baselines, s_q 1.
  mla(mla1, 'bf16', 0.2, 'c1'),
  mla(mla1, 'fp8', 0.13, 'c1'),
  { ...measured(0.36, 'c1'), kernel: 'mla-decode', problem: { ...mla1 }, role: 'peer', peer: 'copy', config: COPY_ROOF_PEER, flops: 0, bytes: 2 * tokens * 1152 },
  { ...measured(1.5, 'c1'), kernel: 'mla-decode', problem: { ...mla1 }, role: 'peer', peer: 'cublas-bf16-8192', config: CUBLAS_BF16_ROOF_PEER, flops: 2 * 8192 ** 3, bytes: 6 * 8192 ** 2 },
  { ...measured(3.0, 'c1'), kernel: 'mha-decode', problem: { ...mha1 }, role: 'baseline', comparedWith: 'mla-decode', config: { headsPerCta: 1, cache: 'bf16' }, flops: mhaDecode.flops(mha1), bytes: mhaDecode.bytes(mha1) },
  // A torch peer and a gpu.js baseline are neither MHA nor roofs.
  { ...measured(0.5, 'c1'), kernel: 'mla-decode', problem: { ...mla1 }, role: 'peer', peer: 'torch', config: { library: 'torch', via: 'eager', cache: 'bf16' }, flops: 1, bytes: 1 },
  // Call c2: s_q 2 tuned alone, no roof and no MHA measured.
  mla(mla2, 'bf16', 0.21, 'c2'),
  // Call c3: an MHA sweep of the s_q 1 shape, slower than c1's: c1's same-call MHA row is the one paired.
  { ...measured(2.0, 'c3'), kernel: 'mha-decode', problem: { ...mha1 }, role: 'candidate', config: { headsPerCta: 2, cache: 'bf16' }, flops: mhaDecode.flops(mha1), bytes: mhaDecode.bytes(mha1) },
];
const model = buildReportModel([{ path: 'bench.json', file: resultsFile(h200, rows, '0') }]);

test('one comparison per MLA shape; MLA per cache, then MHA', () => {
  assert.deepEqual(model.mlaVersusMha.map((p) => [p.label, p.mla.map((s) => s.cache), p.mha?.attention]), [
    ['B=128 sq=1 H=16 L=4096', ['bf16', 'fp8'], 'MHA'],
    ['B=128 sq=2 H=16 L=4096', ['bf16'], undefined],
  ]);
});

test('KV bytes per token: 1152 (bf16 latent), 656 (FP8 latent), 8192 (MHA, 16 heads of K and V)', () => {
  const [one] = model.mlaVersusMha;
  assert.deepEqual([...one.mla, one.mha!].map((s) => s.kvBytesPerToken), [1152, 656, 2 * 16 * 128 * 2]);
  assert.equal(one.mla[1].kvBytes, tokens * 656);
  assert.equal(one.mla[1].kvBandwidth.toPrecision(12), ((tokens * 656) / 0.13e-3).toPrecision(12));
});

test('rates against the roofs of the same call: 90% of the copy, FLOP/s over cuBLAS BF16\'s', () => {
  const [bf16, fp8] = model.mlaVersusMha[0].mla;
  assert.equal(bf16.memoryRoof?.basis, 'same call');
  assert.equal(bf16.memoryRoof?.label, 'copy, read + write');
  assert.equal(bf16.memoryShare!.toFixed(6), '0.900000');
  assert.equal(fp8.memoryShare!.toFixed(6), ((tokens * 656) / 0.13e-3 / ((2 * tokens * 1152) / 0.36e-3)).toFixed(6));
  assert.equal(bf16.computeRoof?.label, 'cuBLAS BF16 8192³');
  assert.equal(bf16.computeShare, bf16.flopRate / ((2 * 8192 ** 3) / 1.5e-3));
  assert.equal(bf16.flopRate, mlaDecode.flops(mla1) / 0.2e-3);
});

test('without a roof in its call, the datasheet\'s H200 HBM bandwidth and BF16 peak stand in, labelled', () => {
  const [sq2] = model.mlaVersusMha[1].mla;
  assert.deepEqual([sq2.memoryRoof?.basis, sq2.memoryRoof?.label, sq2.memoryRoof?.value], ['datasheet', 'H200 HBM, datasheet', 4.8e12]);
  assert.deepEqual([sq2.computeRoof?.basis, sq2.computeRoof?.label], ['datasheet', 'H200 dense BF16, datasheet']);
});

test('MHA over MLA time within one call (c1\'s baseline, not c3\'s faster sweep), and the dollar cost per million tokens', () => {
  const [one] = model.mlaVersusMha;
  assert.equal(one.mha!.row.call, 'c1');
  assert.deepEqual(one.speedups.map((s) => [s.cache, Number(s.ratio.toFixed(3)), s.sameCall]), [['bf16', 15, true], ['fp8', Number((3 / 0.13).toFixed(3)), true]]);
  const shape = { batch: 128, queries: 1, heads: 16, context: 4096 };
  assert.equal(one.mla[0].economics.dollarsPerMillionTokens, decodeEconomics(0.2, shape).dollarsPerMillionTokens);
  assert.equal((one.mha!.economics.dollarsPerMillionTokens / one.mla[0].economics.dollarsPerMillionTokens).toFixed(9), '15.000000000');
  // On an H800, by the roofline at each row's own bytes: memory-bound decode at the HBM ratio (4.8 / 3.35 TB/s).
  for (const s of [...one.mla, one.mha!]) {
    assert.deepEqual([s.h800?.basis, s.h800?.bound], ['projected', 'memory']);
    assert.equal((s.h800!.dollarsPerMillionTokens / s.economics.dollarsPerMillionTokens).toFixed(9), (4.8 / 3.35).toFixed(9));
  }
});

test('the page and the markdown summary show the comparison with its roofs and labels', async () => {
  const page = await renderPage(model);
  const table = page.slice(page.indexOf('MLA versus MHA on NVIDIA H200'), page.indexOf('</table>', page.indexOf('MLA versus MHA on NVIDIA H200')));
  assert.ok(table.length > 0, 'the table is on the page');
  for (const text of ['fp8 cache', '656', '1,152', '8,192', '90.0%', 'copy, read + write', 'cuBLAS BF16 8192³', 'H200 HBM, datasheet', '15.0x', 'projected, memory-bound']) {
    assert.ok(table.includes(text), `${text} missing`);
  }
  // The device's measured ceilings name the roofs for what they ran, not for the decode kernel's call.
  const devices = page.slice(page.indexOf('measured ceilings'));
  assert.ok(devices.includes('cuBLAS BF16 8192x8192x8192, measured beside mla-decode'));
  assert.ok(devices.includes('copy, measured beside mla-decode'));
  const markdown = summaryMarkdown(model);
  assert.match(markdown, /B=128 sq=1 H=16 L=4096 on NVIDIA H200, MLA \(fp8 cache\): .*656 KV bytes a token/);
});

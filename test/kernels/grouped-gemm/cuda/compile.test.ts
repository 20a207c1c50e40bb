// CI (nvcc, no GPU): every candidate of the issue's shapes compiles for sm_90a, and ptxas reports no
// local-memory spills (stack frame, spill stores or loads) and no warnings: the four contiguous
// shapes, DeepGEMM's masked points, the masked decode-sized groups of an EP=8 slice (16..1024 tokens
// per expert) and the whole Zipf-routed 256-expert layer; plus the broken variants the GPU test runs.
// Skipped with a message where nvcc is absent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileAll } from '../../../../harness/cuda/compile.ts';
import { cudaCacheDir, findNvcc } from '../../../../harness/cuda/toolchain.ts';
import { groupedCandidates } from '../../../../kernels/grouped-gemm/cuda/candidates.ts';
import { groupedGemmCuda } from '../../../../kernels/grouped-gemm/cuda/template.ts';
import { presets } from '../../../../kernels/grouped-gemm/presets.ts';
import { compiledText } from '../../../../kernels/cuda-source.ts';
import { H200_CAPS } from '../../fp8-gemm/cuda/caps.ts';

const nvcc = findNvcc();

/** The issue's shapes: contiguous (G, M, N, K) x 4, masked at DeepGEMM's points and at decode sizes, the Zipf layer. */
export const ISSUE_PRESETS = Object.keys(presets).filter(
  (name) =>
    /^dsv3-contiguous-g(4-m8192|8-m4096)-.*-uniform$/.test(name) ||
    /^dsv3-masked-.*-uniform$/.test(name) ||
    /^dsv3-ep8-masked-/.test(name) ||
    /^dsv3-layer-top8-g256-m128-/.test(name),
);

test('every candidate of the issue\'s shapes compiles for sm_90a without spills or ptxas warnings', { skip: 'missing' in nvcc ? `skipped: ${nvcc.missing}` : false }, async () => {
  if ('missing' in nvcc) return;
  assert.ok(ISSUE_PRESETS.length >= 26, `${ISSUE_PRESETS.length} presets`);
  const entries = ISSUE_PRESETS.flatMap((name) => groupedCandidates(presets[name], H200_CAPS).map((config) => ({ name, config })));
  // The broken variants the GPU test runs.
  const tiny = presets['tiny-contiguous-zipf'];
  const faults = groupedCandidates(presets['dsv3-ep8-masked-g32-m64-n7168-k2048-zipf'], H200_CAPS).slice(0, 1).flatMap((c) => [{ ...c, fault: 'store-padding' as const }, { ...c, fault: 'skip-last-k-block' as const }]);
  const sources = [...entries.map(({ name, config }) => groupedGemmCuda(presets[name], config, H200_CAPS)), ...faults.map((c) => groupedGemmCuda(tiny, c, H200_CAPS))];
  const labels = [...entries.map(({ name, config }) => `${name} ${JSON.stringify(config)}`), ...faults.map((c) => `fault ${JSON.stringify(c)}`)];
  // One compile per distinct text (the header line names the problem, not code).
  const distinct = new Map<string, number>();
  sources.forEach((s, i) => { if (!distinct.has(compiledText(s.code))) distinct.set(compiledText(s.code), i); });
  const picks = [...distinct.values()];
  const outcomes = await compileAll(nvcc, picks.map((i) => sources[i]), cudaCacheDir());
  const problems = outcomes.flatMap((o, j) => {
    const label = labels[picks[j]];
    if (!o.ok) return [`${label}: ${o.error}`];
    const r = o.report;
    const bad = r.spillStoreBytes > 0 || r.spillLoadBytes > 0 || r.stackBytes > 0 || r.warnings.length > 0;
    return bad ? [`${label}: stack ${r.stackBytes} B, spills ${r.spillStoreBytes}/${r.spillLoadBytes} B ${r.warnings.join(' ')}`] : [];
  });
  console.log(`${entries.length} candidates of ${ISSUE_PRESETS.length} shapes and ${faults.length} broken variants: ${picks.length} distinct sources compiled, ${problems.length} with problems`);
  assert.deepEqual(problems, []);
});

// `node --import tsx scripts/time-inputs.ts PLAN...`: here, before a GPU session, builds the inputs of
// every problem the plans' tune and bench calls will run (the CUDA target's workload, as the host
// builds it) and verifies blank outputs against the CPU reference once, timing both, so that a
// problem whose inputs or reference would eat a device call, or fail, is found on a CPU (before
// 8390d49 and 8f87c90 the 256-expert grouped presets took 145 s a config to verify, and those with
// 7.5 GB of weights failed to build past 4 GiB). It measures no kernel. Prints a line a problem; exits 1 when one takes longer than TIME_INPUTS_LIMIT_S (60).
import { readFileSync } from 'node:fs';
import { namedProblems } from '../bin/options.ts';
import { familyByName } from '../kernels/registry.ts';
import type { Outputs } from '../kernels/types.ts';
import { planWords } from './plan-words.ts';

const option = (words: readonly string[], name: string): string | undefined => {
  const i = words.indexOf(name);
  return i >= 0 ? words[i + 1] : undefined;
};

const limitS = Number(process.env.TIME_INPUTS_LIMIT_S ?? 60);
const seen = new Set<string>();
let slow = 0;
for (const plan of process.argv.slice(2)) {
  for (const line of readFileSync(plan, 'utf8').split('\n')) {
    const words = planWords(line.trim());
    if (words.length < 2 || words[0]!.startsWith('#') || (words[0] !== 'tune' && words[0] !== 'bench')) continue;
    const family = familyByName(words[1]!);
    const target = family.targets.cuda;
    for (const problem of namedProblems(family, option(words, '--preset'), option(words, '--shape')) ?? []) {
      const key = `${family.name} ${JSON.stringify(problem)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let t = performance.now();
      const workload = (target?.workload ?? family.workload)(problem, 1);
      const buildS = (performance.now() - t) / 1000;
      const bytes = Object.values(workload.buffers).reduce((a, b) => a + (b.data?.byteLength ?? 0), 0);
      const outputs: Record<string, Float32Array> = {};
      for (const [name, spec] of Object.entries(workload.buffers)) if (spec.role === 'output') outputs[name] = new Float32Array(spec.bytes / 4);
      t = performance.now();
      family.verify(problem, workload, outputs as Outputs);
      const verifyS = (performance.now() - t) / 1000;
      const over = buildS + verifyS > limitS;
      if (over) slow++;
      console.log(`${over ? 'SLOW ' : ''}${key}: inputs ${(bytes / 1e9).toFixed(2)} GB in ${buildS.toFixed(1)} s, reference ${verifyS.toFixed(1)} s`);
    }
  }
}
console.log(`${seen.size} problems, ${slow} over ${limitS} s`);
process.exit(slow > 0 ? 1 : 0);

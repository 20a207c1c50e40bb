// Re-judges an H200 sweep's results against the peers measured again later in the same device call
// (run.sh measures them before and after our sweep): the peer rows of the given files join the
// results file's rows, each shape's peer is taken at its fastest verified median over all of its
// measurements, the spread between them is recorded beside the ratio, and the bar is recomputed.
// The results file is rewritten atomically; the summary goes to stdout as one JSON line.
//
// node rejudge.mjs RESULTS.json PEERS.json [PEERS.json ...]
import { readFileSync } from 'node:fs';
import { readResults, writeResults } from '../../core/results-file.ts';
import type { ResultRow } from '../../core/results.ts';
import { againstFastestPeers, compareWithPeers, type Comparison } from './compare.ts';

export function rejudgeFile(resultsPath: string, peerPaths: readonly string[]): ReturnType<typeof compareWithPeers> {
  const file = readResults(resultsPath) as ReturnType<typeof readResults> & { comparisons?: Comparison[] };
  if (!file.comparisons) throw new Error(`${resultsPath} has no comparisons block: not an H200 sweep's results`);
  // A row already in the results (the first peers file was merged by the sweep) is not added twice.
  const key = (r: ResultRow): string => JSON.stringify([r.problem, r.config, r.samplesMs]);
  const known = new Set(file.runs.map(key));
  const added = peerPaths
    .flatMap((path) => (JSON.parse(readFileSync(path, 'utf8')) as { runs: ResultRow[] }).runs)
    .filter((r) => r.role === 'peer' && !known.has(key(r)));
  const runs = [...file.runs, ...added];
  const comparisons = againstFastestPeers(file.comparisons, runs.filter((r) => r.role === 'peer'));
  const summary = compareWithPeers(comparisons);
  writeResults(resultsPath, { ...file, runs, comparisons, summary } as typeof file);
  return summary;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('rejudge.mjs')) {
  const [resultsPath, ...peerPaths] = process.argv.slice(2);
  if (!resultsPath || peerPaths.length === 0) {
    console.error('usage: rejudge RESULTS.json PEERS.json [PEERS.json ...]');
    process.exit(2);
  }
  try {
    console.log(JSON.stringify(rejudgeFile(resultsPath, peerPaths)));
  } catch (error) {
    console.error(`rejudge: ${(error as Error).message.split('\n')[0]}`);
    process.exit(2);
  }
}

// `tilesweep merge A.json B.json ... --out M.json`: the files of a sharded sweep (or of one device)
// into one results file (tuner/merge.ts: shards interleave back into the unsharded order).
import { Command } from 'commander';
import { message, UsageError } from '../../core/errors.ts';
import { checkOutputFile } from '../../core/output-path.ts';
import { readResults, writeResults } from '../../core/results-file.ts';
import { mergeResults } from '../../tuner/merge.ts';

export const mergeCommand = new Command('merge')
  .description('merge results files of one device (the shards of a sweep back into one)')
  .argument('<results...>', 'results files (*.json or brotli *.json.br)')
  .requiredOption('--out <file>', 'merged results JSON to write')
  .action((paths: string[], flags: { out: string }) => {
    checkOutputFile(flags.out, '--out');
    const merged = mergeResults(paths.map((path) => ({ path, file: readResults(path) })));
    try {
      writeResults(flags.out, merged);
    } catch (error) {
      throw new UsageError(message.cannotWriteOut(flags.out, (error as NodeJS.ErrnoException).code ?? 'error'));
    }
    console.log(`${merged.runs.length} rows from ${paths.length} files: ${flags.out}`);
  });

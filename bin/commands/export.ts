// `tilesweep export <results...> --out DIR`: per (device, kernel) a dispatch table of the best config
// per tuned problem, as JSON, a TypeScript module and a C++ header, each with the nearest-shape rule
// for problems that were not tuned (tuner/dispatch/table.ts).
import { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-file.ts';
import { checkOutputDir } from '../../core/output-path.ts';
import { message, UsageError } from '../../core/errors.ts';
import { readResults } from '../../core/results-file.ts';
import { dispatchHeader } from '../../tuner/dispatch/emit-cpp.ts';
import { dispatchModule } from '../../tuner/dispatch/emit-ts.ts';
import { dispatchTables, tableSlug } from '../../tuner/dispatch/table.ts';

export const exportCommand = new Command('export')
  .description('write dispatch tables (JSON, TypeScript, C++ header): the best config per tuned problem, nearest shape for the rest')
  .argument('<results...>', 'results files (*.json or brotli *.json.br)')
  .requiredOption('--out <dir>', 'directory to write <kernel>-<device>.{json,ts,h} into')
  .option('--json', 'print the tables as JSON instead of a summary')
  .action((paths: string[], flags: { out: string; json?: boolean }) => {
    checkOutputDir(flags.out, '--out');
    const tables = dispatchTables(paths.map(readResults));
    if (tables.length === 0) throw new UsageError(message.nothingToExport(paths));
    try {
      mkdirSync(flags.out, { recursive: true });
    } catch (error) {
      throw new UsageError(message.cannotWriteOut(flags.out, (error as NodeJS.ErrnoException).code ?? 'error'));
    }
    const written = tables.flatMap((table) => {
      const base = join(flags.out, `${table.kernel}-${tableSlug(table)}`);
      writeFileAtomic(`${base}.json`, `${JSON.stringify(table, null, 1)}\n`);
      writeFileAtomic(`${base}.ts`, dispatchModule(table));
      writeFileAtomic(`${base}.h`, dispatchHeader(table));
      return [`${base}.json`, `${base}.ts`, `${base}.h`];
    });
    if (flags.json) process.stdout.write(`${JSON.stringify(tables)}\n`);
    else for (const table of tables) console.log(`${table.kernel} on ${table.device.name}: ${table.entries.length} problems (${table.entries.filter((e) => e.stable).length} stable winners)`);
    if (!flags.json) console.log(`wrote ${written.join(', ')}`);
  });

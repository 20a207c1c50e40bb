// The `tilesweep` command line: argument parsing and printing only; every command lives in its own
// module under bin/commands and is listed here once.
import { Command, CommanderError } from 'commander';
import { UsageError } from '../core/errors.ts';
import { loadCommands } from './commands/index.ts';
import { version } from './version.ts';

const program = new Command('tilesweep')
  .description('Tune and benchmark the GPU kernels behind DeepSeek-V3-class models')
  .version(version)
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });
// addCommand does not pass exitOverride down: every command throws instead of exiting itself.
for (const command of await loadCommands(process.argv.slice(2))) program.addCommand(command.exitOverride());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version exit 0; anything commander rejects is bad usage.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    process.stderr.write(`tilesweep: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}

// The `tilesweep` command line: argument parsing and printing only; every command lives in its own
// module under bin/commands and is listed here once. Exit codes: bin/failure.ts.
import { Command } from 'commander';
import { loadCommands } from './commands/index.ts';
import { failureExit } from './failure.ts';
import { runCli } from './run.ts';
import { version } from './version.ts';

try {
  const program = new Command('tilesweep')
    .description('Tune and benchmark the GPU kernels behind DeepSeek-V3-class models')
    .version(version)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  // addCommand does not pass exitOverride down: every command throws instead of exiting itself.
  for (const command of await loadCommands(process.argv.slice(2))) program.addCommand(command.exitOverride());
  await runCli(program, process.argv);
} catch (error) {
  // A command module that fails to load is a crash of the tool too.
  const { code, text } = failureExit(error, process.env);
  process.stderr.write(text);
  process.exitCode = code;
}

// Every CLI command, listed once, by name: each module exports a commander Command and is imported
// only when its command runs (report and gate pull in vega; tune pulls in Dawn), so start-up stays
// short. With no command, or for help, every module is loaded.
import type { Command } from 'commander';

export const commandModules: Readonly<Record<string, () => Promise<Command>>> = {
  devices: async () => (await import('./devices.ts')).devicesCommand,
  tune: async () => (await import('./tune.ts')).tuneCommand,
  bench: async () => (await import('./bench.ts')).benchCommand,
  gate: async () => (await import('./gate.ts')).gateCommand,
  report: async () => (await import('./report.ts')).reportCommand,
  export: async () => (await import('./export.ts')).exportCommand,
  merge: async () => (await import('./merge.ts')).mergeCommand,
  compile: async () => (await import('./compile.ts')).compileCommand,
  serve: async () => (await import('./serve.ts')).serveCommand,
};

/** The commands needed to parse `argv` (all of them unless it names exactly one). */
export async function loadCommands(argv: readonly string[]): Promise<Command[]> {
  const name = argv.find((arg) => !arg.startsWith('-'));
  const wanted = name !== undefined && name in commandModules ? [name] : Object.keys(commandModules);
  return Promise.all(wanted.map((n) => commandModules[n]()));
}

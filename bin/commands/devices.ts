// `tilesweep devices`: the adapters tilesweep can use and what it read from each.
import { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import type { Backend } from '../../harness/backend.ts';
import { openBackend, type BackendChoice } from '../../harness/open-backend.ts';

async function tryOpen(choice: BackendChoice): Promise<Backend | string> {
  try {
    return await openBackend(choice);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
}

export const devicesCommand = new Command('devices')
  .description('list the backends and devices found, with the capabilities read from each')
  .option('--json', 'print JSON only')
  .action(async (flags: { json?: boolean }) => {
    const found: { backend: string; device?: unknown; caps?: unknown; unavailable?: string }[] = [];
    for (const choice of ['webgpu', 'cuda'] as const) {
      const opened = await tryOpen(choice);
      if (typeof opened === 'string') {
        found.push({ backend: choice, unavailable: opened });
      } else {
        found.push({ backend: choice, device: opened.device, caps: opened.caps });
        await opened.dispose();
      }
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(found, null, 1)}\n`);
    } else {
      for (const entry of found) {
        if (entry.unavailable) {
          console.log(`${entry.backend}: unavailable (${entry.unavailable})`);
          continue;
        }
        console.log(`${entry.backend}: ${(entry.device as { name: string }).name}`);
        for (const [key, value] of Object.entries({ ...(entry.device as object), ...(entry.caps as object) })) {
          console.log(`  ${key.padEnd(26)} ${Array.isArray(value) ? value.join(' x ') : typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
        }
      }
    }
    if (found.every((e) => e.unavailable)) process.exitCode = 1;
  });

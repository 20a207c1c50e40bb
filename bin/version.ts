import { readFileSync } from 'node:fs';

/** The tool version written into every results file, read from package.json. */
export const version: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

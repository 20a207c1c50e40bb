// The tool version and commit the page was built from, filled in by the bundler (web/build.ts) so
// results files downloaded from the page carry them like the CLI's.
declare const TILESWEEP_BUILD: { version: string; commit?: string } | undefined;

export const buildInfo: { version: string; commit?: string } = typeof TILESWEEP_BUILD === 'undefined' ? { version: '0.0.0-dev' } : TILESWEEP_BUILD;

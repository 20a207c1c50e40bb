// Same-run normalization for shared machines. A run may carry a reference kernel measured in the
// same process (a fixed, untuned config); dividing every sample by the reference's median turns
// times into "multiples of the reference", which a machine that is uniformly slower today (clock
// drift, a noisy neighbour, another CI runner) leaves unchanged.
//
// A row is a reference when it says `"reference": true` (a field added to the results contract for
// this), or when its config matches every entry of `--reference-config` (so a sweep that measured a
// fixed naive config anyway can serve without a tune-side change). A pair is normalized only when
// both runs hold a reference with the same kernel and config: against its own (kernel, problem) if
// there is one, else the run's only reference.
import { stableStringify } from '../../core/hash.ts';
import type { Config, ResultRow } from '../../core/results.ts';
import { median } from './samples.ts';

export function isReferenceRow(row: ResultRow, referenceConfig?: Config): boolean {
  if (row.reference === true) return true;
  if (referenceConfig === undefined) return false;
  return Object.entries(referenceConfig).every(([name, value]) => String(row.config[name]) === String(value));
}

export function isMeasured(row: ResultRow): boolean {
  return row.status === 'ok' && Array.isArray(row.samplesMs) && row.samplesMs.length > 0;
}

export interface Reference {
  row: ResultRow;
  medianMs: number;
}

/** Finds each run's reference for a (kernel, problem), by the rules in the header. */
export class ReferenceIndex {
  private readonly references: ResultRow[];

  constructor(rows: readonly ResultRow[], referenceConfig?: Config) {
    this.references = rows.filter((row) => isMeasured(row) && isReferenceRow(row, referenceConfig));
  }

  get count(): number {
    return this.references.length;
  }

  find(kernel: string, problemKey: string): Reference | undefined {
    const own = this.references.filter((row) => row.kernel === kernel && stableStringify(row.problem) === problemKey);
    const chosen = own.length > 0 ? own[own.length - 1] : this.references.length === 1 ? this.references[0] : undefined;
    return chosen === undefined ? undefined : { row: chosen, medianMs: median(chosen.samplesMs ?? []) };
  }
}

/** Two references can stand for one another when they measured the same kernel and config. */
export function sameReference(a: Reference, b: Reference): boolean {
  return a.row.kernel === b.row.kernel && stableStringify(a.row.config) === stableStringify(b.row.config);
}

/** Both rows carry a reference timed right before them, of the same config. */
export function sameAdjacentReference(a: ResultRow | undefined, b: ResultRow | undefined): boolean {
  const x = a?.adjacentReference;
  const y = b?.adjacentReference;
  return x !== undefined && y !== undefined && x.medianMs > 0 && y.medianMs > 0 && stableStringify(x.config) === stableStringify(y.config);
}

/** The row's own adjacent reference, as a Reference to normalize its samples by. */
export function adjacentReference(row: ResultRow): Reference {
  const { config, medianMs } = row.adjacentReference!;
  return { row: { ...row, config, samplesMs: [medianMs], adjacentReference: undefined }, medianMs };
}

// The terms every same-call bar shares (gate --peer-geomean/--peer-each, --roof-share, --speedup): a
// slice of the problems, `@DIM=V,...`, and the least value accepted, `>=R`. Each bar's own parser
// reads its head (a library, a roof and measure, a baseline kernel) and hands these over.
import { UsageError } from '../../core/errors.ts';

export type Slice = Readonly<Record<string, string>>;

/** `M=4096,K=7168` into { M: '4096', K: '7168' }; malformed entries are the bar's own usage error. */
export function parseSlice(text: string | undefined, bad: () => string): Slice {
  const where: Record<string, string> = {};
  for (const entry of (text ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [name, value, ...rest] = entry.split('=');
    if (!name || !value || rest.length > 0) throw new UsageError(bad());
    where[name.trim()] = value.trim();
  }
  return where;
}

/** The least value a bar accepts: a positive number. */
export function parseLeast(text: string, bad: () => string): number {
  const min = Number(text);
  if (!(min > 0)) throw new UsageError(bad());
  return min;
}

/** A problem is in the slice when each named dimension has the named value. */
export const inSlice = (problem: Readonly<Record<string, unknown>>, where: Slice): boolean =>
  Object.entries(where).every(([k, v]) => String(problem[k]) === v);

// The time a list of independent pieces of work takes on `runners` that each take the next piece as
// they get free, in list order: how lavapipe's thread pool hands out workgroups and how a GPU's
// dispatcher hands out CTAs to free SMs. Used by the analytic models of both (wgsl-cost.ts,
// attention/cuda/model.ts).

/** The makespan of these durations handed out in order; `count` repeats the list. */
export function makespan(durations: readonly number[], runners: number, count = 1): number {
  const n = durations.length * count;
  if (n === 0) return 0;
  // A count the caller could not compute (a config without the fields its model reads) has no makespan.
  if (!Number.isSafeInteger(n) || !(runners >= 1)) return NaN;
  if (durations.every((t) => t === durations[0])) return Math.ceil(n / runners) * durations[0];
  const free = new Array<number>(Math.min(runners, n)).fill(0);
  for (let i = 0; i < n; i++) {
    let at = 0;
    for (let k = 1; k < free.length; k++) if (free[k] < free[at]) at = k;
    free[at] += durations[i % durations.length];
  }
  return Math.max(...free);
}

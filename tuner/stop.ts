// When a sweep stops asking for configs, whatever its strategy: once `--time-limit` seconds have
// passed (on an injected clock, so tests never read wall time), or once a caller's condition holds
// (the replay benchmark stops at the first row within 2% of the best). The check wraps `evaluate`, so
// every strategy honours it without knowing: the next ask ends the strategy's loop, and the sweep
// keeps every row recorded so far.
import type { ResultRow } from '../core/results.ts';
import type { Evaluate } from './strategies/types.ts';

/** Thrown by a guarded evaluate instead of asking for one more config; runSweep catches it. */
export class SweepStopped extends Error {
  override name = 'SweepStopped';
}

export interface StopRules {
  /** Seconds after the sweep started past which no config is asked for. */
  timeLimitS?: number;
  /** Milliseconds on a monotonic clock; performance.now unless a test injects one. */
  clock?: () => number;
  /** After a row for which this holds, no further config is asked for. */
  stopWhen?(row: ResultRow): boolean;
}

export function guarded<C>(evaluate: Evaluate<C>, rules: StopRules): Evaluate<C> {
  const clock = rules.clock ?? (() => performance.now());
  const started = clock();
  let satisfied = false;
  return async (config) => {
    if (satisfied) throw new SweepStopped('the stop condition holds');
    if (rules.timeLimitS !== undefined && clock() - started >= rules.timeLimitS * 1e3) throw new SweepStopped(`time limit of ${rules.timeLimitS} s passed`);
    const row = await evaluate(config);
    if (rules.stopWhen?.(row)) satisfied = true;
    return row;
  };
}

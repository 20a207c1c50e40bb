// The CUDA runner can be started under another program that takes the runner's command line after
// its own words, such as `compute-sanitizer --tool racecheck --log-file FILE`, so that a kernel never
// run before can be checked for shared-memory races and barrier misuse on the GPU host. The wrapper
// must leave the runner's standard output alone (the sanitizer's reports go to its log file): the
// runner answers on it, one JSON line a request.

/** The variable that names the wrapper: its words, split at white space (no quoting). */
export const RUNNER_WRAP_VARIABLE = 'TILESWEEP_CUDA_RUNNER_WRAP';

export interface RunnerCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** The runner's command line: the binary alone, or the wrapper's words followed by the binary. */
export function runnerCommand(binary: string, wrap: string | undefined): RunnerCommand {
  const words = (wrap ?? '').split(/\s+/).filter((w) => w.length > 0);
  return words.length === 0 ? { command: binary, args: [] } : { command: words[0]!, args: [...words.slice(1), binary] };
}

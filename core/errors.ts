// One place for the messages a user sees on bad input (STYLE.md, habit 10). A UsageError ends the
// CLI with exit code 2 and its one-line message; everything else is a bug or a result row.

export class UsageError extends Error {
  override name = 'UsageError';
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

export const message = {
  unknownKernel: (name: string, known: readonly string[]) =>
    `unknown kernel ${show(name)}; known kernels: ${known.join(', ')}`,
  unknownPreset: (kernel: string, name: string, known: readonly string[]) =>
    `unknown preset ${show(name)} for ${kernel}; presets: ${known.join(', ')}`,
  unknownStrategy: (name: string, known: readonly string[]) =>
    `unknown strategy ${show(name)}; strategies: ${known.join(', ')}`,
  unknownBackend: (name: string, known: readonly string[]) =>
    `unknown backend ${show(name)}; backends: ${known.join(', ')}`,
  badShapeEntry: (entry: string) => `bad --shape entry ${show(entry)}: expected name=integer, e.g. M=128`,
  unknownDimension: (kernel: string, name: string, known: readonly string[]) =>
    `unknown dimension ${show(name)} for ${kernel}; dimensions: ${known.join(', ')}`,
  missingDimension: (kernel: string, name: string) => `--shape for ${kernel} needs ${name}=<integer>`,
  notPositive: (name: string, value: number) => `${name}=${value} must be a positive integer`,
  notMultiple: (name: string, value: number, of: number) => `${name}=${value} is not a multiple of ${of}`,
  kNotRowAligned: (K: number, of: number) =>
    `K=${K} is not a multiple of ${of}: each row of A and B is K e4m3 bytes, and TMA loads rows whose pitch is a whole number of ${of} bytes (K may end in a partial 128-wide scale block)`,
  tooLargeForDevice: (what: string, bytes: number, limit: number) =>
    `${what} needs ${bytes} bytes, more than this adapter's ${limit}-byte buffer limit`,
  badParam: (entry: string) => `bad --param entry ${show(entry)}: expected name=value[,value...]`,
  unknownParam: (kernel: string, name: string, known: readonly string[]) =>
    `unknown parameter ${show(name)} for ${kernel}; parameters: ${known.join(', ')}`,
  incompleteConfig: (name: string, text: string) => `config ${show(text)} needs exactly one value for ${name}`,
  badParamValue: (name: string, value: string, allowed: readonly unknown[]) =>
    `value ${show(value)} for ${name} is not one of ${allowed.map(String).join(', ')}`,
  notInteger: (flag: string, value: string) => `${flag} ${show(value)} is not a positive integer`,
  notNonNegativeInteger: (flag: string, value: string) => `${flag} ${show(value)} is not a whole number (0 or more)`,
  presetAndShape: () => `--preset and --shape are exclusive; give one`,
  noAdapter: (detail: string, advice = 'run scripts/setup.sh to install Mesa lavapipe') => `no WebGPU adapter found (${detail}); ${advice}`,
  browserWebGpuAdvice: 'use a browser with WebGPU (Chrome or Edge 113+; on Linux, start it with --enable-unsafe-webgpu)',
  portInUse: (port: number, detail: string) => `cannot serve on 127.0.0.1:${port} (${detail}); pass --port with a free port, or --port 0 for any`,
  noCuda: (detail: string) => `CUDA backend unavailable: ${detail}`,
  notPositiveNumber: (flag: string, value: string) => `${flag} ${show(value)} is not a positive number`,
  badResultsFile: (path: string, detail: string) => `${path} is not a tilesweep results file: ${detail}`,
  noSuchFile: (path: string) => `${path}: no such file`,
  inputIsFolder: (path: string) => `${path}: is a folder, not a results file`,
  unreadable: (path: string, reason: string) => `${path}: cannot read (${reason})`,
  resultsTooLarge: (path: string, limitMib: number) =>
    `${path} is larger than the ${limitMib} MiB limit of a results file; split the sweep into several files`,
  tooManyRows: (path: string, rows: number, limit: number) =>
    `${path} holds ${rows} rows, more than the limit of ${limit} rows a results file may hold; split the sweep into several files`,
  reportTooManyRows: (rows: number, limit: number) =>
    `the results files hold ${rows} rows together, more than the limit of ${limit} rows one report reads; report fewer files at once`,
  // Outputs (core/output-path.ts, core/output-lock.ts, core/atomic-file.ts)
  outputIsFolder: (flag: string, path: string) => `${flag} ${path}: is a folder`,
  outputNotFile: (flag: string, path: string) => `${flag} ${path}: is not a regular file`,
  outputUnderFile: (flag: string, path: string, file: string) => `${flag} ${path}: ${file} is a file, not a folder`,
  outputSpecial: (flag: string, path: string, root: string) => `${flag} ${path}: outputs under ${root} are not accepted`,
  cannotWrite: (flag: string, path: string, reason: string) => `${flag} ${path}: cannot write (${reason})`,
  writeFailed: (path: string, reason: string) => `cannot write ${path}: ${reason}`,
  outputLocked: (path: string, pid: number) =>
    `another tilesweep (pid ${pid}) is writing ${path}; wait for it to finish or give another --out`,
  // tilesweep gate (reports/gate)
  gateOtherDevice: (basePath: string, base: string, curPath: string, cur: string) =>
    `baseline ${basePath} was measured on other hardware: ${base}, current ${curPath} on ${cur}; ` +
    `pass --allow-other-device to compare anyway`,
  gateNothingMeasured: (path: string) => `baseline ${path} holds no measured run to compare against`,
  gateBadPercent: (flag: string, value: string) => `${flag} ${show(value)} is not a percentage between 0 and 1000`,
  gateBadKernelThreshold: (entry: string) => `bad --kernel-threshold entry ${show(entry)}: expected kernel=percent, e.g. fp8-gemm=8`,
  unknownCudaProfile: (name: string, known: readonly string[]) => `unknown CUDA device ${show(name)} for --for; known: ${known.join(', ')}, or a file of tilesweep devices --json from that machine`,
  badDevicesFile: (path: string) => `${path} is not what tilesweep devices --json writes on a CUDA machine (no entry with CUDA capabilities)`,
  compileNeedsProblem: () => `compile needs --preset or --shape: the sources depend on the problem`,
  compileNeedsCuda: (kernel: string) => `${kernel} has no CUDA target: nothing to compile ahead`,
  nvccMissing: (why: string) => `compile needs nvcc: ${why}`,
  gateBadPeerBar: (text: string) => `bad peer bar ${show(text)}: expected LIBRARY[@DIM=V,...]>=RATIO, e.g. cuBLASLt@M=4096>=1.15`,
  gateBadRoofBar: (text: string) =>
    `bad roof bar ${show(text)}: expected ROOF:MEASURE[@DIM=V,...]>=SHARE with MEASURE bytes, kv-bytes, weight-bytes or flops, e.g. copy:kv-bytes@sq=1>=0.85`,
  gateBadSpeedupBar: (text: string) => `bad speedup bar ${show(text)}: expected KERNEL[@DIM=V,...]>=RATIO, e.g. mha-decode@H=128>=30`,
  gateNothingToJudge: () => `gate needs --baseline FILE, or a same-call bar (--peer-geomean, --peer-each, --roof-share, --speedup) to judge --current by`,
  gateBadAlpha: (value: string) => `--alpha ${show(value)} is not a probability between 0 and 1`,
  gateBadConfigEntry: (entry: string) => `bad --reference-config entry ${show(entry)}: expected name=value`,
  gateRerunOtherDevice: (path: string, file: string, backend: string) =>
    `--rerun measures on ${backend}, but ${path} was measured on ${file}; rerun on the machine that made it`,
  gateRerunBackend: (path: string, backend: string) => `--rerun re-measures webgpu or cuda results; ${path} was measured with ${backend}`,
  notOneOf: (name: string, value: number | string, allowed: readonly (number | string)[]) =>
    `${name}=${value} is not one of ${allowed.join(', ')}`,
  needsShaderF16: (kernel: string, f32Shape: string) =>
    `${kernel} with f16 storage needs the shader-f16 feature, which this adapter lacks; run it with f32 storage: --shape ${f32Shape}`,
  notDivisor: (name: string, value: number, of: string, total: number) => `${name}=${value} must divide ${of}=${total}`,
  exclusiveDimensions: (a: string, b: string) => `--shape flags ${a}=1 and ${b}=1 are exclusive; give one`,
  noConfigInFile: (path: string, kernel: string, problem: string) => `${path} has no verified ${kernel} row for problem ${problem}`,
  badShard: (text: string) => `--shard ${show(text)}: expected i/n with 1 <= i <= n, e.g. 1/2`,
  replayNoProblem: (path: string, kernel: string, problem: string | undefined, recorded: readonly string[]) =>
    problem === undefined
      ? `${path} records no ${kernel} candidate rows to replay`
      : `${path} does not record ${kernel} problem ${problem}; it records: ${recorded.join('; ')}`,
  replayNoCall: (path: string, call: string, calls: readonly string[]) =>
    `${path} holds no call ${show(call)} with candidate rows; calls: ${calls.join(', ') || 'none (its rows name no runId)'}`,
  replayUnknownParam: (name: string, known: readonly string[]) =>
    `--param ${show(name)} names no parameter of the recorded configs; parameters: ${known.join(', ')}`,
  mergeMismatch: (path: string, what: string, first: string, other: string) =>
    `${path} cannot be merged: its ${what} is ${other}, the first file's ${first}`,
  cannotWriteOut: (path: string, detail: string) => `cannot write --out ${show(path)}: ${detail}`,
  nothingToExport: (paths: readonly string[]) => `no ok candidate row to export in ${paths.join(', ')}`,
  noTarget: (kernel: string, language: string, known: readonly string[]) =>
    `${kernel} has no ${language} target; it runs in: ${known.join(', ') || 'nothing'}`,
  noCandidates: (kernel: string, language: string) =>
    `${kernel} has no candidate list for ${language}; use --space default, full or a FILE of configs`,
  badSpaceFile: (path: string, detail: string) => `--space ${path}: ${detail}`,
  badConfig: (detail: string) => `bad config: ${detail}`,
  unknownPeer: (kernel: string, language: string, name: string, known: readonly string[]) =>
    `unknown peer ${show(name)} for ${kernel} on ${language}; peers: ${known.join(', ') || 'none'}`,
  peersNeedBest: () => `--interleave needs a config of ours to alternate with; it was not found`,
  badConfigChoice: (value: string) => `--config ${JSON.stringify(value)}: expected "best" or a results file`,
  badGpus: (text: string, why: string) => `bad --gpus ${show(text)}: ${why}; expected all or device ordinals, e.g. 0,1`,
  gpusNeedCuda: (backend: string) => `--gpus runs one CUDA runner per GPU; it needs --backend cuda, not ${backend}`,
  gpusWithout: (flag: string) => `--gpus with several GPUs cannot take ${flag}: its rows must be timed on one GPU`,
  gpuNotOnHost: (ordinal: number, count: number) => `--gpus names GPU ${ordinal}, but this host has ${count} (ordinals 0-${count - 1})`,
  gpusDiffer: (a: string, b: string) => `--gpus names GPUs of different kinds (${a}; ${b}): one sweep ranks its rows against each other, so choose GPUs of one kind`,
} as const;

// A stand-in for the CUDA runner (harness/cuda/runner/runner.cpp) speaking its JSON-lines protocol
// far enough for the multi-GPU tests: `hello` answers for the GPU named by TILESWEEP_CUDA_DEVICE on a
// host of FAKE_GPUS GPUs, unless the file FAKE_GONE exists (the GPU fell off the bus); `crash` dies
// as a runner does on an illegal address.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

const ordinal = Number(process.env.TILESWEEP_CUDA_DEVICE ?? 0);
const count = Number(process.env.FAKE_GPUS ?? 1);
createInterface({ input: process.stdin }).on('line', (line) => {
  const { op } = JSON.parse(line);
  if (op === 'hello') {
    if (process.env.FAKE_GONE && existsSync(process.env.FAKE_GONE)) {
      process.stdout.write(`${JSON.stringify({ ok: false, status: 'unavailable', error: `CUDA_ERROR_NO_DEVICE opening GPU ${ordinal}`, fatal: true })}\n`);
      return;
    }
    process.stdout.write(`${JSON.stringify({ ok: true, name: 'Fake H200', ordinal, deviceCount: count })}\n`);
  } else if (op === 'crash') {
    process.stderr.write('an illegal memory access was encountered\n');
    process.exit(134);
  } else if (op === 'exit') {
    process.exit(0);
  } else {
    process.stdout.write(`${JSON.stringify({ ok: false, status: 'bad-request', error: `unknown op ${op}` })}\n`);
  }
});

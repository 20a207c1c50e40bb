// JSON Schema of the results contract (core/results.ts), checked with ajv when a results file is
// read (a results file is input) and in the tests on every file tilesweep writes.
import { Ajv, type ValidateFunction } from 'ajv';
import { RESULTS_SCHEMA, type ResultsFile } from './results.ts';

const number = { type: 'number' } as const;
const nonNegative = { type: 'number', minimum: 0 } as const;

export const resultsJsonSchema = {
  $id: 'https://tilesweep.dev/schema/results-1.json',
  type: 'object',
  required: ['schema', 'tool', 'device', 'createdAt', 'runs'],
  properties: {
    schema: { const: RESULTS_SCHEMA },
    tool: {
      type: 'object',
      required: ['name', 'version'],
      properties: { name: { const: 'tilesweep' }, version: { type: 'string' } },
    },
    device: {
      type: 'object',
      required: ['backend', 'name', 'vendor', 'driver', 'fingerprint'],
      properties: {
        backend: { enum: ['webgpu', 'cuda', 'gpujs', 'replay'] },
        name: { type: 'string' },
        vendor: { type: 'string' },
        driver: { type: 'string' },
        fingerprint: { type: 'string', minLength: 1 },
      },
    },
    createdAt: { type: 'string', format: 'date-time' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kernel', 'problem', 'config', 'role', 'status', 'flops', 'bytes'],
        properties: {
          kernel: { type: 'string' },
          problem: { type: 'object' },
          config: { type: 'object' },
          role: { enum: ['candidate', 'baseline', 'peer'] },
          status: { enum: ['ok', 'invalid', 'compile-error', 'runtime-error', 'timeout', 'mismatch', 'unavailable'] },
          error: { type: 'string' },
          samplesMs: { type: 'array', items: nonNegative },
          medianMs: nonNegative,
          p10Ms: nonNegative,
          p90Ms: nonNegative,
          rme: number,
          timer: { enum: ['gpu-timestamp', 'cuda-event', 'wall-clock'] },
          flops: nonNegative,
          bytes: nonNegative,
          tflops: nonNegative,
          gbps: nonNegative,
          verified: {
            type: 'object',
            required: ['ok', 'maxAbsErr', 'maxRelErr', 'cosineDiff'],
            properties: { ok: { type: 'boolean' }, maxAbsErr: number, maxRelErr: number, cosineDiff: number },
          },
        },
        allOf: [
          // A measured row keeps its raw samples; an ok row was measured and verified.
          { if: { required: ['medianMs'] }, then: { required: ['samplesMs', 'timer'] } },
          { if: { properties: { status: { const: 'ok' } } }, then: { required: ['samplesMs', 'medianMs', 'verified'] } },
          { if: { properties: { status: { not: { const: 'ok' } } } }, then: { required: ['error'] } },
        ],
      },
    },
  },
} as const;

let validator: ValidateFunction | undefined;

/**
 * Where the first number that is not finite sits (JSON has no Infinity, but `1e999` parses as one):
 * JSON Schema's "number" admits it, and a report would draw NaN axes from it.
 */
function nonFinitePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path || '/';
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFinitePath(value[i], `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key in value) {
    const found = nonFinitePath((value as Record<string, unknown>)[key], `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Error text of the first violations, or undefined when the value is a valid results file. */
export function resultsErrors(value: unknown): string | undefined {
  validator ??= new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(resultsJsonSchema);
  const nonFinite = nonFinitePath(value);
  if (nonFinite !== undefined) return `${nonFinite} is not a finite number`;
  if (validator(value)) return undefined;
  return (validator.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ');
}

export const isResultsFile = (value: unknown): value is ResultsFile => resultsErrors(value) === undefined;

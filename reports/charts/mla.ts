// MLA against MHA, GQA and MQA: KV-cache bytes per token (log scale), and the measured decode rate.
import type { TopLevelSpec } from 'vega-lite';
import type { DecodeRow } from '../model/decode.ts';
import type { KvRow } from '../model/report.ts';

const schema = 'https://vega.github.io/schema/vega-lite/v6.json';

export function kvBytesSpec(kv: readonly KvRow[]): TopLevelSpec {
  return {
    $schema: schema,
    width: 420,
    height: 160,
    data: { values: kv.map((r) => ({ kind: r.shape.kind, detail: r.shape.detail, bytes: r.bytesPerToken })) },
    mark: 'bar',
    encoding: {
      y: { field: 'kind', type: 'nominal', sort: null, title: null },
      x: { field: 'bytes', type: 'quantitative', scale: { type: 'log' }, stack: null, title: 'KV-cache bytes per token, 61 layers, BF16' },
      // A log scale has no zero: bars start at the plot's left edge.
      x2: { value: 0 },
      tooltip: [
        { field: 'kind', type: 'nominal' },
        { field: 'detail', type: 'nominal' },
        { field: 'bytes', type: 'quantitative', format: ',' },
      ],
    },
  };
}

export function decodeSpec(rows: readonly DecodeRow[]): TopLevelSpec {
  return {
    $schema: schema,
    width: 420,
    height: { step: 18 },
    data: {
      values: rows.map((r) => ({
        kernel: r.attention.kind,
        case: `${r.attention.kind} ${r.sweep.problemLabel} (${r.sweep.device.name})`,
        tokens: r.economics.tokensPerSecondPerGpu,
      })),
    },
    mark: 'bar',
    encoding: {
      y: { field: 'case', type: 'nominal', title: null, axis: { labelLimit: 420 } },
      x: { field: 'tokens', type: 'quantitative', scale: { type: 'log' }, stack: null, title: 'decode tokens/s per GPU (attention only)' },
      x2: { value: 0 },
      color: { field: 'kernel', type: 'nominal', title: 'attention' },
      tooltip: [
        { field: 'case', type: 'nominal' },
        { field: 'tokens', type: 'quantitative', format: '.4g' },
      ],
    },
  };
}

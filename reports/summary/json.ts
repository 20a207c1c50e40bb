// The JSON summary written beside index.html: the report's figures as data, for tools and gates.
import type { ReportModel } from '../model/report.ts';
import { configLabel } from '../model/sweeps.ts';

export const SUMMARY_SCHEMA = 'tilesweep.report-summary/1';

const finiteOrNull = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);

export function summaryJson(model: ReportModel) {
  return {
    schema: SUMMARY_SCHEMA,
    inputs: model.inputs,
    options: model.options,
    devices: model.devices.map((d) => ({
      name: d.name,
      reportedName: d.info.name,
      backend: d.info.backend,
      fingerprint: d.info.fingerprint,
      isCpu: d.isCpu,
      datasheet: d.datasheet?.id ?? null,
      measuredCopyBytesPerS: d.copy?.value ?? null,
      measuredMatmulFlopsPerS: d.matmul?.value ?? null,
      rows: d.rows.length,
      calls: [...d.calls.values()].map((c) => ({
        run: c.label,
        startedAt: c.startedAt,
        commit: c.commit ?? null,
        command: c.command ?? null,
        equivalentCommand: c.equivalent,
        device: c.device.name,
        driver: c.device.driver,
        clocks: c.clocks ?? null,
        files: c.files,
      })),
    })),
    best: model.points
      .filter((p) => p.best)
      .map((p) => ({
        device: model.devices.find((d) => d.key === p.deviceKey)?.info.name,
        kernel: p.kernel,
        problem: p.problemLabel,
        config: p.configLabel,
        medianMs: p.medianMs,
        flopsPerS: p.achieved,
        intensity: finiteOrNull(p.intensity),
        precision: p.precision,
        datasheetRoof: p.datasheet ? { bound: p.datasheet.bound, fraction: p.datasheet.fraction } : null,
        measuredRoof: p.measured ? { bound: p.measured.bound, fraction: p.measured.fraction } : null,
      })),
    headline: model.headline.map((t) => ({
      device: t.device.name,
      kernel: t.kernel,
      peers: t.peers,
      shapes: t.shapes.map((s) => ({
        problem: s.problem,
        cells: s.cells.map((c) => ({
          peer: c.peer,
          sameCall: c.same
            ? { call: t.device.calls.get(c.same.call)?.label ?? c.same.call, oursMs: c.same.oursMs, peerMs: c.same.peerMs, ratio: c.same.ratio, basis: c.same.basis, rounds: c.same.rounds, spread: c.same.spread ?? null }
            : null,
          otherCall: c.other ? { call: t.device.calls.get(c.other.call)?.label ?? c.other.call, peerMs: c.other.peerMs } : null,
        })),
      })),
      geomeans: t.geomeans,
    })),
    sweeps: model.sweeps.map((s) => ({
      device: s.device.info.name,
      kernel: s.kernel,
      problem: s.problemLabel,
      measured: s.measured.length,
      failures: s.failures,
      tiedWithBest: s.measured.filter((m) => m.tiedWithBest).map((m) => configLabel(m.row.config)),
      model: model.modelFit.get(s) ?? null,
    })),
    kvCache: model.kv.map((r) => ({
      attention: r.shape.kind,
      detail: r.shape.detail,
      bytesPerTokenPerLayer: r.bytesPerTokenPerLayer,
      bytesPerToken: r.bytesPerToken,
      maxBatchPerGpu: Object.fromEntries(r.fits.map((f) => [f.gpu, { gpus: f.gpus, batch: f.batch }])),
    })),
    decode: model.decode.map((d) => ({
      basis: 'measured',
      device: d.sweep.device.info.name,
      kernel: d.sweep.kernel,
      problem: d.sweep.problemLabel,
      layerMs: d.layerMs,
      ...d.economics,
      h800: d.h800 ?? null,
    })),
    mlaVersusMha: model.mlaVersusMha.map((pair) => ({
      device: pair.device.info.name,
      problem: pair.label,
      sides: [...pair.mla, ...(pair.mha ? [pair.mha] : [])].map((s) => ({
        attention: s.attention, kernel: s.kernel, cache: s.cache, call: s.row.call, layerMs: s.layerMs,
        kvBytesPerToken: s.kvBytesPerToken, kvBytesPerS: s.kvBandwidth, flopsPerS: s.flopRate,
        memoryRoof: s.memoryRoof ?? null, memoryShare: s.memoryShare ?? null,
        computeRoof: s.computeRoof ?? null, computeShare: s.computeShare ?? null,
        dollarsPerMillionTokens: s.economics.dollarsPerMillionTokens,
        h800: s.h800 ?? null,
      })),
      mhaOverMlaTime: pair.speedups,
    })),
    gemmProjections: model.gemms.map((g) => ({
      device: g.sweep.device.info.name,
      kernel: g.sweep.kernel,
      problem: g.sweep.problemLabel,
      basis: g.basis,
      bound: g.bound,
      sourceFlopsPerS: g.sourceRate,
      h800FlopsPerS: g.h800Rate,
      pretrainH800GpuHours: g.pretrainGpuHours,
    })),
    training: model.training,
  };
}

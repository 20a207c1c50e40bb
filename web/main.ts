// The page: shows the adapter (limits, features, which timer), asks the sweep worker for sweeps, draws
// rows as they come (table and live chart) and offers the rows so far as a results file and as a
// dispatch table at any time, a lost device or a stopped sweep included.
import { resultsErrors } from '../core/results-schema.ts';
import { resultsFile, type CallProvenance, type DeviceInfo, type Problem, type ResultRow, type ResultsFile } from '../core/results.ts';
import { buildInfo } from './build-info.ts';
import { LiveChart } from './chart.ts';
import { dispatchTables } from './dispatch.ts';
import type { FamilyInfo, FromWorker, SweepRequest, ToWorker } from './protocol.ts';
import { adapterPanel, noticesFor } from './panel.ts';

const $ = <T extends HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;

const form = $<HTMLFormElement>('#sweep');
const field = <T extends HTMLInputElement | HTMLSelectElement>(name: string): T => form.elements.namedItem(name) as T;
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (message: ToWorker): void => worker.postMessage(message);

interface Session {
  device: DeviceInfo;
  families: readonly FamilyInfo[];
  chart: LiveChart;
  rows: ResultRow[];
  calls: Record<string, CallProvenance>;
  current?: { call: CallProvenance; kernel: string; problem: Problem; planned: number; done: number };
}
let session: Session | undefined;

const setState = (state: 'loading' | 'ready' | 'running' | 'unavailable'): void => {
  document.body.dataset.state = state;
  $<HTMLButtonElement>('#start').disabled = state !== 'ready';
  $<HTMLButtonElement>('#stop').disabled = state !== 'running';
};

function notice(kind: 'info' | 'warn' | 'lost', text: string): void {
  const p = document.createElement('p');
  p.className = `notice-${kind}`;
  p.dataset.notice = kind;
  p.textContent = text;
  $('#notices').append(p);
}

const problemText = (problem: Problem): string => Object.entries(problem).map(([k, v]) => `${k}=${v}`).join(',');

function fillSelect(select: HTMLSelectElement, options: readonly (readonly [value: string, label: string, disabledBecause?: string])[]): void {
  select.replaceChildren(
    ...options.map(([value, label, why]) => Object.assign(document.createElement('option'), { value, textContent: label, disabled: why !== undefined, title: why ?? '' })),
  );
}

function showFamily(name: string): void {
  const family = session!.families.find((f) => f.name === name)!;
  // Presets this device cannot run stay listed, greyed out, with the reason on hover.
  fillSelect(field<HTMLSelectElement>('preset'), [
    ['', `device default (${problemText(family.defaultProblem)})`],
    ...family.presets.map((p) => [p, p] as const),
    ...family.refused.map((r) => [r.name, `${r.name} (not on this device)`, r.why] as const),
  ]);
  fillSelect(field<HTMLSelectElement>('space'), family.spaces.map((s) => [s, s] as const));
  field<HTMLInputElement>('shape').placeholder = family.dimensions.map((d) => `${d}=…`).join(',');
}

function resultsOfSession(): ResultsFile {
  const s = session!;
  return resultsFile(s.device, s.rows, buildInfo.version, { calls: s.calls, page: { userAgent: navigator.userAgent } });
}

function download(name: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(value, null, 1)}\n`], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const fileTag = (): string => `${session!.device.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '')}`;

function updateDownloads(): void {
  const n = session?.rows.length ?? 0;
  $('#row-count').textContent = `${n} row${n === 1 ? '' : 's'}`;
  for (const id of ['#download-results', '#download-dispatch', '#clear']) $<HTMLButtonElement>(id).disabled = n === 0;
}

function cell(text: string, className = ''): HTMLTableCellElement {
  return Object.assign(document.createElement('td'), { textContent: text, className });
}

function addRow(row: ResultRow): void {
  const s = session!;
  s.rows.push(row);
  const tr = document.createElement('tr');
  tr.className = `status-${row.status}`;
  const fixed = (x: number | undefined, digits: number) => (x === undefined ? '' : x.toFixed(digits));
  const figure = (x: number | undefined) => (x === undefined ? '' : x.toPrecision(3));
  tr.append(
    cell(String(s.rows.length), 'num'),
    cell(row.kernel),
    cell(problemText(row.problem)),
    cell(JSON.stringify(row.config), 'config'),
    cell(row.status === 'ok' ? 'ok' : `${row.status}: ${row.error ?? ''}`, 'status'),
    cell(fixed(row.medianMs, 4), 'num'),
    cell(figure(row.tflops), 'num'),
    cell(figure(row.gbps), 'num'),
    cell(row.verified ? (row.verified.ok ? `yes (max abs err ${row.verified.maxAbsErr.toPrecision(2)})` : 'NO') : ''),
  );
  $('#rows tbody').append(tr);
  updateDownloads();
  if (s.current) {
    s.current.done++;
    const bar = $<HTMLProgressElement>('#bar');
    bar.max = Math.max(s.current.planned, s.current.done);
    bar.value = s.current.done;
    $('#status').textContent = `Sweeping ${s.current.kernel} ${problemText(s.current.problem)}: ${s.current.done} of ${s.current.planned} configs (last: ${row.status}${row.medianMs !== undefined ? `, ${row.medianMs.toFixed(4)} ms` : ''})`;
  }
  void s.chart.add(row, problemText(row.problem));
}

async function onMessage(message: FromWorker): Promise<void> {
  switch (message.type) {
    case 'unavailable':
      $('#adapter-status').textContent = `No WebGPU here: ${message.reason}`;
      setState('unavailable');
      return;
    case 'ready': {
      $('#adapter').replaceChildren(adapterPanel(message.device, message.caps, message.limits, message.features));
      for (const n of noticesFor(message.caps)) notice(n.kind, n.text);
      const timer = message.caps.timestampQuery ? 'GPU timestamps' : 'wall clock';
      session = { device: message.device, families: message.families, chart: await LiveChart.create($('#chart'), timer), rows: [], calls: {} };
      fillSelect(field<HTMLSelectElement>('kernel'), message.families.map((f) => [f.name, `${f.name}: ${f.description}`] as const));
      fillSelect(field<HTMLSelectElement>('strategy'), message.strategies.map((s) => [s, s] as const));
      field<HTMLSelectElement>('strategy').value = 'random';
      showFamily(message.families[0].name);
      setState('ready');
      return;
    }
    case 'started':
      session!.calls[message.call.runId] = message.call;
      session!.current = { call: message.call, kernel: message.kernel, problem: message.problem, planned: 0, done: 0 };
      $('#status').textContent = `Sweeping ${message.kernel} ${problemText(message.problem)}…`;
      return;
    case 'plan':
      if (session?.current) session.current.planned = message.total;
      return;
    case 'row':
      addRow(message.row);
      return;
    case 'lost':
      notice('lost', `The GPU device was lost (${message.reason}). Rows measured before the loss are kept and can be downloaded; the next sweep opens a new device.`);
      return;
    case 'finished': {
      const c = session?.current;
      const what = c ? `${c.kernel} ${problemText(c.problem)}: ${c.done} config${c.done === 1 ? '' : 's'}` : 'sweep';
      const text = {
        done: `Finished ${what}.`,
        stopped: `Stopped ${what}.`,
        lost: `Device lost during ${what}; the rows before it are kept.`,
        failed: `Could not sweep: ${message.message}`,
      }[message.outcome];
      $('#status').textContent = text;
      document.body.dataset.outcome = message.outcome;
      if (session) session.current = undefined;
      setState('ready');
      return;
    }
  }
}

worker.onmessage = (event: MessageEvent<FromWorker>) => void onMessage(event.data);
worker.onerror = (event) => {
  $('#adapter-status').textContent = `The sweep worker failed: ${event.message}`;
  setState('unavailable');
};

field<HTMLSelectElement>('kernel').addEventListener('change', (event) => showFamily((event.target as HTMLSelectElement).value));

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const number = (name: string) => Number(field<HTMLInputElement>(name).value);
  const request: SweepRequest = {
    kernel: field<HTMLSelectElement>('kernel').value,
    preset: field<HTMLSelectElement>('preset').value || undefined,
    shape: field<HTMLInputElement>('shape').value.trim() || undefined,
    space: field<HTMLSelectElement>('space').value as SweepRequest['space'],
    strategy: field<HTMLSelectElement>('strategy').value,
    budget: number('budget'),
    seed: number('seed'),
    timeMs: number('timeMs'),
  };
  if (![request.budget, request.timeMs].every((n) => Number.isInteger(n) && n > 0) || !(Number.isInteger(request.seed) && request.seed >= 0)) {
    $('#status').textContent = 'Budget and ms per config must be positive whole numbers, the seed a whole number.';
    return;
  }
  delete document.body.dataset.outcome;
  setState('running');
  send({ type: 'start', request });
});

$('#stop').addEventListener('click', () => send({ type: 'stop' }));

$('#download-results').addEventListener('click', () => {
  const file = resultsOfSession();
  const errors = resultsErrors(file);
  if (errors) {
    notice('warn', `The results do not match the schema (${errors}); not downloaded.`);
    return;
  }
  download(`tilesweep-${fileTag()}.json`, file);
});

$('#download-dispatch').addEventListener('click', () => download(`tilesweep-dispatch-${fileTag()}.json`, dispatchTables(session!.device, session!.rows)));

$('#clear').addEventListener('click', async () => {
  if (!session || document.body.dataset.state === 'running') return;
  session.rows = [];
  session.calls = {};
  $('#rows tbody').replaceChildren();
  await session.chart.clear();
  updateDownloads();
});

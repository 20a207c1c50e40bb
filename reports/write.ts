// Writes a report directory: index.html, summary.md and summary.json, each written to a temporary
// name and renamed so a reader never sees half a file.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderPage } from './html/page.ts';
import { buildReportModel, defaultReportOptions, type ReportModel, type ReportOptions } from './model/report.ts';
import { loadResults } from './model/load.ts';
import { summaryJson } from './summary/json.ts';
import { summaryMarkdown } from './summary/markdown.ts';

export interface WrittenReport {
  model: ReportModel;
  files: { html: string; markdown: string; json: string };
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

export async function writeReport(inputs: readonly string[], outDir: string, options: ReportOptions = defaultReportOptions): Promise<WrittenReport> {
  const model = buildReportModel(loadResults(inputs), options);
  await mkdir(outDir, { recursive: true });
  const files = { html: join(outDir, 'index.html'), markdown: join(outDir, 'summary.md'), json: join(outDir, 'summary.json') };
  await writeAtomic(files.html, await renderPage(model));
  await writeAtomic(files.markdown, summaryMarkdown(model));
  await writeAtomic(files.json, `${JSON.stringify(summaryJson(model), null, 2)}\n`);
  return { model, files };
}

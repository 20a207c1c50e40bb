// Writes a report directory: index.html, summary.md and summary.json, each written to a temporary
// name and renamed so a reader never sees half a file.
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-file.ts';
import { renderPage } from './html/page.ts';
import { buildReportModel, defaultReportOptions, type ReportModel, type ReportOptions } from './model/report.ts';
import { loadResults } from './model/load.ts';
import { summaryJson } from './summary/json.ts';
import { summaryMarkdown } from './summary/markdown.ts';

export interface WrittenReport {
  model: ReportModel;
  files: { html: string; markdown: string; json: string };
}

export async function writeReport(inputs: readonly string[], outDir: string, options: ReportOptions = defaultReportOptions): Promise<WrittenReport> {
  const model = buildReportModel(loadResults(inputs), options);
  const files = { html: join(outDir, 'index.html'), markdown: join(outDir, 'summary.md'), json: join(outDir, 'summary.json') };
  // A failed write (a full disk) is a one-line error naming the file, and leaves no temporary file.
  writeFileAtomic(files.html, await renderPage(model));
  writeFileAtomic(files.markdown, summaryMarkdown(model));
  writeFileAtomic(files.json, `${JSON.stringify(summaryJson(model), null, 2)}\n`);
  return { model, files };
}

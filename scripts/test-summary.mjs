// Sums the TAP reports of every test group (node's test runner, one file per group) into the one
// line that ends `npm test`: "tests: N passed, N failed, N skipped". Cancelled tests count as
// failed, todo tests as skipped; a group whose report has no totals (its runner crashed) counts as
// one failed test and is named. Exits 1 when anything failed.
// Usage: node scripts/test-summary.mjs GROUP.tap...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Totals of one TAP report, or undefined when it has none. */
export function tapTotals(text) {
  const total = (name) => {
    // The runner's totals are top-level comments ("# pass 12"); nested ones are indented.
    const match = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const pass = total('pass');
  const fail = total('fail');
  if (pass === undefined || fail === undefined) return undefined;
  return { passed: pass, failed: fail + (total('cancelled') ?? 0), skipped: (total('skipped') ?? 0) + (total('todo') ?? 0) };
}

export function summarize(reports) {
  const sum = { passed: 0, failed: 0, skipped: 0 };
  const notes = [];
  for (const { name, text } of reports) {
    const totals = text === undefined ? undefined : tapTotals(text);
    if (!totals) {
      notes.push(`test group ${name} ended without a report`);
      sum.failed += 1;
      continue;
    }
    sum.passed += totals.passed;
    sum.failed += totals.failed;
    sum.skipped += totals.skipped;
  }
  return { ...sum, notes, line: `tests: ${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const reports = process.argv.slice(2).map((path) => {
    let text;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    return { name: basename(path, '.tap'), text };
  });
  const result = summarize(reports);
  for (const note of result.notes) console.log(note);
  console.log(result.line);
  process.exitCode = result.failed > 0 ? 1 : 0;
}

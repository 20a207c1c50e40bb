import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html, raw, scriptJson } from '../../../reports/html/escape.ts';

test('interpolated strings are escaped, Html is not', () => {
  const name = '<script>alert("x")</script>';
  assert.equal(html`<td>${name}</td>`.text, '<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td>');
  assert.equal(html`<td>${raw('<b>ok</b>')}</td>`.text, '<td><b>ok</b></td>');
  assert.equal(html`${['<a>', html`<i>${'&'}</i>`]}`.text, '&lt;a&gt;<i>&amp;</i>');
  assert.equal(html`${undefined}${null}${false}${0}`.text, '0');
  assert.equal(escapeHtml(`'"`), '&#39;&quot;');
});

test('JSON in a script element cannot close it', () => {
  const text = scriptJson({ kernel: '</script><script>alert(1)</script>', sep: '\u2028' }).text;
  assert.ok(!text.includes('<'));
  assert.ok(!text.includes('\u2028'));
  assert.deepEqual(JSON.parse(text), { kernel: '</script><script>alert(1)</script>', sep: '\u2028' });
});

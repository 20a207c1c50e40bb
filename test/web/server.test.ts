// The static server of `tilesweep serve`: the folder's own files on 127.0.0.1, nothing outside it,
// nothing but GET and HEAD.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileFor, serveStatic } from '../../web/server.ts';

const root = mkdtempSync(join(tmpdir(), 'tilesweep-serve-'));
const site = join(root, 'site');
mkdirSync(site);
writeFileSync(join(site, 'index.html'), '<!doctype html><title>t</title>');
writeFileSync(join(site, 'main.js'), 'export {};');
writeFileSync(join(root, 'secret.txt'), 'outside');

test('paths resolve inside the folder only', () => {
  assert.equal(fileFor(site, '/'), join(site, 'index.html'));
  assert.equal(fileFor(site, '/main.js?v=1'), join(site, 'main.js'));
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/missing.js', '/%E0%A4%A']) assert.equal(fileFor(site, path), undefined, path);
});

test('served on 127.0.0.1 with content types; outside files 404; other methods 405', async () => {
  const { server, url } = await serveStatic(site, 0);
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /text\/html/);
    assert.match(await page.text(), /<title>t<\/title>/);
    assert.match((await fetch(`${url}main.js`)).headers.get('content-type')!, /text\/javascript/);
    assert.equal((await fetch(`${url}..%2fsecret.txt`)).status, 404);
    assert.equal((await fetch(url, { method: 'POST', body: 'x' })).status, 405);
  } finally {
    server.close();
  }
});

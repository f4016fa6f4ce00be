// pages.test.js: every page under web/ loads in Chromium from the `npm start`
// server (scripts/serve.js, which serves only web/, js/ and dist/) with no
// request answered 4xx/5xx, no failed request, no console error, and the
// explorer element rendered (guards the server's allow-list against dropping
// something a page needs); what the explorer page downloads is the figure
// README.md's Sizes section states (within 10%).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { start } from './explorer-helpers.js';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const PAGES = readdirSync(WEB, { recursive: true }).filter((f) => f.endsWith('.html')).sort();

let env;
before(async () => { env = await start(); });
after(async () => { if (env) await env.close(); });

test('the pages found under web/ include the explorer and the embed example', () => {
  assert.ok(PAGES.includes('index.html') && PAGES.includes('embed-example.html'), PAGES.join(', '));
});

for (const page of PAGES) {
  test(`web/${page} loads with every request answered 2xx/3xx and the element rendered`, async () => {
    const { page: tab, log, context } = await env.open(`/web/${page}`);
    await tab.waitForTimeout(200);
    const shown = await tab.evaluate(() => {
      const root = document.querySelector('xent-explorer').shadowRoot;
      return { children: root.childElementCount, loss: root.querySelector('[data-loss]')?.textContent ?? '' };
    });
    assert.deepEqual(log.bad, []);
    assert.deepEqual(log.failed, []);
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.foreign, []);
    assert.ok(shown.children > 0, 'the shadow root has content');
    assert.match(shown.loss, /^-?\d+(\.\d+)?(e[-+]?\d+)?$/, `a loss number is shown (got ${JSON.stringify(shown.loss)})`);
    assert.ok(log.responses.length > 5, 'the page loaded its modules');
    if (page === 'index.html') {
      let bytes = 0;
      for (const r of log.responses) bytes += (await r.body().catch(() => Buffer.alloc(0))).length;
      console.log(`# web/index.html downloads ${(bytes / 1000).toFixed(0)} KB uncompressed in ${log.responses.length} responses`);
      const m = /The explorer page served by\s+`npm start` downloads (\d+) KB/.exec(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
      assert.ok(m, 'README.md states what the explorer page downloads');
      assert.ok(Math.abs(Number(m[1]) * 1000 - bytes) <= 0.1 * bytes,
        `README.md states ${m[1]} KB for the explorer page; it downloaded ${(bytes / 1000).toFixed(0)} KB: update README.md`);
    }
    await context.close();
  });
}

// sampled-panel.test.js: the explorer's "Sampled softmax: for training only"
// panel (web/panels/sampled.js; docs/semantics.md 3.5) in Debian's chromium:
// the full softmax loss and the sampled estimate it shows are what the JS API
// computes in Node for the same example, numSampled and seed; choosing
// numSampled and drawing another sample go through the URL state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { estimate, study } from '../../web/panels/sampled.js';
import { start, close7, settled } from './explorer-helpers.js';

let env;
before(async () => {
  await xent.init();
  env = await start();
});
after(async () => env && env.close());

const read = (page) => page.evaluate(() => {
  const root = document.querySelector('xent-explorer').shadowRoot;
  return {
    full: root.querySelector('[data-sfull]').textContent,
    est: root.querySelector('[data-sest]').textContent,
    chart: root.querySelector('[data-schart] svg') !== null,
    state: document.querySelector('xent-explorer').state,
  };
});

test('the panel shows the full softmax loss and the sampled estimate the API computes, for the numSampled and seed chosen on the page', async () => {
  const { page, log, context } = await env.open('/web/index.html#sampled-num=16&sampled-seed=3');
  await page.locator('xent-explorer [data-sfull]').waitFor();
  let r = await read(page);
  close7(r.full, study(xent).full, 'full softmax loss');
  close7(r.est, estimate(xent, 16, 3).softmax, 'sampled estimate, numSampled 16, seed 3');
  assert.ok(r.chart, 'the bias chart is drawn');
  await page.locator('xent-explorer [data-sk]').selectOption('256');
  await page.locator('xent-explorer [data-sseed]').click();
  await settled(page);
  r = await read(page);
  assert.equal(r.state['sampled-num'], 256);
  assert.equal(r.state['sampled-seed'], 4);
  close7(r.est, estimate(xent, 256, 4).softmax, 'sampled estimate, numSampled 256, seed 4');
  assert.deepEqual(log.errors, []);
  await context.close();
});

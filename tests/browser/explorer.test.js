// explorer.test.js: the explorer in Debian's chromium through
// playwright-core: the page loads clean with the SIMD backend; the
// recommendation shown is xent.recommend's for the same situation; sliders
// moved by real keyboard and pointer events show the losses and gradients the
// JS API (and a float64 reference written here) computes for the values read
// back from the page; the URL restores the state; the embed page honours its
// attributes; pasted NumPy/PyTorch arrays give the API's losses; axe-core finds
// no serious or critical violations; screenshots go to tests/artifacts/. Also
// prints the input-to-numbers latency and the page's transferred size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as esbuild from 'esbuild';
import { serve } from '../../scripts/serve.js';
import { fileURLToPath } from 'node:url';
import * as xent from '../../js/index.js';
import { recommend } from '../../js/recommend.js';
import { tabsFor } from '../../web/panels/recommend.js';
import { start, close7, readLive, settled } from './explorer-helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let env;

before(async () => {
  await xent.init();
  env = await start();
});
after(async () => env && env.close());

// Float64 reference: sparse softmax cross-entropy of one row, and its gradient.
function sparseRef(z, y) {
  const m = Math.max(...z);
  const s = z.reduce((a, v) => a + Math.exp(v - m), 0);
  return { loss: Math.log(s) + m - z[y], grad: z.map((v, j) => Math.exp(v - m) / s - (j === y ? 1 : 0)) };
}

const labelsFromPressed = (pressed, n, C) =>
  Array.from({ length: n }, (_, i) => pressed.slice(i * C, i * C + C).indexOf(true));

function checkSparseLive(live, n, C) {
  const y = labelsFromPressed(live.pressed, n, C);
  const z = Float32Array.from(live.z);
  const api = xent.sparseCategoricalCrossentropy(Int32Array.from(y), z, { fromLogits: true, gradient: true, shape: [n, C] });
  close7(live.loss, api.loss, 'reduced loss vs API');
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const ref = sparseRef(Array.from(z.subarray(i * C, i * C + C)), y[i]);
    close7(live.losses[i], api.losses[i], `example ${i} loss vs API`);
    close7(live.losses[i], ref.loss, `example ${i} loss vs float64 reference`);
    mean += ref.loss / n;
    for (let j = 0; j < C; j++) {
      close7(live.grad[i * C + j], api.grad[i * C + j], `gradient ${i},${j} vs API`);
      assert.ok(Math.abs(Number(live.grad[i * C + j]) - ref.grad[j] / n) < 1e-6, `gradient ${i},${j} vs reference`);
    }
  }
  close7(live.loss, mean, 'reduced loss vs float64 reference');
}

test('the page loads with no console errors or failed requests and runs the SIMD build', async () => {
  const { page, log, context } = await env.open('/web/index.html');
  await page.waitForTimeout(300);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.failed, []);
  assert.deepEqual(log.bad, []);
  assert.deepEqual(log.foreign, [], 'no request leaves the local server');
  assert.equal(await page.evaluate(() => document.querySelector('xent-explorer').backend), 'wasm-simd');
  assert.match(await page.locator('xent-explorer [data-backend]').textContent(), /wasm-simd/);
  let bytes = 0;
  for (const r of log.responses) {
    const s = await r.request().sizes();
    bytes += s.responseBodySize + s.responseHeadersSize;
  }
  console.log(`# page transferred size: ${(bytes / 1024).toFixed(1)} KiB in ${log.responses.length} responses`);
  await context.close();
});

test('the recommendation shown is xent.recommend for the same situation, with its warnings', async () => {
  const { page, context } = await env.open('/web/index.html');
  const cases = [
    { problem: 'multiclass', labels: 'integer', output: 'logits', fromLogits: true, classes: 3 },
    { problem: 'multiclass', labels: 'onehot', output: 'softmax', fromLogits: true, classes: 3, expect: 'double-activation' },
    { problem: 'binary', labels: 'binary01', output: 'logits', fromLogits: false, classes: 2, expect: 'logits-treated-as-probabilities' },
    { problem: 'multilabel', labels: 'multihot', output: 'softmax', fromLogits: false, classes: 3, expect: 'softmax-on-multilabel' },
    { problem: 'binary', labels: 'binary01', output: 'sigmoid', fromLogits: false, classes: 2 },
  ];
  for (const c of cases) {
    const el = (sel) => page.locator(`xent-explorer ${sel}`);
    await el(`fieldset[data-key="problem"] input[value="${c.problem}"]`).check();
    await el(`fieldset[data-key="labels"] input[value="${c.labels}"]`).check();
    await el(`fieldset[data-key="output"] input[value="${c.output}"]`).check();
    await el('input[data-key="from-logits"]').setChecked(c.fromLogits);
    await settled(page);
    const units = c.labels === 'binary01' ? 1 : c.classes;
    const expected = recommend({
      problem: c.problem, labels: c.labels, output: c.output, fromLogits: c.fromLogits,
      numClasses: c.labels === 'binary01' ? 2 : c.classes, outputUnits: units,
    });
    assert.equal(await el('[data-rec-class]').textContent(), expected.keras.code, JSON.stringify(c));
    // The badge is recommend's verdict: never "correct" beside an error.
    const badge = await el('[data-rec-verdict]').textContent();
    assert.equal(badge, `your setup ${expected.verdictText}`, JSON.stringify(c));
    if (expected.warnings.some((w) => w.severity === 'error')) assert.doesNotMatch(badge, /correct/);
    // The tab is the program generated from the page's whole state.
    await el('[data-tab="pytorch"]').click();
    await settled(page);
    const state = await page.evaluate(() => document.querySelector('xent-explorer').state);
    const code = await el('[data-rec-code]').textContent();
    assert.equal(code, tabsFor(xent, state).pytorch.code);
    assert.match(code, new RegExp(`The page shows ${(await el('[data-loss]').textContent()).replace('.', '\\.')}`), 'the program names the loss the Live example shows');
    const shown = await el('[data-rec-warnings] [data-warning]').evaluateAll((ls) => ls.map((l) => l.dataset.warning));
    assert.deepEqual(shown, expected.warnings.map((w) => w.id), JSON.stringify(c));
    if (c.expect) {
      assert.ok(shown.includes(c.expect), `${c.expect} shown for ${JSON.stringify(c)}`);
      const banner = await el('[data-banner] [data-warning]').evaluateAll((ls) => ls.map((l) => l.dataset.warning));
      assert.ok(banner.includes(c.expect), 'the warning is repeated at the live example');
    }
  }
  await context.close();
});

test('keyboard and pointer on a logit slider change the loss and gradient to what the API computes', async () => {
  const { page, context } = await env.open('/web/index.html');
  const before0 = await readLive(page);
  checkSparseLive(before0, 2, 3);
  const slider = page.locator('xent-explorer .zslider').first();
  await slider.focus();
  for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Shift+ArrowDown');
  await settled(page);
  const afterKeys = await readLive(page);
  assert.equal(afterKeys.z[0], Math.round((before0.z[0] + 0.3 - 1) * 100) / 100);
  assert.notEqual(afterKeys.loss, before0.loss);
  assert.notDeepEqual(afterKeys.grad, before0.grad);
  checkSparseLive(afterKeys, 2, 3);
  assert.match(await slider.getAttribute('aria-valuetext'), /\d/);

  const box = await page.locator('xent-explorer .zslider').nth(4).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 8, { steps: 6 });
  await page.mouse.up();
  await settled(page);
  const afterDrag = await readLive(page);
  assert.ok(afterDrag.z[4] > 5, `dragged up to ${afterDrag.z[4]}`);
  assert.notEqual(afterDrag.loss, afterKeys.loss);
  checkSparseLive(afterDrag, 2, 3);

  // A label set by clicking moves the loss too.
  await page.locator('xent-explorer .labbtn').nth(2).click();
  await settled(page);
  const afterLabel = await readLive(page);
  assert.deepEqual(labelsFromPressed(afterLabel.pressed, 2, 3), [2, 1]);
  checkSparseLive(afterLabel, 2, 3);
  await context.close();
});

test('sigmoid outputs with from_logits=False: the page shows the API’s clipped-probability loss and gradient', async () => {
  const { page, context } = await env.open('/web/index.html#problem=multilabel&labels=multihot&output=sigmoid&from-logits=false&classes=4&batch=3');
  const slider = page.locator('xent-explorer .zslider').nth(5);
  await slider.focus();
  await page.keyboard.press('PageUp');
  await settled(page);
  const live = await readLive(page);
  const n = 3, C = 4;
  const y = Float32Array.from(live.pressed.map((p) => (p ? 1 : 0)));
  const p = Float32Array.from(live.z, (v) => 1 / (1 + Math.exp(-v)));
  const api = xent.binaryCrossentropy(y, p, { gradient: true, shape: [n, C] });
  assert.match(live.call, /binaryCrossentropy/);
  close7(live.loss, api.loss, 'reduced loss');
  for (let i = 0; i < n; i++) {
    let ref = 0;
    for (let j = 0; j < C; j++) {
      const q = Math.min(Math.max(p[i * C + j], 1e-7), 1 - 2 ** -23);
      ref -= (y[i * C + j] * Math.log(q) + (1 - y[i * C + j]) * Math.log(1 - q)) / C;
    }
    close7(live.losses[i], api.losses[i], `example ${i}`);
    assert.ok(Math.abs(Number(live.losses[i]) - ref) < 1e-5 * Math.max(1, ref), `example ${i} vs float64 reference`);
  }
  live.grad.forEach((g, k) => close7(g, api.grad[k], `gradient ${k}`));
  await context.close();
});

test('the URL hash round-trips the whole state', async () => {
  const { page, context } = await env.open('/web/index.html');
  const el = (sel) => page.locator(`xent-explorer ${sel}`);
  await el('fieldset[data-key="labels"] input[value="soft"]').check();
  await el('fieldset[data-key="output"] input[value="softmax"]').check();
  await el('select[data-key="classes"]').selectOption('5');
  await el('select[data-key="batch"]').selectOption('3');
  await el('.zslider').nth(7).focus();
  await page.keyboard.press('ArrowDown');
  await el('[data-tab="tfjs"]').click();
  await page.waitForFunction(() => location.hash.includes('labels=soft') && location.hash.includes('tab=tfjs'));
  await page.waitForTimeout(500);
  const state = await page.evaluate(() => document.querySelector('xent-explorer').state);
  const url = page.url();
  const shown = await readLive(page);
  const again = await env.open(url.replace(env.base, ''));
  const state2 = await again.page.evaluate(() => document.querySelector('xent-explorer').state);
  assert.deepEqual(state2, state);
  const shown2 = await readLive(again.page);
  assert.deepEqual(shown2, shown);
  await again.context.close();
  await context.close();
});

test('the embed page presets the state from attributes and hides the panels it names', async () => {
  const { page, log, context } = await env.open('/web/embed-example.html');
  // The embed page is only the script and the tag; the server answers Chromium's /favicon.ico with 204.
  assert.deepEqual(log.bad, []);
  assert.deepEqual(log.errors, []);
  const info = await page.evaluate(() => {
    const el = document.querySelector('xent-explorer');
    const root = el.shadowRoot;
    const hidden = {};
    for (const s of root.querySelectorAll('section[data-part]')) hidden[s.dataset.part] = s.hidden;
    return { state: el.state, hidden, code: root.querySelector('[data-part="code"]').hidden, problem: root.querySelector('fieldset[data-part="problem"]').hidden };
  });
  assert.equal(info.state.problem, 'binary');
  assert.equal(info.state.output, 'sigmoid');
  assert.equal(info.state['from-logits'], true);
  assert.equal(info.state.batch, 3);
  assert.deepEqual(info.hidden, { lessons: false, choose: false, recommend: false, live: false, shapes: false, imbalance: false, metrics: false, curves: true, learn: true, numerics: true, paste: true, sampled: true });
  assert.equal(info.code, true, 'hide="code" hides the code tabs');
  assert.equal(info.problem, true, 'hide="problem" hides that control');
  const warnings = await page.locator('xent-explorer [data-rec-warnings] [data-warning]').evaluateAll((l) => l.map((x) => x.dataset.warning));
  assert.ok(warnings.includes('double-activation'));
  // A host page hears about changes, with the state in the event.
  const detail = page.evaluate(() => new Promise((ok) =>
    document.querySelector('xent-explorer').addEventListener('change', (e) => ok(e.detail), { once: true })));
  await page.locator('xent-explorer input[data-key="from-logits"]').setChecked(false);
  assert.equal((await detail)['from-logits'], false);
  // Attributes set later and camelCase properties both change the state.
  const later = await page.evaluate(async () => {
    const el = document.querySelector('xent-explorer');
    el.setAttribute('batch', '2');
    el.labelSmoothing = 0.2;
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    return { batch: el.batch, ls: el.state['label-smoothing'], examples: el.shadowRoot.querySelectorAll('.ex').length,
      call: el.shadowRoot.querySelector('[data-call]').textContent };
  });
  assert.deepEqual(later, { batch: 2, ls: 0.2, examples: 2, call: 'xent.binaryCrossentropy(yTrue, yPred, { fromLogits: false, labelSmoothing: 0.2 })' });
  await context.close();
});

test('pasted NumPy and PyTorch arrays give the losses the JS API computes', async () => {
  const { page, context } = await env.open('/web/index.html');
  const pairs = [
    ['array([0, 2, 1])', 'array([[ 2. , -1. ,  0.5],\n       [ 0.1,  0.2,  3. ],\n       [-1. ,  1.5e+00,  0. ]], dtype=float32)'],
    ['tensor([1, 2, 0])', 'tensor([[ 0.2500, -3.0000,  1.0000],\n        [ 4.0000,  2.0000, -1.0000],\n        [ 0.0000,  0.0000,  0.0000]], requires_grad=True)'],
  ];
  const rows = [[[2, -1, 0.5], [0.1, 0.2, 3], [-1, 1.5, 0]], [[0.25, -3, 1], [4, 2, -1], [0, 0, 0]]];
  const ys = [[0, 2, 1], [1, 2, 0]];
  for (let c = 0; c < pairs.length; c++) {
    await page.locator('xent-explorer [data-pl]').fill(pairs[c][0]);
    await page.locator('xent-explorer [data-pp]').fill(pairs[c][1]);
    await settled(page);
    assert.equal(await page.locator('xent-explorer [data-seen-labels]').textContent(), 'integer');
    assert.equal(await page.locator('xent-explorer [data-seen-output]').textContent(), 'logits');
    const losses = await page.locator('xent-explorer [data-paste-losses]').allTextContents();
    const loss = await page.locator('xent-explorer [data-paste-loss]').textContent();
    const api = xent.sparseCategoricalCrossentropy(ys[c], rows[c], { fromLogits: true, gradient: true });
    close7(loss, api.loss, 'pasted reduced loss');
    losses.forEach((l, i) => {
      close7(l, api.losses[i], `pasted example ${i}`);
      close7(l, sparseRef(rows[c][i].map(Math.fround), ys[c][i]).loss, `pasted example ${i} vs float64`);
    });
  }
  await context.close();
});

test('training: the matched setting learns the toy data, the flipped from_logits setting learns worse', async () => {
  const { page, context } = await env.open('/web/index.html');
  await page.locator('xent-explorer [data-train]').click();
  await page.waitForFunction(() => /step 240\//.test(document.querySelector('xent-explorer').shadowRoot.querySelector('[data-learn-status]').textContent), null, { timeout: 20000 });
  const acc = await page.evaluate(() => {
    const root = document.querySelector('xent-explorer').shadowRoot;
    const pct = (t) => Number(/accuracy ([\d.]+)%/.exec(t)[1]);
    return [pct(root.querySelector('[data-acc="0"]').textContent), pct(root.querySelector('[data-flip-caption]').textContent)];
  });
  assert.ok(acc[0] >= 90, `logits with from_logits=True reach ${acc[0]}%`);
  assert.ok(acc[1] < acc[0] - 10, `logits fed as probabilities reach only ${acc[1]}%`);
  await context.close();
});

test('numerics: at z = -1e30 the naive formula gives Infinity/NaN while xent stays finite, with Keras\u2019 clip', async () => {
  const { page, context } = await env.open('/web/index.html#numeric-logit=-1e30&numeric-label=1');
  const rows = await page.locator('xent-explorer [data-ntable] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  const find = (re) => rows.find((r) => re.test(r[0]));
  assert.equal(find(/sigmoid output in float32/)[2], 'Infinity');
  // Keras' clip: p = 0 becomes 1e-7 in float32, loss -log(1e-7f), gradient exactly zero.
  close7(find(/fromLogits: false/)[2], -Math.log(Math.fround(1e-7)), 'clipped loss');
  assert.match(find(/fromLogits: false/)[3], /^0 /);
  close7(find(/binaryCrossentropy\(y, z/)[2], Math.fround(1e30), 'loss from logits is |z|');
  assert.match(find(/binaryCrossentropy\(y, z/)[3], /^-1 /);
  assert.equal(find(/naive softmax/)[2], 'Infinity', 'softmax underflows to 0 and -log(0) = Infinity');
  assert.match(find(/sparseCategoricalCrossentropy/)[2], /^1e\+30$/);
  await context.close();
});

test('the live region announces the loss and the top warning', async () => {
  const { page, context } = await env.open('/web/index.html#labels=onehot&output=softmax');
  await page.waitForFunction(() => /Loss \d/.test(document.querySelector('xent-explorer').shadowRoot.querySelector('[aria-live]').textContent));
  const text = await page.locator('xent-explorer [aria-live]').textContent();
  const expected = recommend({ problem: 'multiclass', labels: 'onehot', output: 'softmax', fromLogits: true, numClasses: 3, outputUnits: 3 });
  assert.ok(text.includes(expected.warnings[0].message), text);
  await context.close();
});

for (const scheme of ['light', 'dark']) test(`axe-core finds no serious or critical accessibility violations (${scheme} scheme)`, async () => {
  const { page, context } = await env.open('/web/index.html#labels=soft&output=softmax', { colorScheme: scheme });
  await page.evaluate(() => {
    for (const d of document.querySelector('xent-explorer').shadowRoot.querySelectorAll('details')) d.open = true;
  });
  await settled(page);
  await page.addScriptTag({ path: `${ROOT}node_modules/axe-core/axe.min.js` });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of violations) console.log(`# axe ${v.impact}: ${v.id} (${v.help}) ${v.nodes.join(', ')}`);
  assert.deepEqual(bad, []);
  await context.close();
});

test('off screen the element does no work; back on screen it catches up', async () => {
  const { page, context } = await env.open('/web/index.html');
  const result = await page.evaluate(async () => {
    const el = document.querySelector('xent-explorer');
    const frame = () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    el.style.display = 'none';
    await new Promise((ok) => setTimeout(ok, 200));
    const t0 = el.renderedAt;
    el.state = { batch: 4 };
    await new Promise((ok) => setTimeout(ok, 200));
    const idle = el.renderedAt === t0;
    el.style.display = '';
    await new Promise((ok) => setTimeout(ok, 200));
    await frame();
    return { idle, resumed: el.renderedAt > t0, examples: el.shadowRoot.querySelectorAll('.ex').length };
  });
  assert.deepEqual(result, { idle: true, resumed: true, examples: 4 });
  await context.close();
});

test('input-to-numbers latency (median of 50 key presses) and screenshots', async () => {
  const { page, context } = await env.open('/web/index.html');
  const slider = page.locator('xent-explorer .zslider').first();
  await slider.focus();
  await page.evaluate(() => {
    const el = document.querySelector('xent-explorer');
    window.__lat = [];
    let t = 0;
    el.shadowRoot.addEventListener('keydown', (e) => { t = e.timeStamp; }, true);
    window.__work = [];
    el.addEventListener('change', () => {
      if (t) {
        window.__lat.push(performance.now() - t);
        window.__work.push(el.renderMs);
      }
      t = 0;
    });
  });
  for (let k = 0; k < 50; k++) {
    await page.keyboard.press(k % 2 ? 'ArrowDown' : 'ArrowUp');
    await page.waitForFunction((n) => window.__lat.length >= n, k + 1);
  }
  const lat = (await page.evaluate(() => window.__lat)).sort((a, b) => a - b);
  const median = (lat[24] + lat[25]) / 2;
  const work = (await page.evaluate(() => window.__work)).sort((a, b) => a - b);
  console.log(`# input event to updated numbers: median ${median.toFixed(2)} ms, max ${lat[lat.length - 1].toFixed(2)} ms (50 key presses; ` +
    `the redraw itself, all panels: median ${((work[24] + work[25]) / 2).toFixed(2)} ms)`);
  assert.ok(median < 100, `median latency ${median} ms`);

  // The same for a pointer dragging a bar: pointermove to updated numbers.
  const box = await page.locator('xent-explorer .zslider').nth(1).boundingBox();
  await page.evaluate(() => {
    const el = document.querySelector('xent-explorer');
    window.__plat = [];
    let t = 0;
    el.shadowRoot.addEventListener('pointermove', (e) => { if (e.buttons) t = e.timeStamp; }, true);
    el.addEventListener('change', () => { if (t) window.__plat.push(performance.now() - t); t = 0; });
  });
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + 10);
  await page.mouse.down();
  for (let k = 0; k < 50; k++) {
    await page.mouse.move(x, box.y + 12 + (k % 25) * 3);
    await page.waitForFunction((n) => window.__plat.length >= n, k + 1);
  }
  await page.mouse.up();
  const plat = (await page.evaluate(() => window.__plat)).sort((a, b) => a - b);
  const pmedian = (plat[24] + plat[25]) / 2;
  console.log(`# pointer drag to updated numbers: median ${pmedian.toFixed(2)} ms, max ${plat[plat.length - 1].toFixed(2)} ms (50 moves)`);
  assert.ok(pmedian < 100, `median pointer latency ${pmedian} ms`);
  mkdirSync(`${ROOT}tests/artifacts`, { recursive: true });
  await page.screenshot({ path: `${ROOT}tests/artifacts/explorer.png`, fullPage: true });
  const narrow = await env.open('/web/index.html', { width: 360, height: 780 });
  await narrow.page.screenshot({ path: `${ROOT}tests/artifacts/explorer-360.png`, fullPage: true });
  const overflow = await narrow.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 360, `no horizontal scrolling at 360 px (page is ${overflow} px wide)`);
  await narrow.context.close();
  await context.close();
});

test('bundled by esbuild into one file, the element still loads its styles and the SIMD build', async () => {
  const dir = mkdtempSync(`${os.tmpdir()}/xent-explorer-bundle-`);
  await esbuild.build({ entryPoints: [`${ROOT}web/define.js`], bundle: true, format: 'esm', outfile: `${dir}/app.js`, logLevel: 'silent' });
  writeFileSync(`${dir}/index.html`, '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bundle</title><link rel="icon" href="data:,">' +
    '<script type="module" src="app.js"></script></head><body><xent-explorer labels="onehot" hide="learn"></xent-explorer></body></html>');
  const server = await serve({ root: dir, port: 0 });
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`http://127.0.0.1:${server.port}/index.html`);
  await page.waitForFunction(() => document.querySelector('xent-explorer')?.renderedAt > 0);
  const info = await page.evaluate(() => {
    const el = document.querySelector('xent-explorer');
    return { backend: el.backend, labels: el.labels, styled: getComputedStyle(el).display,
      call: el.shadowRoot.querySelector('[data-call]').textContent };
  });
  assert.deepEqual(errors, []);
  assert.deepEqual(info, { backend: 'wasm-simd', labels: 'onehot', styled: 'block', call: 'xent.categoricalCrossentropy(yTrue, yPred, { fromLogits: true })' });
  await context.close();
  await server.close();
});

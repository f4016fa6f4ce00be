// a11y.test.js (browser): phones and screen readers, in Debian's chromium:
// axe-core finds no serious or critical violations in the light and dark
// schemes at 1280 and 390 px (first screen folded, and every panel open with
// a lesson and data warnings shown); at 390 px nothing overflows sideways,
// every panel's heading is reachable and opens, and warnings fold to one
// sentence; slider announcements carry the probability and the gradient;
// there is one live region; controls that do not apply stay focusable, say
// why, and ignore keys; error messages are linked to their inputs; the focus
// ring differs from the chart markers; the live loss pages pass axe-core too.
// Screenshots of each new view at both widths go to tests/artifacts/
// (gitignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { start, settled } from './explorer-helpers.js';
import { FAMILIES } from '../../web/loss-pages.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ART = `${ROOT}tests/artifacts`;
let env;
before(async () => { mkdirSync(ART, { recursive: true }); env = await start(); });
after(async () => env && env.close());

const inShadow = (page, fn, arg) => page.evaluate(([f, a]) => new Function('root', 'arg', f)(document.querySelector('xent-explorer').shadowRoot, a), [fn, arg]);

async function axe(page) {
  await page.addScriptTag({ path: `${ROOT}node_modules/axe-core/axe.min.js` });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
  for (const v of violations) console.log(`# axe ${v.impact}: ${v.id} (${v.help}) ${v.nodes.join(', ')}`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

for (const scheme of ['light', 'dark']) {
  for (const width of [1280, 390]) {
    test(`axe-core: no serious or critical violations, ${scheme} scheme at ${width} px, folded and fully open`, async () => {
      const folded = await env.open('/web/index.html', { width, colorScheme: scheme, folded: true });
      assert.deepEqual(await axe(folded.page), [], 'first screen');
      await folded.context.close();
      const { page, context } = await env.open('/web/index.html#lesson=label-out-of-range', { width, colorScheme: scheme });
      await inShadow(page, "for (const d of root.querySelectorAll('details')) d.open = true;");
      await settled(page);
      assert.deepEqual(await axe(page), [], 'every panel open');
      await context.close();
    });
  }
}

test('at 390 px nothing overflows sideways, every panel opens from its heading, and warnings fold to their first sentence', async () => {
  const { page, context } = await env.open('/web/index.html#lesson=double-activation', { width: 390, height: 844, folded: true });
  const overflow = () => page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(await overflow() <= 390, `page width ${await overflow()}`);
  const panels = await inShadow(page, "return [...root.querySelectorAll('details.fold')].map((d) => d.dataset.fold);");
  assert.ok(panels.length >= 10);
  for (const p of panels) {
    const summary = page.locator(`xent-explorer [data-fold="${p}"] > summary`);
    if (!(await summary.evaluate((s) => s.parentElement.open))) {
      await summary.focus();
      await page.keyboard.press('Enter');
      await settled(page);
    }
    assert.equal(await summary.evaluate((s) => s.parentElement.open), true, `${p} opens from the keyboard`);
  }
  await settled(page);
  assert.ok(await overflow() <= 390, `with every panel open the page is ${await overflow()} px wide`);
  const warn = await inShadow(page, "const li = root.querySelector('[data-rec-warnings] [data-warning=\"double-activation\"]'); const d = li.querySelector('details'); return { open: d.open, summary: d.querySelector('summary').textContent, full: li.textContent };");
  assert.equal(warn.open, false, 'folded');
  assert.ok(warn.summary.length < 260 && warn.full.length > warn.summary.length + 100, `${warn.summary.length} of ${warn.full.length} characters`);
  await context.close();
});

test('slider announcements carry the probability and the gradient the page shows; there is one live region', async () => {
  const { page, context } = await env.open('/web/index.html#problem=multiclass&labels=integer&batch=1&classes=3&logits=2,-1,0.5&targets=0');
  const s = await inShadow(page, `return [...root.querySelectorAll('.zslider')].map((el, k) => ({ text: el.getAttribute('aria-valuetext'), grad: root.querySelector('[data-grad="' + k + '"]')?.textContent }));`);
  const z = [2, -1, 0.5].map(Math.fround);
  const m = Math.max(...z), e = z.map((v) => Math.exp(v - m)), sum = e.reduce((a, b) => a + b, 0);
  s.forEach((sl, k) => {
    const got = /^(-?[\d.]+), probability ([\d.e-]+), gradient (-?[\d.e-]+)$/.exec(sl.text);
    assert.ok(got, sl.text);
    const p = e[k] / sum;
    assert.ok(Math.abs(Number(got[2]) - p) < 5e-3 * p, `p ${got[2]} vs ${p}`);
    assert.ok(Math.abs(Number(got[3]) - (p - (k === 0 ? 1 : 0))) < 5e-3, `gradient ${got[3]} vs p - y`);
  });
  const regions = await inShadow(page, "return root.querySelectorAll('[aria-live], [role=\"alert\"], [role=\"status\"], [role=\"log\"], output[aria-live]').length;");
  assert.equal(regions, 1, 'one live region');
  await context.close();
});

test('options that do not apply stay focusable, are described by the reason, and ignore keys', async () => {
  const { page, context } = await env.open('/web/index.html#problem=multiclass&labels=integer&output=logits');
  await page.locator('xent-explorer .options summary').click();
  const ls = page.locator('xent-explorer input[data-key="label-smoothing"]');
  const info = await ls.evaluate((el) => ({ disabled: el.disabled, aria: el.getAttribute('aria-disabled'),
    why: el.getAttribute('aria-describedby').split(' ').map((id) => el.getRootNode().getElementById(id)?.textContent ?? '').join(' ') }));
  assert.deepEqual([info.disabled, info.aria], [false, 'true']);
  assert.match(info.why, /SparseCategoricalCrossentropy has no label_smoothing/);
  await ls.focus();
  assert.equal(await ls.evaluate((el) => el.getRootNode().activeElement === el), true, 'reachable by keyboard');
  await page.keyboard.press('ArrowRight');
  await settled(page);
  assert.equal(await page.evaluate(() => document.querySelector('xent-explorer').state['label-smoothing']), 0, 'the key does nothing');
  const focal = page.locator('xent-explorer input[data-key="focal"]');
  await focal.focus();
  await page.keyboard.press('Space');
  await settled(page);
  assert.equal(await page.evaluate(() => document.querySelector('xent-explorer').state.focal), false);
  assert.equal(await focal.isChecked(), false);
  await context.close();
});

test('error messages are linked to their inputs and mark them invalid', async () => {
  const { page, context } = await env.open('/web/index.html');
  const described = (loc) => loc.evaluate((el) => ({ invalid: el.getAttribute('aria-invalid'),
    text: (el.getAttribute('aria-describedby') || '').split(' ').map((id) => el.getRootNode().getElementById(id)?.textContent ?? '').join(' ').trim() }));
  const nz = page.locator('xent-explorer [data-nz]');
  await nz.fill('abc');
  await nz.press('Enter');
  await settled(page);
  let d = await described(nz);
  assert.equal(d.invalid, 'true');
  assert.match(d.text, /"abc" is not a number/);
  const pp = page.locator('xent-explorer [data-pp]');
  await pp.fill('[[1, 2');
  await settled(page);
  d = await described(pp);
  assert.equal(d.invalid, 'true');
  assert.match(d.text, /^Predictions: unbalanced brackets/);
  assert.equal(await page.locator('xent-explorer [data-pl]').getAttribute('aria-invalid'), 'false');
  const cw = page.locator('xent-explorer input[data-key="class-weight"]');
  await page.locator('xent-explorer .options summary').click();
  await cw.fill('1,x,2');
  await cw.press('Enter');
  await settled(page);
  d = await described(cw);
  assert.equal(d.invalid, 'true');
  assert.match(d.text, /Class weights: "x" is not a number/);
  await context.close();
});

test('the focus ring is dashed and of a colour no chart marker or highlight uses', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, context } = await env.open('/web/index.html', { colorScheme: scheme });
    const slider = page.locator('xent-explorer .zslider').first();
    await slider.focus();
    await page.keyboard.press('ArrowUp');
    const ring = await slider.evaluate((el) => { const c = getComputedStyle(el); return { style: c.outlineStyle, color: c.outlineColor }; });
    const used = await inShadow(page, "const h = getComputedStyle(root.host); return ['--s0', '--s1', '--pos', '--neg', '--prob', '--accent'].map((v) => h.getPropertyValue(v).trim());");
    const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    assert.equal(ring.style, 'dashed');
    assert.ok(!used.map(rgb).includes(ring.color), `${scheme}: focus ${ring.color} vs ${used}`);
    await context.close();
  }
});

const VIEWS = [
  ['first-screen', '', null, true],
  ['lesson-card', '#lesson=double-activation', '.panel-lessons', true],
  ['formula-strip', '#lesson=label-smoothing', '.formula', false],
  ['label-shapes', '#labels=integer', '.panel-shapes', false],
  ['imbalance', '#lesson=focal-loss', '.panel-imbalance', false],
  ['metrics', '#problem=binary&labels=binary01&batch=4&logits=0.3,-0.2,2,-1&targets=0,1,1,0', '.panel-metrics', false],
  ['paste-warnings', '#lesson=label-out-of-range', '.panel-paste', false],
];

test('screenshots of each new view at 1280 and 390 px (tests/artifacts/)', async () => {
  for (const width of [1280, 390]) {
    for (const [name, hash, sel, folded] of VIEWS) {
      const { page, context } = await env.open(`/web/index.html${hash}`, { width, height: width < 500 ? 844 : 900, folded });
      await settled(page);
      if (sel) await page.locator(`xent-explorer ${sel}`).first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${ART}/${name}-${width}.png` });
      await context.close();
    }
    const lp = await env.open('/web/losses/binary.html', { width, height: width < 500 ? 844 : 900, folded: true });
    await lp.page.locator('h2', { hasText: 'Try it' }).scrollIntoViewIfNeeded();
    await lp.page.screenshot({ path: `${ART}/loss-page-binary-${width}.png` });
    await lp.context.close();
    // The sampled losses' page: its explorer (below a longer text) at the
    // Sampled softmax panel, the one panel it shows.
    const sp = await env.open('/web/losses/sampled.html', { width, height: width < 500 ? 844 : 900, folded: true, scrollTo: 'xent-explorer' });
    await sp.page.locator('xent-explorer .panel-sampled').scrollIntoViewIfNeeded();
    await settled(sp.page);
    await sp.page.screenshot({ path: `${ART}/loss-page-sampled-${width}.png` });
    await sp.context.close();
  }
  console.log(`# screenshots: ${ART}/{${VIEWS.map((v) => v[0]).join(',')},loss-page-binary,loss-page-sampled}-{1280,390}.png`);
});

test('axe-core: no serious or critical violations on the live loss pages (web/losses/*.html), light at 1280 px and dark at 390 px; every page fits 390 px', async () => {
  for (const family of Object.keys(FAMILIES)) {
    for (const [scheme, width] of [['light', 1280], ['dark', 390]]) {
      const { page, context } = await env.open(`/web/losses/${family}.html`, { width, colorScheme: scheme, folded: true, scrollTo: 'xent-explorer' });
      await settled(page);
      assert.deepEqual(await axe(page), [], `${family}, ${scheme}, ${width} px`);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(over, 0, `the ${family} page overflows sideways by ${over} px at ${width} px`);
      await context.close();
    }
  }
});

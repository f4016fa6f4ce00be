// formula.test.js: the formula strip's float64 numbers (web/formula.js)
// against what xent computes for the page (web/model.js evaluate), over every
// story state (90 declared combinations x 9 option sets: smoothing, focal,
// balancing, pos_weight, class weights, ignore_class, 'sum', a mix), per
// example and reduced; and the smoothing floor against its definition: the
// loss at p = y' is the smallest, and nearby p give more.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { states } from './story-states.js';
import { evaluate } from '../../web/model.js';
import { liveSpec } from '../../web/story.js';
import { formulaStrip, smoothingFloor } from '../../web/formula.js';

before(async () => { await xent.init(); });

test('the strip\'s per-example and reduced losses equal xent\'s within 1e-6 relative in all 810 story states', () => {
  let count = 0, worst = 0;
  for (const { key, s } of states()) {
    const r = evaluate(xent, s, Float32Array.from(s.logits), s.targets, s.batch);
    const f = formulaStrip(s, liveSpec(s));
    const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-6);
    for (let i = 0; i < s.batch; i++) {
      const e = rel(f.examples[i].loss, r.losses[i]);
      worst = Math.max(worst, e);
      assert.ok(e <= 1e-6, `${key} example ${i}: strip ${f.examples[i].loss}, xent ${r.losses[i]}`);
    }
    assert.ok(rel(f.total, r.loss) <= 1e-6, `${key}: strip ${f.total}, xent ${r.loss}`);
    count++;
  }
  assert.equal(count, 810);
  console.log(`# formula strip vs xent: worst relative difference ${worst.toExponential(2)} over ${count} states`);
});

test('the smoothing floor is the entropy of the smoothed row: the loss there, and less than at nearby predictions', () => {
  const spec = { family: 'categorical', labelSmoothing: 0.3 };
  const y = [0.8, 0.1, 0.1];
  const { value } = smoothingFloor(spec, y);
  const ce = (p) => -y.reduce((a, v, j) => a + v * Math.log(p[j]), 0);
  assert.ok(Math.abs(value - ce(y)) < 1e-15);
  for (const p of [[0.9, 0.05, 0.05], [0.7, 0.15, 0.15], [0.8, 0.15, 0.05], [0.999, 0.0005, 0.0005]]) assert.ok(ce(p) > value, `${p}`);
  const b = smoothingFloor({ family: 'binary', labelSmoothing: 0.2 }, [0.9, 0.1]);
  assert.ok(Math.abs(b.value - -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1))) < 1e-15);
});

test('each example\'s printed loss is its value to four significant digits, and a shorter number (0.5, 2) only when exact in float64 or float32', () => {
  const digits = (t) => t.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').length;
  let rounded = 0;
  for (const { key, s } of states()) {
    for (const e of formulaStrip(s, liveSpec(s)).examples) {
      if (e.ignored) continue;
      const t = e.text.slice(e.text.lastIndexOf('= ') + 2);
      const v = Number(t);
      assert.ok(Math.abs(v - e.loss) <= 5e-4 * Math.abs(e.loss), `${key}: "${t}" for ${e.loss}`);
      if (v !== e.loss && Math.fround(v) !== e.loss) {
        rounded++;
        assert.ok(digits(t) >= 4, `${key}: "${t}" reads as exact but the loss is ${e.loss}`);
      }
    }
  }
  assert.ok(rounded > 100, `${rounded} rounded losses seen`);
});

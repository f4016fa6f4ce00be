// lessons.test.js: every lesson of the explorer (web/lessons.js) is checked
// in Node through the real recommender: each mistake lesson's state (with
// xent.inspect's reading of its pasted arrays, when it has some) produces the
// warning it is named after, its fix removes that warning, every warning id
// the recommender can name has a lesson, and each lesson's state and fix
// parse into the explorer's schema.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { recommend, WARNINGS } from '../../js/recommend.js';
import { LESSONS, TOUR, lessonById } from '../../web/lessons.js';
import { lessonState, lessonFix, applyPatch, fromHash, toHash, defaults } from '../../web/state.js';
import { situation, dataSituation, liveSpec } from '../../web/story.js';
import { parseArray } from '../../web/parse.js';
import { inspectShape } from '../../web/panels/paste.js';

before(async () => { await xent.init(); });

// The warnings the page shows for a state: the Choose panel's situation, and
// for pasted arrays the situation with xent.inspect's reading of them.
function warningsFor(s, paste) {
  const ids = recommend(situation(s)).warnings.map((w) => w.id);
  if (paste) {
    const lab = parseArray(paste.labels), pred = parseArray(paste.preds);
    const seen = xent.inspect(Float32Array.from(lab.values), Float32Array.from(pred.values), { shape: inspectShape(lab, pred) });
    ids.push(...recommend(dataSituation(s, seen)).warnings.map((w) => w.id));
  }
  return ids;
}

test('every warning id the recommender names has a lesson under that id', () => {
  const ids = new Set(LESSONS.map((l) => l.id));
  const missing = Object.keys(WARNINGS).filter((id) => !ids.has(id));
  assert.deepEqual(missing, []);
  assert.equal(ids.size, LESSONS.length, 'lesson ids are unique');
});

test('each mistake lesson\'s state makes recommend() name that warning, and its fix removes it', () => {
  for (const l of LESSONS.filter((x) => x.kind === 'mistake')) {
    const s = lessonState(l.id);
    assert.ok(warningsFor(s, l.paste).includes(l.id), `${l.id}: the lesson's state produces the warning (got ${warningsFor(s, l.paste)})`);
    if (!l.fix || ['imbalance', 'padding', 'label-noise'].includes(l.id)) continue; // notes, tested below
    const fixed = applyPatch(s, lessonFix(l.id) ?? {});
    assert.ok(!warningsFor(fixed, l.fix.paste ?? l.paste).includes(l.id), `${l.id}: the fix removes the warning`);
  }
});

test('the notes\' buttons do what they say: pos_weight for class weights, no ignore_class, smoothing applied once labels are one-hot', () => {
  const noisy = lessonState('label-noise');
  assert.equal(liveSpec(noisy).labelSmoothing, 0, 'the sparse loss does not smooth');
  assert.equal(liveSpec(applyPatch(noisy, lessonFix('label-noise'))).labelSmoothing, 0.1, 'one-hot labels do');
  const imb = applyPatch(lessonState('imbalance'), lessonFix('imbalance'));
  assert.deepEqual(imb['class-weight'], []);
  assert.equal(imb['pos-weight'], 3);
  assert.ok(warningsFor(imb).includes('imbalance'), 'pos_weight is still the imbalance setup');
  assert.ok(!warningsFor(applyPatch(lessonState('padding'), lessonFix('padding'))).includes('padding'));
});

test('each lesson\'s state parses key by key into the schema and reloads from its URL', () => {
  for (const l of LESSONS) {
    const s = lessonState(l.id);
    assert.equal(s.lesson, l.id);
    for (const [k, text] of Object.entries(l.state)) {
      const v = s[k];
      const shown = Array.isArray(v) ? v.join(',') : String(v);
      assert.equal(shown, String(text), `${l.id}: ${k}`);
    }
    assert.deepEqual(fromHash(toHash(s), defaults()), s, `${l.id}: the URL holds the whole state`);
    assert.deepEqual(fromHash(`#lesson=${l.id}`, defaults()), s, `${l.id}: #lesson= alone opens the state`);
    assert.ok(l.notice.length > 20 && l.notice.length < 330, `${l.id}: a sentence or two`);
  }
});

test('a lesson\'s state changed afterwards (batch, classes, labels, logits, options) reloads exactly from its URL', () => {
  const changes = [{ batch: 4 }, { classes: 5 }, { labels: 'onehot' }, { logits: [1.25, -3, 0.5] }, { 'label-smoothing': 0.2, reduction: 'sum' }, { output: 'logits', 'current-loss': '' }];
  for (const l of LESSONS) {
    for (const c of changes) {
      const s = applyPatch(lessonState(l.id), c);
      assert.deepEqual(fromHash(toHash(s), defaults()), s, `${l.id} + ${JSON.stringify(c)}: ${toHash(s)}`);
    }
  }
});

test('the tour names only lessons, the concepts first', () => {
  for (const id of TOUR) assert.ok(lessonById(id), id);
  assert.equal(lessonById(TOUR[0]).kind, 'concept');
});

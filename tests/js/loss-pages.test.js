// loss-pages.test.js: the per-family documentation pages (web/losses/*.html)
// are what scripts/gen-loss-pages.js generates from the recommender's data
// (web/loss-pages.js) now, so they cannot drift from it; each lists the
// decision-table rows that call for its loss, every framework, and pitfalls
// that are lessons. The sampled losses' page (docs/semantics.md 3.5): its
// tf.nn calls and defaults, the recommender's advice and evaluation loss, the
// explorer preset that opens the Sampled softmax panel, the xent calls it
// prints run against a float64 reference, and the "no built-in" it states for
// TF.js and PyTorch checked against the installed TF.js and Debian's torch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as xent from '../../js/index.js';
import { FAMILIES, advice, pageHtml, whenToUse, equivalents } from '../../web/loss-pages.js';
import { lessonById } from '../../web/lessons.js';
import { PANELS, fromEntries } from '../../web/state.js';
import { TABLE, LOSSES } from '../../js/decision-table.js';
import { rng } from './reference.js';
import { expectedCount, logUniformSample, sampledLosses } from './sampled-estimate-reference.js';

test('each web/losses/<family>.html is up to date with its data (run node scripts/gen-loss-pages.js)', () => {
  for (const family of Object.keys(FAMILIES)) {
    const file = readFileSync(new URL(`../../web/losses/${family}.html`, import.meta.url), 'utf8');
    assert.equal(file, pageHtml(family), `web/losses/${family}.html is stale`);
  }
});

test('the explorer page, README.md and docs/semantics.md link every loss page', () => {
  const read = (f) => readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8');
  for (const family of Object.keys(FAMILIES)) {
    assert.ok(read('web/index.html').includes(`href="./losses/${family}.html"`), `web/index.html links ${family}`);
    assert.ok(read('README.md').includes(`(web/losses/${family}.html)`), `README.md links ${family}`);
    assert.ok(read('docs/semantics.md').includes(`(../web/losses/${family}.html)`), `docs/semantics.md links ${family}`);
  }
});

test('each page names when to use its loss (the table\'s correct rows), five frameworks, and lesson pitfalls', () => {
  for (const [family, f] of Object.entries(FAMILIES)) {
    const rows = whenToUse(family);
    const expected = TABLE.filter((r) => r.verdict === 'correct' && f.losses.includes(r.loss)).length;
    assert.ok(rows.length > 0 && rows.length === expected, `${family}: ${rows.length} rows`);
    for (const e of equivalents(family)) assert.deepEqual(e.rows.map((r) => r[0]), ['Keras 3', 'tf.nn', 'TF.js', 'PyTorch', 'xent']);
    for (const id of f.pitfalls) assert.ok(lessonById(id), `${family}: pitfall ${id} is a lesson`);
    const html = pageHtml(family);
    for (const id of f.losses) if (!f.focal) assert.ok(html.includes(LOSSES[id].keras.className), `${family}: names ${LOSSES[id].keras.className}`);
    assert.match(html, /<xent-explorer [^>]*problem="/);
  }
});

test('the sampled page gives the tf.nn calls with their defaults, says Keras 3, TF.js and PyTorch have none, and repeats the recommender\'s advice', () => {
  const f = FAMILIES.sampled;
  const html = pageHtml('sampled');
  const all = equivalents('sampled');
  const [softmax, nce, sampler] = ['sampled-softmax', 'nce', 'sampler'].map((id) => all.find((e) => e.id === id));
  const evaluation = all[all.length - 1]; // the page points to 'the last table below'
  const row = (e, fw) => e.rows.find((r) => r[0] === fw);
  assert.match(row(softmax, 'tf.nn')[1], /^tf\.nn\.sampled_softmax_loss\(weights=W, biases=b, labels=y, inputs=h, num_sampled=\d+, num_classes=C, num_true=1, sampled_values=None, remove_accidental_hits=True, seed=None\)$/);
  assert.match(row(nce, 'tf.nn')[1], /^tf\.nn\.nce_loss\(weights=W, biases=b, labels=y, inputs=h, num_sampled=\d+, num_classes=C, num_true=1, sampled_values=None, remove_accidental_hits=False\)$/);
  assert.match(row(sampler, 'tf.nn')[1], /^tf\.random\.log_uniform_candidate_sampler\(true_classes=y, num_true=1, num_sampled=\d+, unique=True, range_max=C, seed=None\)$/);
  for (const e of [softmax, nce, sampler]) for (const fw of ['Keras 3', 'TF.js', 'PyTorch']) assert.match(row(e, fw)[1], /^none: /, `${e.id} ${fw}`);
  assert.match(row(softmax, 'xent')[1], /^xent\.sampledSoftmaxLoss\(\{/);
  assert.match(row(nce, 'xent')[1], /^xent\.nceLoss\(\{/);
  // Evaluation: the recommender's full loss for the state the explorer opens.
  const rec = advice('sampled');
  assert.equal(row(evaluation, 'Keras 3')[1], rec.keras.code);
  assert.equal(rec.keras.code, 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)');
  const said = rec.warnings.find((w) => w.id === 'huge-vocabulary');
  assert.ok(said && html.includes(said.message.replace(/'/g, '&#39;')), 'the huge-vocabulary advice is on the page');
  for (const id of ['sampled-current-loss', 'sampled-softmax', 'huge-vocabulary']) assert.ok(f.pitfalls.includes(id), id);
  assert.match(html, /\[batch_size, num_true\]/);
});

test('the sampled page\'s explorer opens the Sampled softmax panel and hides the others, at a numSampled whose estimate is biased', () => {
  const f = FAMILIES.sampled;
  const s = fromEntries(Object.entries(f.preset));
  assert.equal(s['huge-vocabulary'], true);
  assert.ok(lessonById(s.lesson).open.includes('sampled'), 'the lesson named unfolds the panel');
  assert.deepEqual(PANELS.filter((p) => !f.hide.split(' ').includes(p)), ['sampled']);
  // The attribute wins over the lesson's own numSampled (8).
  assert.equal(s['sampled-num'], 16);
  const html = pageHtml('sampled');
  assert.match(html, /<xent-explorer lesson="sampled-softmax" [^>]*huge-vocabulary="true" sampled-num="16" hide="[^"]*"><\/xent-explorer>/);
  assert.ok(!/hide="[^"]*\bsampled\b/.test(html));
});

test('the xent calls the sampled page prints run, in the README training loop\'s names, and compute the float64 reference\'s losses and sample', async () => {
  await xent.init();
  const r = rng(11);
  const numClasses = 300, dim = 8, batch = 4, step = 7;
  const weights = Float32Array.from({ length: numClasses * dim }, () => r() - 0.5);
  const biases = Float32Array.from({ length: numClasses }, () => (r() - 0.5) * 0.2);
  const inputs = Float32Array.from({ length: batch * dim }, () => r() * 2 - 1);
  const labels = Int32Array.from({ length: batch }, (_, i) => i * 3);
  const [softmax, nce] = equivalents('sampled');
  for (const [e, isNce] of [[softmax, false], [nce, true]]) {
    const code = e.rows.find((x) => x[0] === 'xent')[1];
    const out = new Function('xent', 'weights', 'biases', 'labels', 'inputs', 'numClasses', 'step', `return ${code};`)(xent, weights, biases, labels, inputs, numClasses, step);
    const numSampled = Number(/numSampled: (\d+)/.exec(code)[1]);
    const want = sampledLosses({ weights, biases, labels, inputs, numClasses, numSampled, seed: step, nce: isNce });
    assert.equal(out.losses.length, batch);
    out.losses.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 2e-6 * Math.abs(want[i]) + 1e-6, `${e.id} example ${i}: ${v} vs ${want[i]}`));
    assert.equal(out.grad.inputs.length, batch * dim);
  }
  const sampler = equivalents('sampled').find((e) => e.id === 'sampler').rows.find((x) => x[0] === 'xent')[1];
  const got = new Function('xent', 'labels', 'numClasses', 'step', `return ${sampler};`)(xent, labels, numClasses, step);
  const want = logUniformSample(step, numClasses, 64);
  assert.deepEqual([...got.sampledCandidates], want.classes);
  got.sampledExpectedCount.forEach((q, s) => {
    const e = expectedCount(want.classes[s], numClasses, 64, want.tries);
    assert.ok(Math.abs(q - e) <= 1e-6 * e, `expected count of ${want.classes[s]}: ${q} vs ${e}`);
  });
  // The note on classes not numbered by frequency: P(0) at 50,000 classes.
  assert.ok(pageHtml('sampled').includes(`${(100 * Math.LN2 / Math.log(50001)).toFixed(1)}% at 50,000 classes`));
});

test('TF.js (the installed 4.x) has no sampled softmax, NCE or candidate sampler; torch, torch.nn and torch.nn.functional have none either, and torch.nn has AdaptiveLogSoftmaxWithLoss', async () => {
  const tf = await import('@tensorflow/tfjs');
  const names = (o) => Object.keys(o).filter((k) => /sampled|candidate|^nce/i.test(k));
  assert.deepEqual([...names(tf), ...names(tf.losses), ...names(tf.metrics)], []);
  assert.ok(tf.losses.softmaxCrossEntropy, 'the namespace searched is the real one');
  const py = spawnSync('/usr/bin/python3', ['-c', [
    'import json, torch, torch.nn as nn, torch.nn.functional as F',
    "names = [n for m in (nn, F, torch) for n in dir(m) if 'sampled' in n.lower() or 'candidate_sampler' in n.lower() or n.lower().startswith('nce')]",
    'm = nn.AdaptiveLogSoftmaxWithLoss(in_features=8, n_classes=300, cutoffs=[20, 100])',
    'print(json.dumps({"names": names, "classes": m.n_classes}))',
  ].join('\n')], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  assert.deepEqual(JSON.parse(py.stdout), { names: [], classes: 300 });
});

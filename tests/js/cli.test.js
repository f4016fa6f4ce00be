// cli.test.js: the command line, bin/xent.js, spawned as users run it: valid
// input prints the recommendation (lead framework first) and exits 0; invalid
// input exits 2 with one line naming the bad flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { recommend } from '../../js/recommend.js';

const BIN = fileURLToPath(new URL('../../bin/xent.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const BASE = ['recommend', '--problem', 'multiclass', '--labels', 'integer', '--output', 'logits'];

test('a valid situation prints the recommended code and exits 0', () => {
  const r = run(...BASE);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'Recommended (Keras): keras.losses.SparseCategoricalCrossentropy(from_logits=True)');
  assert.match(r.stdout, /tf\.nn\.sparse_softmax_cross_entropy_with_logits\(labels=y, logits=z\)/);
  assert.match(r.stdout, /nn\.CrossEntropyLoss\(\)/);
  assert.match(r.stdout, /xent\.sparseCategoricalCrossentropy\(yTrue, yPred, \{ fromLogits: true \}\)/);
  assert.match(r.stdout, /^Why: /m);
});

test('the chosen framework leads and the warnings are printed with their ids', () => {
  const r = run(...BASE.slice(0, 5), '--output', 'softmax', '--from-logits', 'true', '--framework', 'pytorch',
    '--num-classes', '10', '--label-range', '1,10');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout.split('\n')[0], /^Recommended \(PyTorch\): nn\.CrossEntropyLoss\(\)/);
  assert.match(r.stdout, /\[error\] double-activation: /);
  assert.match(r.stdout, /\[error\] label-out-of-range: .*1-based/);
});

test('--json prints exactly what recommend() returns', () => {
  const r = run(...BASE, '--imbalanced', '--noisy-labels', '--padding-label', '255', '--num-classes', '21',
    '--label-range=0,255', '--current-loss', 'nn.CrossEntropyLoss()', '--json');
  assert.equal(r.status, 0, r.stderr);
  const want = recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', imbalanced: true, noisyLabels: true,
    paddingLabel: 255, numClasses: 21, labelRange: [0, 255], currentLoss: 'nn.CrossEntropyLoss()' });
  assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(want)));
});

test('--help prints the usage and exits 0', () => {
  for (const args of [['--help'], ['-h'], ['recommend', '--help']]) {
    const r = run(...args);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /xent recommend --problem P --labels L --output O/);
    assert.match(r.stdout, /--huge-vocabulary/);
  }
});

test('invalid input exits 2 with one line naming the bad flag', () => {
  const cases = [
    [['recommend', '--problem', 'multi', '--labels', 'integer', '--output', 'logits'], '--problem'],
    [['recommend', '--problem', 'binary', '--labels', 'ints', '--output', 'logits'], '--labels'],
    [['recommend', '--problem', 'binary', '--labels', 'integer', '--output', 'relu'], '--output'],
    [[...BASE, '--from-logits', 'yes'], '--from-logits'],
    [[...BASE, '--framework', 'jax'], '--framework'],
    [[...BASE, '--num-classes', 'ten'], '--num-classes'],
    [[...BASE, '--num-classes', '0'], '--num-classes'],
    [[...BASE, '--output-units', '-3'], '--output-units'],
    [[...BASE, '--label-range', '5'], '--label-range'],
    [[...BASE, '--label-range', '9,1'], '--label-range'],
    [[...BASE, '--padding-label', '0.5'], '--padding-label'],
    [[...BASE, '--num-classes'], '--num-classes'],
    [[...BASE, '--imbalanced=yes'], '--imbalanced'],
    [[...BASE, '--frobnicate'], '--frobnicate'],
    [['recommend', '--labels', 'integer', '--output', 'logits'], '--problem'],
    [['recommend', '--problem', 'binary', '--output', 'logits'], '--labels'],
    [['suggest'], 'suggest'],
  ];
  for (const [args, flag] of cases) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, '', args.join(' '));
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    assert.ok(lines[0].startsWith('xent: ') && lines[0].includes(flag), `${args.join(' ')} -> ${lines[0]}`);
  }
});

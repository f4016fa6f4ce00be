// cli.test.js: the command line, bin/xent.js, spawned as users run it: valid
// input prints the recommendation (lead framework first) and exits 0; invalid
// input exits 2 with one line naming the bad flag (with a "did you mean" for
// a misspelt one); the verdict is printed; --help goes to stdout with exit 0,
// bare `xent` prints the usage to stderr and exits 2.
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
  const r = run(...BASE.slice(0, 5), '--output', 'softmax', '--from-logits', '--framework', 'pytorch',
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

test('the text output states the verdict, and a from_logits mistake is never called correct', () => {
  const ok = run(...BASE, '--from-logits');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.split('\n')[1], 'Verdict:     correct: your setup is correct');
  for (const args of [[...BASE.slice(0, 5), '--output', 'softmax', '--from-logits'], [...BASE, '--no-from-logits'], [...BASE, '--from-logits=false']]) {
    const r = run(...args);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout.split('\n')[1], /^Verdict: {5}invalid: your setup has a mistake/, args.join(' '));
    assert.match(r.stdout, /\[error\] (double-activation|logits-treated-as-probabilities)/);
    const json = JSON.parse(run(...args, '--json').stdout);
    assert.equal(json.verdict, 'invalid');
    assert.ok(json.warnings.some((w) => w.severity === 'error'));
  }
});

test('--from-logits is a bare switch; --no-from-logits and --from-logits=false negate it', () => {
  const yes = JSON.parse(run(...BASE, '--from-logits', '--json').stdout);
  const no = JSON.parse(run(...BASE, '--no-from-logits', '--json').stdout);
  const noEq = JSON.parse(run(...BASE, '--from-logits=false', '--json').stdout);
  assert.deepEqual(yes, JSON.parse(JSON.stringify(recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', fromLogits: true }))));
  assert.deepEqual(no, JSON.parse(JSON.stringify(recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', fromLogits: false }))));
  assert.deepEqual(noEq, no);
});

test('a negative number after a flag is its value', () => {
  const r = run(...BASE, '--padding-label', '-1', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).keras.code, 'keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)');
});

test('the TF.js code for binary probabilities is the reduced tf.losses.logLoss', () => {
  const r = run('recommend', '--problem', 'binary', '--labels', 'binary01', '--output', 'sigmoid', '--framework', 'tfjs');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n')[0], 'Recommended (TF.js): tf.losses.logLoss(y, p)');
  assert.doesNotMatch(r.stdout, /tf\.metrics\.binaryCrossentropy/);
});

test('bare xent prints the usage to stderr and exits 2; --help prints it to stdout and exits 0', () => {
  const bare = run();
  assert.equal(bare.status, 2);
  assert.equal(bare.stdout, '');
  assert.match(bare.stderr, /xent recommend --problem P --labels L --output O/);
  assert.match(bare.stderr, /bare `xent` prints this help\s+to stderr and exits 2/);
});

test('a misspelt flag or command gets a "did you mean", a repeated flag is an error', () => {
  const cases = [
    [[...BASE, '--from_logits'], 'xent: unknown flag --from_logits (did you mean --from-logits?); see xent --help'],
    [[...BASE, '--num-class', '3'], 'xent: unknown flag --num-class (did you mean --num-classes?); see xent --help'],
    [['recomend', '--problem', 'binary'], 'xent: unknown command recomend (did you mean recommend?) (commands: recommend; see xent --help)'],
    [[...BASE, '--problem', 'binary'], 'xent: --problem is given twice: give each flag once'],
    [[...BASE, '--from-logits', '--no-from-logits'], 'xent: --from-logits and --no-from-logits are both given: give one'],
    [[...BASE, '--json', '--json'], 'xent: --json is given twice: give each flag once'],
  ];
  for (const [args, line] of cases) {
    const r = run(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `${line}\n`);
  }
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
    [[...BASE, '--from-logits=yes'], '--from-logits'],
    [[...BASE, 'stray'], 'stray'],
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

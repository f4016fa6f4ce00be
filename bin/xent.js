#!/usr/bin/env node
/* bin/xent.js: the command line (`npx xent recommend ...`): prints which
 * cross-entropy loss to use, with code for the chosen framework first, and
 * every warning (the recommender of js/recommend.js, which follows
 * docs/semantics.md section 7). Exit status 0 for valid input, 2 with a one-line
 * message naming the bad flag otherwise. No wasm needed. */
import { readFileSync } from 'node:fs';
import { recommend } from '../js/recommend.js';
import { FRAMEWORKS, LABELS, OUTPUTS, PROBLEMS } from '../js/decision-table.js';

const HELP = `xent: cross-entropy losses done right.

Usage:
  xent recommend --problem P --labels L --output O [options]
  xent --help | --version

Describe your model and get the right loss for Keras, tf.nn, TF.js, PyTorch
and xent, with every mistake in your current setup named.

Required:
  --problem P          ${PROBLEMS.join(' | ')}
  --labels L           ${LABELS.join(' | ')}
  --output O           ${OUTPUTS.join(' | ')} (what the last layer emits)

What you have now (to check for mistakes):
  --from-logits B      true | false (your current from_logits)
  --framework F        ${FRAMEWORKS.join(' | ')} (its code is printed first)
  --current-loss S     the loss as you wrote it, e.g. categorical_crossentropy,
                       'nn.CrossEntropyLoss()', or custom
  --output-units N     units in the last layer
  --num-classes N      number of classes
  --label-range A,B    smallest and largest label value seen, e.g. 1,10

Facts about the data:
  --imbalanced         some classes are much rarer than others
  --noisy-labels       some labels are wrong
  --distillation       the targets come from a teacher model's logits
  --huge-vocabulary    tens of thousands of classes or more
  --padding-label N    a label value to ignore (padding tokens, void pixels)
  --dense-targets      per-pixel or per-token labels

Output:
  --json               print the recommendation as JSON

Example:
  npx xent recommend --problem multiclass --labels integer --output logits
`;

const FLAGS = {
  '--problem': ['problem', 'choice'],
  '--labels': ['labels', 'choice'],
  '--output': ['output', 'choice'],
  '--from-logits': ['fromLogits', 'bool'],
  '--framework': ['framework', 'choice'],
  '--current-loss': ['currentLoss', 'string'],
  '--output-units': ['outputUnits', 'int'],
  '--num-classes': ['numClasses', 'int'],
  '--label-range': ['labelRange', 'range'],
  '--imbalanced': ['imbalanced', 'switch'],
  '--noisy-labels': ['noisyLabels', 'switch'],
  '--distillation': ['distillation', 'switch'],
  '--huge-vocabulary': ['hugeVocabulary', 'switch'],
  '--padding-label': ['paddingLabel', 'int'],
  '--dense-targets': ['denseTargets', 'switch'],
  '--json': ['json', 'switch'],
};
const FLAG_OF = Object.fromEntries(Object.entries(FLAGS).map(([flag, [field]]) => [field, flag]));

class UsageError extends Error {}

function parseValue(flag, kind, raw) {
  if (kind === 'bool') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new UsageError(`${flag} must be true or false (got '${raw}')`);
  }
  if (kind === 'int') {
    if (!/^-?\d+$/.test(raw)) throw new UsageError(`${flag} must be an integer (got '${raw}')`);
    return Number(raw);
  }
  if (kind === 'range') {
    const parts = raw.split(',');
    const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
    if (parts.length !== 2 || !nums.every(Number.isFinite)) throw new UsageError(`${flag} must be two numbers MIN,MAX, e.g. 0,9 (got '${raw}')`);
    return nums;
  }
  return raw;
}

function parse(args) {
  const situation = {};
  let json = false;
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    let inline;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const spec = FLAGS[arg];
    if (!spec) throw new UsageError(`unknown ${arg.startsWith('-') ? 'flag' : 'argument'} ${arg} (see xent --help)`);
    const [field, kind] = spec;
    if (kind === 'switch') {
      if (inline !== undefined) throw new UsageError(`${arg} takes no value`);
      if (field === 'json') json = true;
      else situation[field] = true;
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      raw = args[++i];
      if (raw === undefined || (raw.startsWith('--') && FLAGS[raw.split('=')[0]])) throw new UsageError(`${arg} needs a value`);
    }
    situation[field] = parseValue(arg, kind, raw);
  }
  for (const f of ['problem', 'labels', 'output']) {
    if (situation[f] === undefined) throw new UsageError(`--${f} is required: one of ${{ problem: PROBLEMS, labels: LABELS, output: OUTPUTS }[f].join(', ')}`);
  }
  return { situation, json };
}

/* The recommender names fields as situation.x; the CLI user typed flags. */
function asFlagMessage(message) {
  return message.replace(/situation\.(\w+)/g, (m, field) => FLAG_OF[field] ?? m)
    .replace(/'(\w+)'(, )?/g, '$1$2');
}

const LABEL_OF = { keras: 'Keras', tfnn: 'tf.nn', tfjs: 'TF.js', pytorch: 'PyTorch' };

function jsOptions(options) {
  const parts = Object.entries(options).map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : v}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '';
}

function text(r) {
  const out = [];
  const lead = r[r.lead];
  out.push(`Recommended (${LABEL_OF[r.lead]}): ${lead.code}`);
  out.push(`Last layer:  ${r.activation}`);
  if (r.labelTransform) out.push(`Labels:      ${r.labelTransform.text}`);
  if (r.change) out.push(`Change:      ${r.change}`);
  out.push('');
  for (const f of r.order) {
    out.push(`${LABEL_OF[f].padEnd(8)} ${r[f].code}`);
    if (r[f].note) out.push(`${' '.repeat(9)}${r[f].note}`);
  }
  const opts = jsOptions(r.xent.options);
  out.push(`${'xent'.padEnd(8)} xent.${r.xent.fn}(yTrue, yPred${opts ? `, ${opts}` : ''})`);
  out.push('', `Why: ${r.explanation}`);
  if (r.alternatives.length) {
    out.push('', 'Alternatives:');
    for (const a of r.alternatives) out.push(`  - ${a.summary}: ${a.keras.code}`);
  }
  if (r.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of r.warnings) out.push(`  [${w.severity}] ${w.id}: ${w.message}`);
  }
  return out.join('\n');
}

function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (command !== 'recommend') {
    process.stderr.write(`xent: unknown command ${command} (commands: recommend; see xent --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    const { situation, json } = parse(rest);
    const r = recommend(situation);
    process.stdout.write(json ? `${JSON.stringify(r, null, 2)}\n` : `${text(r)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof TypeError || e instanceof RangeError) {
      process.stderr.write(`xent: ${asFlagMessage(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));

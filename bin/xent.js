#!/usr/bin/env node
/* bin/xent.js: the command line (`npx xent recommend ...`): prints which
 * cross-entropy loss to use, with code for the chosen framework first, and
 * every warning (the recommender of js/recommend.js, which follows
 * docs/semantics.md section 7). Exit status 0 for valid input, 2 with a one-line
 * message naming the bad flag otherwise. No wasm needed. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { closest } from '../js/errors.js';
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
  --from-logits        your loss has from_logits=True (--no-from-logits: False;
                       --from-logits=false also works)
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
  --json               print the recommendation as JSON (what recommend() returns)
  -h, --help           print this help to stdout and exit 0

Exit status: 0 with a recommendation (whatever its verdict), 2 on a usage
error (one line on stderr naming the flag); bare \`xent\` prints this help
to stderr and exits 2. Each flag may be given once.

Example:
  npx xent recommend --problem multiclass --labels integer --output logits
`;

/* Flag -> [situation field, kind]. Kinds: choice/string (text), int, range
 * (MIN,MAX), switch (no value; --from-logits also as --no-from-logits). */
const FLAGS = {
  problem: ['problem', 'choice'],
  labels: ['labels', 'choice'],
  output: ['output', 'choice'],
  'from-logits': ['fromLogits', 'switch'],
  'no-from-logits': ['fromLogits', 'switch'],
  framework: ['framework', 'choice'],
  'current-loss': ['currentLoss', 'string'],
  'output-units': ['outputUnits', 'int'],
  'num-classes': ['numClasses', 'int'],
  'label-range': ['labelRange', 'range'],
  imbalanced: ['imbalanced', 'switch'],
  'noisy-labels': ['noisyLabels', 'switch'],
  distillation: ['distillation', 'switch'],
  'huge-vocabulary': ['hugeVocabulary', 'switch'],
  'padding-label': ['paddingLabel', 'int'],
  'dense-targets': ['denseTargets', 'switch'],
  json: ['json', 'switch'],
  help: ['help', 'switch'],
};
const FLAG_OF = Object.fromEntries(Object.entries(FLAGS).map(([flag, [field]]) => [field, `--${flag}`]));
FLAG_OF.fromLogits = '--from-logits';
const OPTIONS = Object.fromEntries(Object.entries(FLAGS).map(([flag, [, kind]]) =>
  [flag, { type: kind === 'switch' ? 'boolean' : 'string', ...(flag === 'help' ? { short: 'h' } : {}) }]));

class UsageError extends Error {}

function parseValue(flag, kind, raw) {
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

/* --from-logits is a switch; the forms --from-logits=true|false and
 * --from-logits true|false are read as the switch and its negation. */
function normalizeArgs(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^--from-logits=(.*)$/.exec(a);
    const next = args[i + 1];
    const value = m ? m[1] : a === '--from-logits' && (next === 'true' || next === 'false') ? args[++i] : undefined;
    const valued = /^--[\w-]+$/.test(a) && FLAGS[a.slice(2)] && FLAGS[a.slice(2)][1] !== 'switch';
    if (valued && /^-\d/.test(next ?? '')) out.push(`${a}=${args[++i]}`); // a negative number is a value, not a flag
    else if (value === undefined) out.push(a);
    else if (value === 'true' || value === 'false') out.push(value === 'true' ? '--from-logits' : '--no-from-logits');
    else throw new UsageError(`--from-logits is a switch: write --from-logits or --no-from-logits (got '${value}')`);
  }
  return out;
}

/* Node's util.parseArgs, with its errors turned into one line naming the flag. */
function parse(args) {
  let parsed;
  try {
    parsed = parseArgs({ args: normalizeArgs(args), options: OPTIONS, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(e.message);
    if (unknown) {
      const guess = closest(unknown[2], Object.keys(FLAGS));
      throw new UsageError(`unknown flag ${unknown[1]}${unknown[2]}${guess ? ` (did you mean --${guess}?)` : ''}; see xent --help`);
    }
    const missing = /^Option '(--[\w-]+)(?: <value>)?' argument missing/.exec(e.message);
    if (missing) throw new UsageError(`${missing[1]} needs a value`);
    const noValue = /^Option '(--[\w-]+)' does not take an argument/.exec(e.message);
    if (noValue) throw new UsageError(`${noValue[1]} takes no value`);
    const positional = /^Unexpected argument '([^']*)'/.exec(e.message);
    if (positional) throw new UsageError(`unexpected argument ${positional[1]}: every value follows its flag, e.g. --problem binary`);
    throw new UsageError(e.message);
  }
  const seen = new Map();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    const field = FLAGS[t.name][0];
    if (seen.has(field)) {
      const first = seen.get(field);
      throw new UsageError(first === t.rawName ? `${first} is given twice: give each flag once` : `${first} and ${t.rawName} are both given: give one`);
    }
    seen.set(field, t.rawName);
  }
  const situation = {};
  let json = false;
  let help = false;
  for (const [name, value] of Object.entries(parsed.values)) {
    const [field, kind] = FLAGS[name];
    if (field === 'json') json = value;
    else if (field === 'help') help = value;
    else if (name === 'no-from-logits') situation.fromLogits = false;
    else situation[field] = kind === 'switch' ? true : parseValue(`--${name}`, kind, value);
  }
  if (help) return { help };
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
  out.push(`Verdict:     ${r.verdict}: your setup ${r.verdictText}`);
  out.push(`Last layer:  ${r.activation}`);
  if (r.labelTransform) out.push(`Labels:      ${r.labelTransform.text}`);
  if (r.change) out.push(`Change:      ${r.change}`);
  out.push('');
  for (const f of r.order) {
    out.push(`${LABEL_OF[f].padEnd(8)} ${r[f].code}`);
    if (f === 'keras' && r.keras.fit) out.push(`${' '.repeat(9)}${r.keras.fit}`);
    if (r[f].note) out.push(`${' '.repeat(9)}${r[f].note}`);
  }
  const opts = jsOptions(r.xent.options);
  out.push(`${'xent'.padEnd(8)} xent.${r.xent.fn}(yTrue, yPred${opts ? `, ${opts}` : ''})`);
  if (r.xent.note) out.push(`${' '.repeat(9)}${r.xent.note}`);
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
  if (command === undefined) {
    process.stderr.write(HELP);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (command !== 'recommend') {
    const guess = closest(command.replace(/^-+/, ''), ['recommend', 'help', 'version']);
    process.stderr.write(`xent: unknown command ${command}${guess ? ` (did you mean ${guess === 'recommend' ? guess : `--${guess}`}?)` : ''} (commands: recommend; see xent --help)\n`);
    return 2;
  }
  try {
    const { situation, json, help } = parse(rest);
    if (help) {
      process.stdout.write(HELP);
      return 0;
    }
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

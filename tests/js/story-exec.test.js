// story-exec.test.js: the code tabs are run. For every state of
// story-states.js (90 combinations x 9 option states), the generated xent and
// TensorFlow.js programs run in this Node process (TF.js from its dev
// dependency) and the generated PyTorch programs in Debian's python3-torch
// (/usr/bin/python3, one process for all); each printed loss is compared with
// the number the Live example shows (xent: exactly; TF.js and PyTorch, float32
// programs with their own operation order: within 4e-6 relative; measured at
// most 6.9e-7).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as xent from '../../js/index.js';
import { loadTf } from './tfjs-bundle.js';
import { page, states } from './story-states.js';

let tf;
before(async () => {
  await xent.init();
  tf = await loadTf();
});

const AsyncFunction = (async () => {}).constructor;
const near = (got, want) => Math.abs(got - want) <= 4e-6 * Math.abs(want) + 1e-7;

// Runs an ES-module program whose one import is `import * as <name> from '...'`,
// with that module given, and returns what it printed.
async function runModule(code, name, module) {
  const imports = code.match(/^import .*$/gm);
  assert.equal(imports.length, 1, code);
  assert.match(imports[0], new RegExp(`^import \\* as ${name} from '[^']+';$`));
  const printed = [];
  await new AsyncFunction(name, 'console', code.replace(imports[0], ''))(module, { log: (v) => printed.push(v) });
  assert.equal(printed.length, 1, code);
  return printed[0];
}

const PYTHON = `
import json, sys, io, contextlib
res = []
for code in json.load(sys.stdin):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(code, {})
        res.append(buf.getvalue().strip())
    except Exception as e:
        res.append("error: %s: %s" % (type(e).__name__, e))
print(json.dumps(res))
`;

test('the generated xent and TF.js programs print the loss the page shows, for every state', async () => {
  let count = 0;
  for (const { key, s } of states()) {
    const p = page(xent, s);
    const x = await runModule(p.tabs.xent.code, 'xent', xent);
    assert.equal(x, p.r.loss, `${key}: xent program\n${p.tabs.xent.code}`);
    assert.match(p.tabs.tfjs.code, /^import \* as tf from '@tensorflow\/tfjs';$/m);
    const t = await runModule(p.tabs.tfjs.code, 'tf', tf);
    assert.ok(near(t, p.r.loss), `${key}: TF.js program printed ${t}, the page shows ${p.r.loss}\n${p.tabs.tfjs.code}`);
    count++;
  }
  assert.equal(count, 810);
});

test('the generated PyTorch programs print the loss the page shows, for every state (Debian python3-torch)', () => {
  const cases = [...states()].map(({ key, s }) => {
    const p = page(xent, s);
    return { key, code: p.tabs.pytorch.code, want: p.r.loss };
  });
  const r = spawnSync('/usr/bin/python3', ['-c', PYTHON], { input: JSON.stringify(cases.map((c) => c.code)), encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, `/usr/bin/python3 with torch is needed (Debian: apt-get install python3-torch): ${r.error ?? ''}${r.stderr}`);
  const got = JSON.parse(r.stdout);
  assert.equal(got.length, 810);
  got.forEach((text, i) => {
    const v = Number(text);
    assert.ok(!text.startsWith('error') && near(v, cases[i].want), `${cases[i].key}: PyTorch printed ${text}, the page shows ${cases[i].want}\n${cases[i].code}`);
  });
});

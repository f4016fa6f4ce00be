// torch-check.test.js: the new losses against PyTorch (Debian's python3-torch,
// run by /usr/bin/python3 in float64, gradients by autograd):
// klDivergence against torch.nn.functional.kl_div on Keras' clipped inputs,
// logitsDistillation against the usual PyTorch recipe
// T^2 kl_div(log_softmax(s / T), softmax(t / T), 'batchmean'), the per-class
// posWeight against BCEWithLogitsLoss(pos_weight=...), poly-1 against
// cross_entropy with soft targets plus epsilon (1 - p_t), and generalized CE
// from logits against its definition on torch.softmax. docs/semantics.md "New
// losses"; the float64 definitions are in new-losses.test.js.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as xent from '../../js/index.js';
import { EPS, deviation, rng } from './reference.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = String.raw`
import json, sys, torch
import torch.nn.functional as F
torch.set_default_dtype(torch.float64)
d = json.load(sys.stdin)
B, C, eps = d['B'], d['C'], d['eps']
t = lambda k: torch.tensor(d[k]).reshape(B, C)
out = {}

p = t('p').requires_grad_()
y = t('y')
kl = F.kl_div(torch.log(torch.clamp(p, eps, 1)), torch.clamp(y, eps, 1), reduction='none').sum(-1)
kl.mean().backward()
out['kl'] = [kl.tolist(), p.grad.flatten().tolist()]

T = d['T']
s = t('s').requires_grad_()
kd = T * T * F.kl_div(F.log_softmax(s / T, -1), F.softmax(t('teacher') / T, -1), reduction='batchmean')
kd.backward()
out['kd'] = [kd.item(), s.grad.flatten().tolist()]

x = t('x').requires_grad_()
bce = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(d['pw']), reduction='none')(x, y)
bce.sum().backward()
out['bce'] = [bce.flatten().tolist(), x.grad.flatten().tolist()]

z = t('z').requires_grad_()
e = d['epsilon']
poly = F.cross_entropy(z, y, reduction='none') + e * (1 - (y * F.softmax(z, -1)).sum(-1))
poly.mean().backward()
out['poly'] = [poly.tolist(), z.grad.flatten().tolist()]

z2 = t('z').requires_grad_()
q = d['q']
pl = F.softmax(z2, -1).gather(1, torch.tensor(d['labels']).reshape(B, 1)).squeeze(1)
gce = (1 - pl ** q) / q
gce.mean().backward()
out['gce'] = [gce.tolist(), z2.grad.flatten().tolist()]
print(json.dumps(out))
`;

const measured = [];
const close = (got, want, what, rtol = 1e-5, atol = 1e-6) => {
  const d = deviation(Array.from(got), Array.from(want), rtol, atol);
  assert.ok(d.excess <= 1, `${what}: off at ${d.at} (${got[d.at]} vs ${want[d.at]}), relative ${d.relative}`);
  measured.push(`${what}: largest relative deviation ${d.relative.toExponential(2)}`);
};

before(() => xent.init());

test('klDivergence, logitsDistillation, per-class posWeight, poly-1 and generalized CE match PyTorch', (t) => {
  const rand = rng(77);
  const [B, C] = [4, 6];
  const n = B * C;
  const f32 = (f) => Float32Array.from({ length: n }, f);
  const norm = (a) => {
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (let j = 0; j < C; j++) s += a[b * C + j];
      for (let j = 0; j < C; j++) a[b * C + j] = Math.fround(a[b * C + j] / s);
    }
    return a;
  };
  const data = {
    B, C, eps: EPS, T: 2.5, epsilon: 1.5, q: 0.6,
    p: norm(f32(() => 0.05 + rand())),
    y: norm(f32(() => 0.05 + rand())),
    teacher: f32(() => (rand() - 0.5) * 8),
    s: f32(() => (rand() - 0.5) * 8),
    x: f32(() => (rand() - 0.5) * 12),
    z: f32(() => (rand() - 0.5) * 12),
    pw: Array.from({ length: C }, () => Math.fround(0.25 + 4 * rand())),
    labels: Array.from({ length: B }, () => Math.floor(rand() * C)),
  };
  const json = JSON.stringify(data, (k, v) => (v instanceof Float32Array ? Array.from(v) : v));
  const run = spawnSync(PYTHON, ['-c', SCRIPT], { input: json, encoding: 'utf8' });
  assert.equal(run.status, 0, `python3 with torch failed: ${run.stderr}`);
  const torch = JSON.parse(run.stdout);
  const o = { shape: [B, C], gradient: true };

  const kl = xent.klDivergence(data.y, data.p, o);
  close(kl.losses, torch.kl[0], 'kl_div losses');
  close(kl.grad, torch.kl[1], 'kl_div gradient');

  const kd = xent.logitsDistillation(data.teacher, data.s, { ...o, temperature: data.T });
  close([kd.loss], [torch.kd[0]], 'distillation loss');
  close(kd.grad, torch.kd[1], 'distillation gradient (student logits)');

  const bce = xent.weightedCrossEntropyWithLogits(data.y, data.x, data.pw, o);
  close(bce.losses, torch.bce[0], 'BCEWithLogitsLoss(pos_weight) losses');
  close(bce.grad, torch.bce[1], 'BCEWithLogitsLoss(pos_weight) gradient');

  const poly = xent.polyLossCrossentropy(data.y, data.z, { ...o, epsilon: data.epsilon });
  close(poly.losses, torch.poly[0], 'poly-1 losses');
  close(poly.grad, torch.poly[1], 'poly-1 gradient');

  const gce = xent.categoricalGeneralizedCrossentropy(data.labels, data.z, { ...o, fromLogits: true, q: data.q });
  close(gce.losses, torch.gce[0], 'generalized CE losses');
  close(gce.grad, torch.gce[1], 'generalized CE gradient');
  for (const m of measured) t.diagnostic(m);
});

// run.js: `npm run bench`, the benchmark. Workloads W1-W5 and a
// scaling sweep, each measured round-robin in this one process after warm-up
// (bench/harness.js) against every peer: xent SIMD through the JS API (with
// copies, and zero-copy through wasm-resident tensors), xent scalar wasm, the
// fused plain-JS loops (bench/plain.js), TensorFlow.js wasm (SIMD, one thread)
// and cpu (bench/peers.js), and the two ceiling probes of the SIMD build (a
// pass that only reads the predictions, and one that only computes exp of them
// and stores it; bench/wasm.js). Prints the tables and the speed targets,
// and saves everything to bench/results/<date>.json.
//   node bench/run.js [--quick] [--no-tf] [--only=W1,W5,sweep] [--dist=DIR with the two .wasm] [--markdown]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { measure, fmtTime, fmtRate, table, consume, fresh } from './harness.js';
import * as plain from './plain.js';
import { loadTf, tfRun } from './peers.js';
import { loadWasm } from './wasm.js';
import { rng } from '../tests/js/reference.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const noTf = argv.includes('--no-tf');
const only = (argv.find((a) => a.startsWith('--only=')) || '').slice(7).split(',').filter(Boolean);
const distArg = argv.find((a) => a.startsWith('--dist='));
const dist = distArg ? path.resolve(distArg.slice(7)) : path.join(root, 'dist');
const want = (id) => only.length === 0 || only.includes(id);
const budget = quick ? { budgetMs: 300, maxSamples: 7, warmMs: 50 } : { budgetMs: 1200, maxSamples: 21, warmMs: 150 };

// ---- Data: a seeded generator (the tests' mulberry32), so every run measures the same numbers. ----
const normal = (r) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/** Builds the inputs of a workload kind for a [batch, classes] problem. */
function makeData(kind, batch, classes, seed = 1) {
  const r = rng(seed);
  const n = batch * classes;
  const x = new Float32Array(n);
  let labels;
  if (kind === 'probs') {
    labels = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const u = r();
      // 1% of the probabilities sit exactly on 0 or 1, where Keras' clip acts.
      x[i] = u < 0.005 ? 0 : u > 0.995 ? 1 : r();
      labels[i] = r() < 0.5 ? 1 : 0;
    }
    return { kind, batch, classes, x, labels };
  }
  for (let i = 0; i < n; i++) x[i] = 3 * normal(r);
  if (kind === 'sparse') {
    labels = new Int32Array(batch);
    for (let b = 0; b < batch; b++) labels[b] = Math.floor(r() * classes);
  } else if (kind === 'soft') {
    labels = new Float32Array(n);
    for (let b = 0; b < batch; b++) {
      let s = 0;
      for (let j = 0; j < classes; j++) s += labels[b * classes + j] = Math.exp(2 * normal(r));
      for (let j = 0; j < classes; j++) labels[b * classes + j] /= s;
    }
  } else {
    labels = new Float32Array(n);
    for (let i = 0; i < n; i++) labels[i] = r() < 0.1 ? 1 : 0;
  }
  return { kind, batch, classes, x, labels };
}

// ---- What each workload kind calls in every implementation. ----
const KIND = {
  sparse: { plain: plain.sparseSoftmax, c: 'xent_sparse_categorical_crossentropy', api: 'sparseCategoricalCrossentropy', fromLogits: 1 },
  soft: { plain: plain.softmaxSoft, c: 'xent_categorical_crossentropy', api: 'categoricalCrossentropy', fromLogits: 1 },
  sigmoid: { plain: plain.sigmoidLogits, c: 'xent_binary_crossentropy', api: 'binaryCrossentropy', fromLogits: 1 },
  probs: { plain: plain.binaryProbs, c: 'xent_binary_crossentropy', api: 'binaryCrossentropy', fromLogits: 0 },
};

const WORKLOADS = [
  { id: 'W1', kind: 'sparse', batch: 4096, classes: 1000, title: 'sparse softmax CE from logits, integer labels, 4096 x 1000, loss + grad' },
  { id: 'W2', kind: 'soft', batch: 4096, classes: 1000, title: 'categorical CE from logits, soft labels, 4096 x 1000, loss + grad' },
  { id: 'W3', kind: 'sigmoid', batch: 4096, classes: 1000, title: 'multi-label sigmoid CE from logits, 4096 x 1000, loss + grad' },
  { id: 'W4', kind: 'probs', batch: 4000, classes: 1000, title: 'binary CE on probabilities (Keras clip), 4 000 000 elements (4000 x 1000), loss + grad' },
  { id: 'W5', kind: 'sparse', batch: 1, classes: 10, title: 'live page: sparse softmax CE, 1 x 10 logits, loss + grad, per call' },
];

// ---- Peers. ----

/**
 * The timed closure of a bare wasm call. Evaluated afresh for every peer
 * (fresh() in harness.js) so that each peer's call sites get their own type
 * feedback: one shared closure calling two different wasm exports would be
 * polymorphic and measure V8's generic JS-to-wasm path instead of ours. Uses
 * nothing but its argument.
 */
function bareCall({ fn, bin, w, pY, pX, pL, pG, losses, grad, resident, name }) {
  const n = w.batch * w.classes;
  const { batch, classes, labels, x } = w;
  const isInt = labels instanceof Int32Array;
  const opt = bin.opt;
  const lossPtr = bin.lossPtr;
  let buf = null;
  let vY;
  let vX;
  let vL;
  let vG;
  let vLoss;
  const views = () => {
    buf = bin.ex.memory.buffer;
    vY = isInt ? new Int32Array(buf, pY, labels.length) : new Float32Array(buf, pY, labels.length);
    vX = new Float32Array(buf, pX, n);
    vL = new Float32Array(buf, pL, batch);
    vG = new Float32Array(buf, pG, n);
    vLoss = new Float32Array(buf, lossPtr, 1);
  };
  views();
  vY.set(labels);
  vX.set(x);
  if (resident) {
    return () => {
      const status = fn(pY, pX, batch, classes, opt, pL, pG, lossPtr, 0);
      if (status !== 0) throw new Error(`${name}: status ${status}`);
      if (buf !== bin.ex.memory.buffer) views();
      return vLoss[0];
    };
  }
  if (n <= 64) {
    // Small arrays: element loops beat TypedArray#set's fixed cost.
    return () => {
      if (buf !== bin.ex.memory.buffer) views();
      for (let i = 0; i < labels.length; i++) vY[i] = labels[i];
      for (let i = 0; i < n; i++) vX[i] = x[i];
      const status = fn(pY, pX, batch, classes, opt, pL, pG, lossPtr, 0);
      if (status !== 0) throw new Error(`${name}: status ${status}`);
      if (buf !== bin.ex.memory.buffer) views();
      for (let i = 0; i < batch; i++) losses[i] = vL[i];
      for (let i = 0; i < n; i++) grad[i] = vG[i];
      return vLoss[0];
    };
  }
  return () => {
    if (buf !== bin.ex.memory.buffer) views();
    vY.set(labels);
    vX.set(x);
    const status = fn(pY, pX, batch, classes, opt, pL, pG, lossPtr, 0);
    if (status !== 0) throw new Error(`${name}: status ${status}`);
    if (buf !== bin.ex.memory.buffer) views();
    losses.set(vL);
    grad.set(vG);
    return vLoss[0];
  };
}

/** A bare call of one wasm build; `resident` skips the copies (data already in wasm memory). */
function barePeer(name, bin, w, { resident = false } = {}) {
  const spec = KIND[w.kind];
  const n = w.batch * w.classes;
  const ctx = {
    fn: bin.ex[spec.c],
    bin,
    w,
    pY: bin.put(w.labels),
    pX: bin.put(w.x),
    pL: bin.alloc(w.batch * 4),
    pG: bin.alloc(n * 4),
    losses: new Float32Array(w.batch),
    grad: new Float32Array(n),
    resident,
    name: spec.c,
  };
  const call = fresh(bareCall)(ctx);
  const enter = async () => bin.setOptions({ fromLogits: spec.fromLogits });
  const grad = () => (resident ? bin.f32(ctx.pG, n) : ctx.grad);
  const free = () => [ctx.pY, ctx.pX, ctx.pL, ctx.pG].forEach((p) => bin.free(p));
  return { name, call, enter, grad, free };
}

function probePeers(bin, w) {
  const n = w.batch * w.classes;
  const pX = bin.put(w.x);
  const pO = bin.alloc(n * 4);
  return [
    { name: 'probe: read only (SIMD)', call: () => bin.ex.xent_probe_read(pX, n), probe: true, free: () => bin.free(pX) },
    { name: 'probe: exp only (SIMD)', call: () => (bin.ex.xent_probe_exp(pX, n, pO), 0), probe: true, free: () => bin.free(pO) },
  ];
}

function plainPeer(w) {
  const fn = KIND[w.kind].plain;
  const grad = new Float32Array(w.batch * w.classes);
  const losses = new Float32Array(w.batch);
  const call = fresh(({ fn, w, losses, grad }) => () => fn(w.labels, w.x, w.batch, w.classes, losses, grad))({ fn, w, losses, grad });
  return { name: 'plain JS (fused loops)', call, grad: () => grad };
}

function tfPeer(tfx, backend, w) {
  const grad = new Float32Array(w.batch * w.classes);
  const label = backend === 'wasm' ? `TF.js ${tfx.version} wasm (SIMD, 1 thread)` : `TF.js ${tfx.version} cpu`;
  return {
    name: label,
    enter: async () => {
      if (tfx.tf.getBackend() !== backend) await tfx.tf.setBackend(backend);
    },
    call: () => tfRun(tfx.tf, backend, w, grad),
    grad: () => grad,
  };
}

/** The xent JS API peers: with copies (typed arrays in, caller-owned outputs), and zero-copy tensors. */
function apiPeers(xent, w) {
  const spec = KIND[w.kind];
  const n = w.batch * w.classes;
  const shape = [w.batch, w.classes];
  const fn = xent[spec.api];
  const grad = new Float32Array(n);
  const losses = new Float32Array(w.batch);
  const opts = { fromLogits: spec.fromLogits === 1, gradient: true, shape, out: { losses, grad } };
  const apiCall = fresh(({ fn, y, x, opts }) => () => fn(y, x, opts).loss);
  const peers = [{ name: 'xent SIMD (JS API, copies)', call: apiCall({ fn, y: w.labels, x: w.x, opts }), grad: () => grad }];
  if (typeof xent.tensor === 'function') {
    const tY = xent.tensor(w.kind === 'sparse' ? [w.batch] : shape, w.kind === 'sparse' ? 'int32' : 'float32');
    const tX = xent.tensor(shape);
    const tL = xent.tensor([w.batch]);
    const tG = xent.tensor(shape);
    tY.data.set(w.labels);
    tX.data.set(w.x);
    const topts = { fromLogits: spec.fromLogits === 1, gradient: true, out: { losses: tL, grad: tG } };
    peers.push({
      name: 'xent SIMD (JS API, zero-copy tensors)',
      call: fresh(({ fn, y, x, opts }) => () => fn(y, x, opts).loss)({ fn, y: tY, x: tX, opts: topts }),
      grad: () => tG.data,
      free: () => [tY, tX, tL, tG].forEach((t) => t.free()),
    });
  }
  return peers;
}

// ---- Checks: every peer must compute the same loss and gradient. ----
function check(peer, ref, refGrad) {
  if (peer.probe) return '';
  const dl = Math.abs(peer.loss - ref) / Math.max(Math.abs(ref), 1e-30);
  let dg = 0;
  let gmax = 0;
  const g = peer.grad();
  for (let i = 0; i < g.length; i++) {
    dg = Math.max(dg, Math.abs(g[i] - refGrad[i]));
    gmax = Math.max(gmax, Math.abs(refGrad[i]));
  }
  // TF.js sums the per-element losses in float32 (relative error up to ~1e-3
  // over 4M elements); everything else sums in double.
  const bad = !(dl < (peer.name.startsWith('TF.js') ? 1e-2 : 1e-5) && dg <= 1e-4 * gmax);
  return `${bad ? 'MISMATCH ' : ''}loss ${dl.toExponential(0)}, grad ${(dg / gmax).toExponential(0)}`;
}

async function loadApi() {
  const file = path.join(root, 'js/index.js');
  if (!existsSync(file)) return { api: null, why: 'js/index.js does not exist yet' };
  try {
    const xent = await import(pathToFileURL(file).href);
    await xent.init();
    if (xent.backend !== 'wasm-simd') return { api: null, why: `xent.init() loaded backend ${xent.backend}` };
    return { api: xent };
  } catch (e) {
    return { api: null, why: `js/index.js failed: ${e.message}` };
  }
}

async function main() {
  const started = performance.now();
  const simdBin = await loadWasm(path.join(dist, 'xent-simd.wasm'));
  const scalarBin = await loadWasm(path.join(dist, 'xent.wasm'));
  if (!simdBin.simd || scalarBin.simd) throw new Error('dist/xent-simd.wasm must be the SIMD build and dist/xent.wasm the scalar one');
  const { api, why } = await loadApi();
  const tfx = noTf ? null : await loadTf();
  const notes = [];
  if (!api) notes.push(`xent JS API not measured (${why}); xent SIMD measured through a bare wasm call instead`);
  notes.push('xent scalar: its own instance of dist/xent.wasm, called directly with the same copies as the API (the JS API holds one module per process)');
  if (tfx && (!tfx.simd || tfx.threads !== 1)) notes.push(`TF.js wasm: simd=${tfx.simd}, threads=${tfx.threads}`);

  const load = os.loadavg()[0];
  if (load > os.cpus().length * 0.75) {
    notes.push(`the machine was busy (load average ${load.toFixed(1)} on ${os.cpus().length} cores): absolute times are inflated and noisy; ratios, measured round-robin, less so`);
  }
  const results = { date: new Date().toISOString(), machine: machine(tfx), notes, workloads: [], sweep: null, targets: [] };
  for (const spec of WORKLOADS) {
    if (!want(spec.id)) continue;
    const w = { ...spec, ...makeData(spec.kind, spec.batch, spec.classes, spec.id.charCodeAt(1)) };
    const n = w.batch * w.classes;
    const peers = [];
    if (api) peers.push(...apiPeers(api, w));
    else peers.push(barePeer('xent SIMD (bare call, copies)', simdBin, w), barePeer('xent SIMD (bare call, resident)', simdBin, w, { resident: true }));
    if (spec.id === 'W5' && api) peers.push(barePeer('bare wasm call, same copies (SIMD)', simdBin, w));
    peers.push(barePeer('xent scalar wasm (copies)', scalarBin, w));
    peers.push(plainPeer(w));
    if (tfx) peers.push(tfPeer(tfx, 'wasm', w), tfPeer(tfx, 'cpu', w));
    if (spec.id !== 'W5') peers.push(...probePeers(simdBin, w));
    for (const p of peers) if (p.enter) await p.enter();

    const refLosses = new Float32Array(w.batch);
    const refGrad = new Float32Array(n);
    const ref = KIND[w.kind].plain(w.labels, w.x, w.batch, w.classes, refLosses, refGrad);
    const measured = await measure(peers, budget);
    const base = measured[0].ms;
    const rows = measured.map((m, i) => ({
      ...m,
      rate: n / (m.ms / 1e3),
      check: check({ ...m, ...peers[i] }, ref, refGrad),
    }));
    for (const p of peers) if (p.free) p.free();
    const ratios = {};
    for (const a of rows) {
      ratios[a.name] = {};
      for (const b of rows) ratios[a.name][b.name] = b.ms / a.ms;
    }
    results.workloads.push({ id: spec.id, title: spec.title, elements: n, batch: w.batch, classes: w.classes, peers: rows, ratios });
    print(spec, rows, base);
    consume(ref);
  }
  if (want('sweep')) results.sweep = await sweep(api, simdBin, scalarBin, tfx);
  results.targets = targets(results);
  printTargets(results.targets);
  results.seconds = (performance.now() - started) / 1e3;
  if (argv.includes('--markdown')) console.log(`\n${markdown(results)}`);
  const dir = path.join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${results.date.slice(0, 19).replace(/:/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 1));
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`\n${results.seconds.toFixed(0)} s; saved ${path.relative(root, file)}`);
}

function machine(tfx) {
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    platform: `${os.platform()} ${os.arch()}`,
    loadavg: os.loadavg().map((v) => +v.toFixed(2)),
    tfjs: tfx ? { version: tfx.version, wasmSimd: tfx.simd, wasmThreads: tfx.threads } : null,
  };
}

function print(spec, rows, base) {
  console.log(`\n${spec.id}: ${spec.title}`);
  const head = ['peer', 'median', 'min', 'M el/s', 'time / xent SIMD', 'samples', 'check vs plain JS (rel.)'];
  const body = rows.map((r) => [r.name, fmtTime(r.ms), fmtTime(r.min), fmtRate(r.rate), `${(r.ms / base).toPrecision(3)}x`, `${r.samples}x${r.inner}`, r.check]);
  console.log(table([head, ...body], (c) => c > 0 && c < 6));
}

// ---- Scaling sweep: sparse softmax CE, [n / C, C] with C = min(n, 1000). ----
async function sweep(api, simdBin, scalarBin, tfx) {
  const sizes = [10, 100, 1000, 1e4, 1e5, 1e6, 1e7];
  const points = [];
  console.log('\nScaling sweep: sparse softmax CE from logits + grad, shape [n / C, C], C = min(n, 1000); ns per element');
  const names = [];
  for (const n of sizes) {
    const classes = Math.min(n, 1000);
    const w = { id: `n${n}`, ...makeData('sparse', n / classes, classes, 7) };
    const peers = [];
    if (api) peers.push(...apiPeers(api, w));
    peers.push(barePeer('bare wasm call, copies (SIMD)', simdBin, w), barePeer('xent scalar wasm (copies)', scalarBin, w), plainPeer(w));
    if (tfx && n <= 1e5) peers.push(tfPeer(tfx, 'wasm', w));
    peers.push(probePeers(simdBin, w)[1]);
    for (const p of peers) if (p.enter) await p.enter();
    const sweepBudget = { ...budget, budgetMs: budget.budgetMs / 3, maxSamples: quick ? 5 : 15 };
    const measured = await measure(peers, sweepBudget);
    for (const p of peers) if (p.free) p.free();
    const row = { n, batch: w.batch, classes, peers: {} };
    for (const m of measured) {
      row.peers[m.name] = { ms: m.ms, nsPerElement: (m.ms * 1e6) / n };
      if (!names.includes(m.name)) names.push(m.name);
    }
    points.push(row);
  }
  const head = ['n', ...names];
  const body = points.map((p) => [String(p.n), ...names.map((k) => (p.peers[k] ? p.peers[k].nsPerElement.toPrecision(3) : '-'))]);
  console.log(table([head, ...body]));
  // Where call overhead stops mattering: the smallest n whose cost per element
  // is within 25% of the cost per element at 10^6.
  const knee = {};
  for (const k of names) {
    const big = points.find((p) => p.n === 1e6)?.peers[k];
    if (!big) continue;
    const first = points.find((p) => p.peers[k] && p.peers[k].nsPerElement <= 1.25 * big.nsPerElement);
    knee[k] = first ? first.n : null;
  }
  console.log('call overhead under 25% of the cost from n =', Object.entries(knee).map(([k, v]) => `${k}: ${v}`).join('; '));
  return { points, knee };
}

/** The workload tables as one markdown table (peers x workloads) plus the targets, for the README. */
function markdown(results) {
  const wls = results.workloads;
  const names = [];
  for (const wl of wls) for (const p of wl.peers) if (!names.includes(p.name)) names.push(p.name);
  const head = `| peer | ${wls.map((w) => `${w.id} median (M el/s, time / xent SIMD)`).join(' | ')} |`;
  const sep = `|---|${wls.map(() => '---:').join('|')}|`;
  const rows = names.map((name) => {
    const cells = wls.map((wl) => {
      const p = wl.peers.find((q) => q.name === name);
      if (!p) return '';
      return `${fmtTime(p.ms)} (${fmtRate(p.rate)}, ${(p.ms / wl.peers[0].ms).toPrecision(3)}x)`;
    });
    return `| ${name} | ${cells.join(' | ')} |`;
  });
  const t = results.targets.map((x) => `| ${x.workload} | ${x.what} | ${x.value.toPrecision(3)} | ${x.goal} | ${x.met ? 'yes' : '**no**'} | ${x.byMin.toPrecision(3)} |`);
  const m = results.machine;
  const sweepLines = [];
  if (results.sweep) {
    const sn = [];
    for (const pt of results.sweep.points) for (const k of Object.keys(pt.peers)) if (!sn.includes(k)) sn.push(k);
    sweepLines.push(
      '',
      'Scaling sweep, W1 on [n / C, C], C = min(n, 1000): ns per element (median)',
      '',
      `| n | ${sn.join(' | ')} |`,
      `|---:|${sn.map(() => '---:').join('|')}|`,
      ...results.sweep.points.map((pt) => `| ${pt.n} | ${sn.map((k) => (pt.peers[k] ? pt.peers[k].nsPerElement.toPrecision(3) : '')).join(' | ')} |`),
      '',
      `Cost per element within 25% of its value at n = 10^6 from n = ${Object.entries(results.sweep.knee).map(([k, v]) => `${v} (${k})`).join(', ')}.`,
    );
  }
  return [
    `Measured ${results.date.slice(0, 16).replace('T', ' ')} UTC, Node ${m.node}, ${m.cpu} (${m.cores} cores), load average ${m.loadavg[0]}.`,
    '',
    head,
    sep,
    ...rows,
    '',
    '| | target | median ratio | goal | met | ratio of fastest samples |',
    '|---|---|---:|---|---|---:|',
    ...t,
    ...sweepLines,
  ].join('\n');
}

// ---- Speed targets. ----
function targets(results) {
  const out = [];
  const find = (wl, prefix) => wl.peers.find((p) => p.name.startsWith(prefix));
  for (const wl of results.workloads) {
    const copies = find(wl, 'xent SIMD (JS API, copies)') || find(wl, 'xent SIMD (bare call, copies)');
    const zero = find(wl, 'xent SIMD (JS API, zero-copy') || find(wl, 'xent SIMD (bare call, resident)') || copies;
    const scalar = find(wl, 'xent scalar');
    const js = find(wl, 'plain JS');
    const tfw = find(wl, 'TF.js') && wl.peers.filter((p) => p.name.startsWith('TF.js')).sort((a, b) => a.ms - b.ms)[0];
    const tfwasm = wl.peers.find((p) => p.name.includes('wasm (SIMD'));
    // Each target is judged on medians; the same ratio of the fastest samples
    // (byMin) is shown too, as it is less disturbed by a busy machine.
    let pair = null;
    const ratio = (a, b) => {
      pair = [a, b];
      return a.ms / b.ms;
    };
    const add = (what, value, goal, met, detail) =>
      out.push({ workload: wl.id, what, value, byMin: pair[0].min / pair[1].min, goal, met, detail });
    if (wl.id === 'W5') {
      const bare = find(wl, 'bare wasm call');
      if (bare) add('API call / bare wasm call with the same copies', ratio(copies, bare), '<= 1.5', copies.ms / bare.ms <= 1.5, `${fmtTime(copies.ms)} vs ${fmtTime(bare.ms)}`);
      if (tfwasm) add('speed-up vs TF.js wasm', ratio(tfwasm, copies), '>= 300', tfwasm.ms / copies.ms >= 300, `${fmtTime(tfwasm.ms)} vs ${fmtTime(copies.ms)}`);
      if (tfw && tfw !== tfwasm) add(`speed-up vs the faster TF.js (${tfw.name})`, ratio(tfw, copies), '(>= 300)', tfw.ms / copies.ms >= 300, `${fmtTime(tfw.ms)} vs ${fmtTime(copies.ms)}`);
      continue;
    }
    const exp = find(wl, 'probe: exp');
    if (exp) add('zero-copy time / exp-probe time', ratio(zero, exp), '<= 1.5', zero.ms / exp.ms <= 1.5, `${fmtTime(zero.ms)} vs ${fmtTime(exp.ms)}`);
    if (exp && copies !== zero) add('with copies: time / exp-probe time', ratio(copies, exp), '(<= 1.5)', copies.ms / exp.ms <= 1.5, `${fmtTime(copies.ms)} vs ${fmtTime(exp.ms)}`);
    add('speed-up vs plain JS (with copies)', ratio(js, copies), '>= 10', js.ms / copies.ms >= 10, `${fmtTime(js.ms)} vs ${fmtTime(copies.ms)}`);
    if (tfwasm) add('speed-up vs TF.js wasm (with copies)', ratio(tfwasm, copies), '>= 30', tfwasm.ms / copies.ms >= 30, `${fmtTime(tfwasm.ms)} vs ${fmtTime(copies.ms)}`);
    if (zero !== copies) {
      add('speed-up vs plain JS (zero-copy)', ratio(js, zero), '(>= 10)', js.ms / zero.ms >= 10, `${fmtTime(js.ms)} vs ${fmtTime(zero.ms)}`);
      if (tfwasm) add('speed-up vs TF.js wasm (zero-copy)', ratio(tfwasm, zero), '(>= 30)', tfwasm.ms / zero.ms >= 30, `${fmtTime(tfwasm.ms)} vs ${fmtTime(zero.ms)}`);
    }
    add('scalar wasm speed-up vs plain JS', ratio(js, scalar), '>= 1', js.ms / scalar.ms >= 1, `${fmtTime(js.ms)} vs ${fmtTime(scalar.ms)}`);
  }
  return out;
}

function printTargets(list) {
  if (!list.length) return;
  console.log('\nTargets');
  const head = ['', 'measure', 'median', 'goal', 'met', 'by min', 'detail (medians)'];
  const body = list.map((t) => [t.workload, t.what, t.value.toPrecision(3), t.goal, t.met ? 'yes' : 'NO', t.byMin.toPrecision(3), t.detail]);
  console.log(table([head, ...body], (c) => c === 2 || c === 5));
}

await main();

// passes.js: `node bench/passes.js [--only=W1,W2 | --only=rows]`, the diagnosis behind the benchmark's
// ceiling targets. Times each W1/W3/W4 kernel of dist/xent-simd.wasm
// (data resident in wasm memory, as the zero-copy path) next to the single
// passes and elementary functions it is made of (bench/passes.c, compiled here
// with emcc into node_modules/.cache/xent-bench/passes.wasm) and the ceiling
// probes, round-robin in one process, and prints each as a multiple of the
// exp-probe time. Not run by `npm run bench`; needs emcc (. ./emsdk-env.sh).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { measure, fmtTime, table } from './harness.js';
import { loadWasm } from './wasm.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'bench/passes.c');
const out = path.join(root, 'node_modules/.cache/xent-bench/passes.wasm');
const EXPORTS = ['pass_max', 'pass_exp_sum64', 'pass_exp_sum32', 'pass_exp_sum64_u16', 'pass_exp_sum64_nostore', 'pass_softmax3', 'map_copy', 'map_exp', 'map_div', 'map_log', 'map_softplus', 'map_sigmoid', 'map_log_nodiv', 'w3_fused_poly', 'w3_fused_nodiv', 'w3_split', 'w3_split3', 'w4_fused_nodiv', 'w4_fused_hard', 'exp_consts', 'map_exp_tab', 'w2_f32', 'w2_fast_s64_y64', 'w2_fast_s64_y32', 'w2_fast_s32_y32', 'w2_fast_s2_y32', 'w2_fast_s2_y32_norange', 'pass_softmax3_pair', 'xent_simd', 'malloc', 'free'];

function compile() {
  const newest = Math.max(statSync(src).mtimeMs, statSync(path.join(root, 'src/xent_math.h')).mtimeMs);
  if (existsSync(out) && statSync(out).mtimeMs > newest) return;
  mkdirSync(path.dirname(out), { recursive: true });
  const flags = ['-O3', '-msimd128', '-ffp-contract=off', `-I${path.join(root, 'src')}`, '--no-entry', '-sSTANDALONE_WASM', '-sALLOW_MEMORY_GROWTH=1', '-sFILESYSTEM=0',
    `-sEXPORTED_FUNCTIONS=${EXPORTS.map((e) => `_${e}`).join(',')}`];
  // xent_simd comes from status.c so the binding's checks pass.
  execFileSync('bash', ['-c', `. ./emsdk-env.sh >/dev/null 2>&1; emcc ${flags.join(' ')} bench/passes.c src/status.c -o ${out}`], { cwd: root, stdio: 'inherit' });
}

function data(kind, n) {
  const x = new Float32Array(n);
  let s = 12345;
  const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < n; i++) x[i] = kind === 'probs' ? u() : 3 * (u() + u() + u() - 1.5) * 1.4;
  let labels;
  if (kind === 'sparse') labels = Int32Array.from({ length: n / 1000 }, () => Math.floor(u() * 1000));
  else if (kind === 'soft') labels = Float32Array.from(x, () => u() / 500);
  else labels = Float32Array.from(x, () => (u() < 0.1 ? 1 : 0));
  return { x, labels };
}

// Short rows (`--only=rows`): one bare call (batch 1, loss + gradient, data
// resident in wasm memory) of the SIMD build and of the scalar build at each
// row length, fastest sample: where, if anywhere, the f32x4 row kernels lose
// to the scalar ones (W5).
async function shortRows() {
  const builds = [['SIMD build', 'dist/xent-simd.wasm'], ['scalar build', 'dist/xent.wasm']];
  const mods = await Promise.all(builds.map(([, f]) => loadWasm(path.join(root, f))));
  const out = [['', 'n', ...builds.map(([b]) => `${b} (ns per call)`), 'SIMD / scalar']];
  for (const [name, fn, fromLogits] of [
    ['sparse, logits', 'xent_sparse_categorical_crossentropy', 1],
    ['categorical, logits', 'xent_categorical_crossentropy', 1],
    ['sparse, probabilities', 'xent_sparse_categorical_crossentropy', 0],
    ['categorical, probabilities', 'xent_categorical_crossentropy', 0],
  ]) {
    for (const n of [1, 2, 3, 4, 7, 8, 10, 15, 16, 17, 33]) {
      const peers = mods.map((w, i) => {
        const x = Float32Array.from({ length: n }, (_, j) => (fromLogits ? Math.sin(j * 7.1) * 5 : 0.1 + Math.abs(Math.sin(j))));
        const y = fn.includes('sparse') ? Int32Array.of(3 % n) : Float32Array.from({ length: n }, (_, j) => (j % 3) / n);
        const [pY, pX, pL, pG] = [w.put(y), w.put(x), w.alloc(4), w.alloc(n * 4)];
        w.setOptions({ fromLogits });
        const [f, opt] = [w.ex[fn], w.opt];
        return { name: builds[i][0], call: () => { let s = 0; for (let k = 0; k < 100; k++) s += f(pY, pX, 1, n, opt, pL, pG, w.lossPtr, 0); return s; } };
      });
      const [a, b] = await measure(peers, { budgetMs: 300, maxSamples: 15 });
      out.push([name, n, (a.min * 1e4).toFixed(1), (b.min * 1e4).toFixed(1), (a.min / b.min).toFixed(2)]);
    }
  }
  console.log(table(out, (c) => c >= 1));
}

async function main() {
  if (process.argv.includes('--only=rows')) return shortRows();
  compile();
  const lib = await loadWasm(path.join(root, 'dist/xent-simd.wasm'));
  const pw = await loadWasm(out);
  const rows = 4096;
  const cols = 1000;
  const n = rows * cols;
  const report = [];
  const kTab = pw.ex.exp_consts();
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
  for (const [id, kind, fn, fromLogits] of [
    ['W1', 'sparse', 'xent_sparse_categorical_crossentropy', 1],
    ['W2', 'soft', 'xent_categorical_crossentropy', 1],
    ['W3', 'sigmoid', 'xent_binary_crossentropy', 1],
    ['W4', 'probs', 'xent_binary_crossentropy', 0],
  ].filter(([id]) => !only || only.includes(id))) {
    const { x, labels } = data(kind, n);
    const pY = lib.put(labels);
    const pX = lib.put(x);
    const pL = lib.alloc(rows * 4);
    const pG = lib.alloc(n * 4);
    const pO = lib.alloc(n * 4);
    const qX = pw.put(x);
    const qY = kind === 'sparse' ? 0 : pw.put(labels);
    const qO = pw.alloc(n * 4);
    const P = pw.ex;
    const peers = [
      { name: `${id} kernel (${fn}, loss + grad)`, enter: async () => lib.setOptions({ fromLogits }), call: () => lib.ex[fn](pY, pX, rows, cols, lib.opt, pL, pG, lib.lossPtr, 0) },
      { name: `${id} kernel, loss only (grad NULL)`, enter: async () => lib.setOptions({ fromLogits }), call: () => lib.ex[fn](pY, pX, rows, cols, lib.opt, pL, 0, lib.lossPtr, 0) },
      { name: 'probe: exp only', call: () => (lib.ex.xent_probe_exp(pX, n, pO), 0) },
      { name: 'probe: read only', call: () => lib.ex.xent_probe_read(pX, n) },
      { name: 'copy (load + store)', call: () => P.map_copy(qX, n, qO) },
    ];
    if (kind === 'sparse') {
      peers.push(
        { name: 'pass 1 alone: row max', call: () => P.pass_max(qX, rows, cols) },
        { name: 'pass 2 alone: exp + store + f64x2 sum', call: () => P.pass_exp_sum64(qX, rows, cols, qO) },
        { name: 'pass 2 with f32x4 sums instead', call: () => P.pass_exp_sum32(qX, rows, cols, qO) },
        { name: 'pass 2, 4 exps per iteration (as sparse.c)', call: () => P.pass_exp_sum64_u16(qX, rows, cols, qO) },
        { name: 'pass 2 without the store (loss only)', call: () => P.pass_exp_sum64_nostore(qX, rows, cols) },
        { name: 'passes 1+2+3 (no labels, no checks)', call: () => P.pass_softmax3(qX, rows, cols, qO) },
        { name: 'passes 1+2+3, exps added pairwise in f32, one promote per 16', call: () => P.pass_softmax3_pair(qX, rows, cols, qO) },
      );
    } else if (kind === 'soft') {
      peers.push(
        { name: 'passes 1+2+3 of W1 (no labels)', call: () => P.pass_softmax3(qX, rows, cols, qO) },
        { name: 'W2 with float32 element work, f64x2 row sums', call: () => P.w2_f32(qY, qX, rows, cols, qO) },
        { name: 'W2 fused, y (z - m) added in f32 per 16, S and sum y promoted per vector', call: () => P.w2_fast_s64_y64(qY, qX, rows, cols, qO) },
        { name: 'W2 fused, y (z - m) and sum y added in f32 per 16, S per vector', call: () => P.w2_fast_s64_y32(qY, qX, rows, cols, qO) },
        { name: 'W2 fused, all three sums added in f32 per 16', call: () => P.w2_fast_s32_y32(qY, qX, rows, cols, qO) },
        { name: 'W2 fused, S added in f32 pairs, the other two per 16', call: () => P.w2_fast_s2_y32(qY, qX, rows, cols, qO) },
        { name: 'the same without tracking the label range', call: () => P.w2_fast_s2_y32_norange(qY, qX, rows, cols, qO) },
      );
    } else if (kind === 'sigmoid') {
      peers.push(
        { name: 'exp(x) stored', call: () => P.map_exp(qX, n, qO) },
        { name: 'exp(x) stored, constants loaded once from memory', call: () => P.map_exp_tab(qX, n, qO, kTab) },
        { name: 'log1p(exp(-|x|)) stored (xent_softplus_neg_abs)', call: () => P.map_softplus(qX, n, qO) },
        { name: 'sigmoid(x) stored (1 division)', call: () => P.map_sigmoid(qX, n, qO) },
        { name: '1 / (1 + x) stored', call: () => P.map_div(qX, n, qO) },

        { name: 'W3 element work, tf.nn form, 1 division', call: () => P.w3_fused_poly(qX, qY, n, qO) },
        { name: 'the same with the division made a multiply', call: () => P.w3_fused_nodiv(qX, qY, n, qO) },
        { name: 'the same in blocks of 256: exp loop, then finishing loop', call: () => P.w3_split(qX, qY, n, qO) },
        { name: 'the same in three loops: exps, losses, gradients', call: () => P.w3_split3(qX, qY, n, qO) },
      );
    } else {
      peers.push(
        { name: 'log(p) stored', call: () => P.map_log(qX, n, qO) },
        { name: 'log(p) without the special-value selects', call: () => P.map_log_nodiv(qX, n, qO) },
        { name: '1 / (1 + p) stored', call: () => P.map_div(qX, n, qO) },
        { name: 'W4 element work, two logs', call: () => P.w4_fused_nodiv(qX, qY, n, qO) },
        { name: 'W4 element work, hard labels: one log', call: () => P.w4_fused_hard(qX, qY, n, qO) },
      );
    }
    const m = await measure(peers, { budgetMs: 800, maxSamples: 15 });
    const exp = m.find((r) => r.name === 'probe: exp only').ms;
    for (const r of m) report.push([id, r.name, fmtTime(r.ms), (r.ms / exp).toFixed(2), ((n / r.ms) * 1e-3).toFixed(0)]);
    [pY, pX, pL, pG, pO].forEach((p) => lib.free(p));
    [qX, qO, qY].forEach((p) => p && pw.free(p));
  }
  console.log(table([['', 'pass (4096 x 1000 = 4.1M elements)', 'median', 'x exp probe', 'M el/s'], ...report], (c) => c >= 2));
}

await main();

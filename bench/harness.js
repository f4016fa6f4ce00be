// harness.js: timing for the benchmark (bench/run.js): every peer of a workload
// is warmed up, then measured round-robin in the same process (one sample of
// each peer per round, the starting peer rotating), and summarised by its
// median. Fast calls are repeated inside a sample so that a sample lasts at
// least `minSampleMs`; slow peers take fewer samples (never fewer than
// `minSamples`) so the whole run stays within its time budget.

/** Median of an array of numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * A new copy of `factory` (which must use nothing but its arguments): closures
 * it makes have call sites of their own, so V8's type feedback, inlining and
 * optimised code are not shared with other peers made from the same source.
 */
export function fresh(factory) {
  return new Function(`return (${factory.toString()});`)();
}

let sink = 0;
/** Keeps results observable so no call can be optimised away. */
export function consume(v) {
  sink += typeof v === 'number' ? v : 0;
  return sink;
}

/**
 * peers: [{ name, call() -> loss, enter?() -> Promise }]. Returns, per peer,
 * { name, ms (median per call), min, samples, inner, loss }.
 */
export async function measure(peers, opts = {}) {
  const { budgetMs = 1500, minSamples = 3, maxSamples = 21, minSampleMs = 2, warmMs = 150 } = opts;
  const state = [];
  for (const peer of peers) {
    if (peer.enter) await peer.enter();
    let loss = peer.call();
    const start = performance.now();
    let best = Infinity;
    let calls = 0;
    while (calls < 1 || performance.now() - start < warmMs) {
      const t0 = performance.now();
      loss = peer.call();
      best = Math.min(best, performance.now() - t0);
      calls++;
      if (calls >= 1000 && best * calls > warmMs) break;
    }
    consume(loss);
    const perCall = Math.max(best, 1e-5);
    const inner = Math.max(1, Math.ceil(minSampleMs / perCall));
    const target = Math.min(maxSamples, Math.max(minSamples, Math.floor(budgetMs / (perCall * inner))));
    state.push({ peer, inner, target, samples: [], loss });
  }
  const rounds = Math.max(...state.map((s) => s.target));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < state.length; k++) {
      const s = state[(r + k) % state.length];
      if (s.samples.length >= s.target) continue;
      if (s.peer.enter) await s.peer.enter();
      const { call } = s.peer;
      const t0 = performance.now();
      let v;
      for (let i = 0; i < s.inner; i++) v = call();
      s.samples.push((performance.now() - t0) / s.inner);
      consume(v);
    }
  }
  return state.map((s) => ({
    name: s.peer.name,
    ms: median(s.samples),
    min: Math.min(...s.samples),
    samples: s.samples.length,
    inner: s.inner,
    loss: s.loss,
  }));
}

/** Formats a duration in ms with a unit that keeps 3 significant digits. */
export function fmtTime(ms) {
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms >= 1) return `${ms.toPrecision(3)} ms`;
  if (ms >= 1e-3) return `${(ms * 1e3).toPrecision(3)} µs`;
  return `${(ms * 1e6).toPrecision(3)} ns`;
}

/** Formats a rate in elements per second as M el/s. */
export function fmtRate(perS) {
  const m = perS / 1e6;
  return m >= 100 ? m.toFixed(0) : m >= 10 ? m.toFixed(1) : m.toFixed(2);
}

/** Renders rows (arrays of strings) as an aligned text table; first row is the header. */
export function table(rows, alignRight = () => true) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) =>
    r.map((v, c) => (alignRight(c) ? String(v).padStart(widths[c]) : String(v).padEnd(widths[c]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

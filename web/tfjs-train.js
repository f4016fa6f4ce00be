// tfjs-train.js: the script of web/tfjs-train.html. Trains a small tfjs-layers
// model on three classes of 2-D points with model.fit and xent/tfjs's
// sparseCategoricalCrossentropy from logits on [batch, 1] class-index targets
// (acceptSparseLabels), on the backend named by ?backend= (cpu, wasm or
// webgl). TF.js comes from the page's script tags (the global `tf`), which
// xent/tfjs uses when '@tensorflow/tfjs-core' cannot be imported. The result
// is shown and left in window.__xentTfjs (tests/browser/tfjs.test.js reads it).
import * as xt from '../js/tfjs.js';

const tf = globalThis.tf;
const result = { done: false, backend: null, losses: [], accuracy: null, numTensors: {}, error: null };
window.__xentTfjs = result;
window.xt = xt; // for the console, and for the browser tests

const $ = (id) => document.getElementById(id);

// n points per class around three centres, with a seeded generator.
function points(n, seed) {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 4294967296);
  const centres = [[0, 1.2], [-1, -0.6], [1, -0.6]];
  const x = [];
  const y = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) {
      const r = 0.55 * Math.sqrt(-2 * Math.log(1 - rand()));
      const t = 2 * Math.PI * rand();
      x.push(centres[c][0] + r * Math.cos(t), centres[c][1] + r * Math.sin(t));
      y.push(c);
    }
  }
  return { x: tf.tensor2d(x, [3 * n, 2]), y: tf.tensor2d(y, [3 * n, 1]) };
}

async function main() {
  const want = new URLSearchParams(location.search).get('backend') || 'cpu';
  if (!['cpu', 'wasm', 'webgl'].includes(want)) throw new RangeError(`backend must be cpu, wasm or webgl, got ${want}`);
  if (!(await tf.setBackend(want))) throw new Error(`the TF.js ${want} backend failed to start`);
  await tf.ready();
  result.backend = tf.getBackend();
  $('backend').textContent = result.backend;

  const { x, y } = points(100, 7);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 16, activation: 'relu', inputShape: [2] }),
      tf.layers.dense({ units: 3 }), // logits
    ],
  });
  model.compile({
    optimizer: tf.train.adam(0.05),
    loss: (yTrue, yPred) => xt.sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: true }),
    metrics: [tf.metrics.sparseCategoricalAccuracy],
  });
  xt.acceptSparseLabels(model); // model.fit now takes the [batch, 1] class indices
  $('status').textContent = `Training on ${result.backend}…`;
  let first = true;
  await model.fit(x, y, {
    epochs: 12,
    batchSize: 30,
    shuffle: true,
    callbacks: {
      onEpochBegin: () => {
        if (first) result.numTensors.start = tf.memory().numTensors;
      },
      onEpochEnd: (epoch, logs) => {
        // The first epoch creates the optimizer's slots; count from the second.
        if (first) result.numTensors.afterFirst = tf.memory().numTensors;
        first = false;
        // The metric's key is its function's name, which a minified TF.js may change.
        const acc = Object.entries(logs).find(([k]) => k !== 'loss')[1];
        result.losses.push(logs.loss);
        result.accuracy = acc;
        const row = document.createElement('tr');
        for (const v of [epoch + 1, logs.loss.toFixed(4), acc.toFixed(3)]) {
          const td = document.createElement('td');
          td.textContent = v;
          row.append(td);
        }
        $('epochs').append(row);
      },
    },
  });
  result.numTensors.end = tf.memory().numTensors;
  tf.dispose([x, y]);
  model.dispose();
  $('status').textContent = `Done on ${result.backend}: loss ${result.losses[0].toFixed(3)} → ${result.losses.at(-1).toFixed(3)}, accuracy ${result.accuracy.toFixed(3)}.`;
}

main()
  .catch((e) => {
    result.error = String((e && e.stack) || e);
    $('status').textContent = `Error: ${e && e.message}`;
  })
  .finally(() => {
    result.done = true;
  });

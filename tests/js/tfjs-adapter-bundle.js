// tfjs-adapter-bundle.js: TensorFlow.js and xent/tfjs as a bundler would ship
// them to a user, for the adapter tests (tfjs-adapter*.test.js) and
// bench/tfjs.js: tfjs-core with its gradients, the cpu and wasm backends,
// tfjs-layers and js/tfjs.js bundled by esbuild (a dev dependency) into one ES
// module, so the adapter's import of '@tensorflow/tfjs-core' is the same copy
// the model uses (tfjs-core's Node entry registers no gradients, which a
// training test needs). Cached under build/ and rebuilt when the sources or
// the installed TF.js are newer. The wasm backend reads its .wasm files from
// node_modules (no network); threads are off, so it runs the SIMD module.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.join(root, 'build/tfjs-adapter.mjs');
const ENTRY = `export * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
export * as tfl from '@tensorflow/tfjs-layers';
export * as xt from './js/tfjs.js';
export * as xent from './js/index.js';
`;
// Emscripten's Node glue in the wasm backend expects CommonJS globals.
const BANNER = `import { createRequire as __xentRequire } from 'node:module';
import { dirname as __xentDirname } from 'node:path';
import { fileURLToPath as __xentPath } from 'node:url';
const require = __xentRequire(import.meta.url);
const __filename = __xentPath(import.meta.url);
const __dirname = __xentDirname(__filename);
`;

const SOURCES = [
  ...readdirSync(path.join(root, 'js')).filter((f) => f.endsWith('.js')).map((f) => `js/${f}`),
  'js/wasm/simd.js',
  'js/wasm/scalar.js',
  ...['tfjs-core', 'tfjs-layers', 'tfjs-backend-cpu', 'tfjs-backend-wasm'].map((n) => `node_modules/@tensorflow/${n}/package.json`),
];

async function build() {
  const stale = !existsSync(out) || SOURCES.some((f) => existsSync(path.join(root, f)) && statSync(path.join(root, f)).mtimeMs > statSync(out).mtimeMs);
  if (!stale) return;
  const esbuild = await import('esbuild');
  mkdirSync(path.dirname(out), { recursive: true });
  const r = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    write: false,
    logLevel: 'error',
  });
  // Test files run in parallel processes: write aside, then rename (atomic), so
  // no process imports a half-written bundle.
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, r.outputFiles[0].contents);
  renameSync(tmp, out);
}

let loaded = null;
/** { tf, tfl, xt, backends: ['cpu', 'wasm'] }, TF.js on the cpu backend. */
export function loadAdapter() {
  loaded ||= (async () => {
    await build();
    const m = await import(pathToFileURL(out).href);
    const { tf } = m;
    tf.env().set('PROD', true);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    m.setWasmPaths(path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep);
    // The cpu backend advertises tfjs-node on its first use in Node.
    const warn = console.warn;
    console.warn = () => {};
    try {
      for (const name of ['wasm', 'cpu']) {
        if (!(await tf.setBackend(name))) throw new Error(`TF.js backend '${name}' failed to initialise`);
        tf.tensor1d([1]).dispose();
      }
    } finally {
      console.warn = warn;
    }
    return { tf, tfl: m.tfl, xt: m.xt, xent: m.xent, backends: ['cpu', 'wasm'] };
  })();
  return loaded;
}

// tfjs-bundle.js: TensorFlow.js for the cross-check tests (tfjs.test.js,
// tfjs-metrics.test.js). tfjs-core's Node build registers no gradients (they
// live in dist/register_all_gradients.js as extensionless ES modules), so
// tfjs-core, its gradients, the cpu backend and tfjs-layers' metrics are
// bundled once into one CommonJS file with esbuild (a dev dependency), cached
// under build/ and rebuilt when the installed TF.js is newer.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);

export async function loadTf() {
  const out = fileURLToPath(new URL('build/tfjs-cpu-layers.cjs', root));
  const stale = ['tfjs-core', 'tfjs-layers', 'tfjs-backend-cpu'].some(
    (name) =>
      !existsSync(out) ||
      statSync(out).mtimeMs < statSync(fileURLToPath(new URL(`node_modules/@tensorflow/${name}/package.json`, root))).mtimeMs,
  );
  if (stale) {
    const esbuild = await import('esbuild');
    const r = await esbuild.build({
      stdin: {
        contents:
          "export * from '@tensorflow/tfjs-core'; export { metrics } from '@tensorflow/tfjs-layers';" +
          " import '@tensorflow/tfjs-core/dist/register_all_gradients'; import '@tensorflow/tfjs-backend-cpu';",
        resolveDir: fileURLToPath(root),
        loader: 'js',
      },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      mainFields: ['module', 'main'],
      write: false,
      logLevel: 'silent',
    });
    mkdirSync(fileURLToPath(new URL('build/', root)), { recursive: true });
    writeFileSync(out, r.outputFiles[0].contents);
  }
  const tf = createRequire(import.meta.url)(out);
  tf.env().set('PROD', true); // no "install tfjs-node" banner
  await tf.setBackend('cpu');
  return tf;
}

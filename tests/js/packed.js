// packed.js: packs this repository with `npm pack` and installs the tarball
// into an empty temporary project, as a user of the published package would
// (offline: the package has no runtime dependencies). Shared by
// tests/js/pack.test.js (Node) and tests/browser/bundlers.test.js (esbuild and
// Vite in Chromium). Not a test file itself.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const npm = (args, cwd) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });

/**
 * Packs the repository and installs the tarball into a fresh project.
 * Returns { dir (the project), tarball, files (paths inside the tarball), cleanup() }.
 *
 * The tarball holds the committed built modules (dist/*.wasm, js/wasm/*.js);
 * `--ignore-scripts` keeps any pack script from touching them while other
 * test files read them.
 */
export function packAndInstall(prefix = 'xent-pack-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const out = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root);
  const info = JSON.parse(out.slice(out.indexOf('[')))[0];
  const tarball = path.join(dir, info.filename);
  const app = path.join(dir, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'xent-pack-app', private: true, type: 'module' }, null, 2));
  npm(['install', '--offline', '--no-audit', '--no-fund', tarball], app);
  return {
    dir: app,
    tarball,
    files: info.files.map((f) => f.path),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

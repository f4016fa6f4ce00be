// serve.test.js: the `npm start` server (scripts/serve.js) over real HTTP: it
// serves the explorer's pages, the JS modules, the wasm and the TF.js files
// web/tfjs-train.html loads with the right types, 404s everything else in the repository, answers only to localhost Host
// names (plus HOST), prints one line with the fix on a busy port, and
// `npm start` runs with nothing but node and npm on PATH, building nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, createServer } from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, statSync, existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { serve } from '../../scripts/serve.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A raw GET (no URL normalisation by the client) with the given Host header. */
function get(port, rawPath, host = `localhost:${port}`, method = 'GET', address = '127.0.0.1') {
  return new Promise((ok, fail) => {
    const headers = host === null ? {} : { Host: host };
    const req = request({ host: address, port, path: rawPath, method, headers, setHost: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

let srv;
before(async () => { srv = await serve({ port: 0 }); });
after(async () => { await srv.close(); });

test('the explorer pages, the JS modules and the wasm are served with the types browsers require', async () => {
  const want = {
    '/web/index.html': 'text/html; charset=utf-8',
    '/web/embed-example.html': 'text/html; charset=utf-8',
    '/web/define.js': 'text/javascript; charset=utf-8',
    '/web/panels/live.js': 'text/javascript; charset=utf-8',
    '/web/charts/line.js': 'text/javascript; charset=utf-8',
    '/js/index.js': 'text/javascript; charset=utf-8',
    '/js/wasm/simd.js': 'text/javascript; charset=utf-8',
    '/js/wasm/scalar.js': 'text/javascript; charset=utf-8',
    '/dist/xent-simd.wasm': 'application/wasm',
    '/dist/xent.wasm': 'application/wasm',
    // web/tfjs-train.html loads TF.js by script tag from node_modules (after npm ci).
    '/node_modules/@tensorflow/tfjs/dist/tf.min.js': 'text/javascript; charset=utf-8',
    '/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js': 'text/javascript; charset=utf-8',
    '/node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm': 'application/wasm',
  };
  for (const [p, type] of Object.entries(want)) {
    const r = await get(srv.port, p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-type'], type, p);
    assert.equal(r.body.length, statSync(path.join(ROOT, p)).size, `${p}: the whole file`);
  }
  const wasm = await get(srv.port, '/dist/xent-simd.wasm');
  assert.ok(WebAssembly.validate(wasm.body), 'the served wasm is a valid module');
  const root = await get(srv.port, '/');
  assert.equal(root.status, 302);
  assert.equal(root.headers.location, '/web/index.html');
  const head = await get(srv.port, '/web/index.html', 'localhost', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal((await get(srv.port, '/web/index.html', 'localhost', 'POST')).status, 405);
  // Browsers ask for /favicon.ico on pages without an icon link (the embed example): no content, not 404.
  assert.equal((await get(srv.port, '/favicon.ico')).status, 204);
});

test('nothing else in the repository is served: .git, node_modules, build, src, package.json, tests, scripts are 404', async () => {
  const hidden = [
    '/.git/config', '/.git/HEAD', '/.git', '/.gitignore', '/.ci/run',
    '/node_modules/playwright-core/package.json', '/node_modules/.package-lock.json',
    '/node_modules/@tensorflow/tfjs/package.json', '/node_modules/@tensorflow/tfjs/dist/tf.js',
    '/node_modules/@tensorflow/tfjs-core/dist/tf-core.min.js', '/node_modules/@tensorflow/tfjs/dist/../package.json',
    '/build/native/CMakeCache.txt', '/src/xent.h', '/src/xent.c', '/CMakeLists.txt',
    '/package.json', '/package-lock.json', '/README.md', '/web/README.md', '/emsdk-env.sh',
    '/tests/js/reference.js', '/scripts/serve.js', '/js/index.d.ts', '/docs/choosing.md', '/bin/xent.js',
    // traversal, encoded or not, from an allowed folder
    '/web/../.git/config', '/web/..%2f.git/config', '/web/%2e%2e/package.json', '/js/..%2fpackage.json',
    '/dist/..%2f.git%2fconfig', '/web/%2e%2e%2fsrc%2fxent.h', '/js/wasm/../../src/xent.h',
    '/web//../package.json', '/web/.hidden.js', '/web/', '/js/', '/dist/',
  ];
  for (const p of hidden) {
    const r = await get(srv.port, p);
    assert.ok(r.status === 404 || (r.status === 302 && r.headers.location === '/web/index.html'), `${p} answered ${r.status}`);
    assert.ok(!r.body.includes('[core]') && !r.body.includes('"name"'), `${p} leaked content`);
  }
  assert.equal((await get(srv.port, '/.git/config')).status, 404);
  assert.equal((await get(srv.port, '/package.json')).status, 404);
});

test('only localhost Host names are answered unless HOST names another, so DNS rebinding reads nothing', async () => {
  for (const host of ['localhost', `localhost:${srv.port}`, 'LOCALHOST:1', '127.0.0.1', `127.0.0.1:${srv.port}`, '[::1]', '[::1]:8080']) {
    assert.equal((await get(srv.port, '/web/index.html', host)).status, 200, host);
  }
  for (const host of ['evil.example', `evil.example:${srv.port}`, 'localhost.evil.example', '127.0.0.1.nip.io',
    'localhost@evil.example', '', null, '10.0.0.1', '[::2]']) {
    const r = await get(srv.port, '/web/index.html', host);
    // Node's HTTP parser itself answers 400 to a request without a Host header.
    assert.ok(r.status === 403 || (r.status === 400 && !host), `Host ${host} answered ${r.status}`);
    if (r.status === 403) assert.match(r.body.toString(), /set HOST/);
  }
  const named = await serve({ port: 0, hosts: new Set(['localhost', '127.0.0.1', '[::1]', 'box.lan']) });
  try {
    assert.equal((await get(named.port, '/web/index.html', `box.lan:${named.port}`)).status, 200);
    assert.equal((await get(named.port, '/web/index.html', 'other.lan')).status, 403);
  } finally {
    await named.close();
  }
});

/** Runs `cmd args` with `env`, resolves when `ready` matches stdout: { child, out, err }. */
function startProcess(cmd, args, env, ready) {
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const io = { child, out: '', err: '' };
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`not ready in 20 s; stdout ${io.out}; stderr ${io.err}`)), 20000);
    child.stdout.on('data', (d) => {
      io.out += d;
      if (ready.test(io.out)) { clearTimeout(timer); ok(io); }
    });
    child.stderr.on('data', (d) => { io.err += d; });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`exited ${code}; stdout ${io.out}; stderr ${io.err}`)); });
  });
}

test('with HOST set, the server listens there and also answers to that name', async () => {
  // 127.0.0.2 is a loopback address on Linux that is not one of the localhost names.
  const io = await startProcess(process.execPath, ['scripts/serve.js'], { ...process.env, PORT: '0', HOST: '127.0.0.2' }, /:(\d+)\//);
  try {
    const port = Number(io.out.match(/:(\d+)\//)[1]);
    assert.match(io.out, new RegExp(`http://127\\.0\\.0\\.2:${port}/web/index\\.html`));
    assert.equal((await get(port, '/web/index.html', `127.0.0.2:${port}`, 'GET', '127.0.0.2')).status, 200);
    assert.equal((await get(port, '/web/index.html', `localhost:${port}`, 'GET', '127.0.0.2')).status, 200);
    assert.equal((await get(port, '/web/index.html', 'evil.example', 'GET', '127.0.0.2')).status, 403);
  } finally {
    process.kill(-io.child.pid);
  }
});

test('a busy port prints one line naming PORT as the fix, no stack trace, and exits non-zero', async () => {
  const busy = createServer();
  await new Promise((ok) => busy.listen(0, '127.0.0.1', ok));
  const { port } = busy.address();
  try {
    const r = spawnSync(process.execPath, ['scripts/serve.js'], { cwd: ROOT, env: { ...process.env, PORT: String(port) }, encoding: 'utf8', timeout: 20000 });
    assert.notEqual(r.status, 0);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line, got: ${r.stderr}`);
    assert.match(lines[0], new RegExp(`port ${port} .*in use.*PORT=\\d+ npm start`));
    assert.doesNotMatch(r.stderr, /\n\s+at |EADDRINUSE|node:/);
  } finally {
    await new Promise((ok) => busy.close(ok));
  }
});

test('`npm start` with only node, npm and sh on PATH serves the explorer within seconds and builds nothing', async () => {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'xent-only-node-'));
  const which = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  symlinkSync(process.execPath, path.join(bin, 'node'));
  symlinkSync(which('npm'), path.join(bin, 'npm'));
  symlinkSync(which('sh'), path.join(bin, 'sh')); // npm runs scripts with sh
  const watched = ['dist/xent-simd.wasm', 'dist/xent.wasm', 'js/wasm/simd.js', 'js/wasm/scalar.js'];
  const mtimes = () => watched.map((f) => statSync(path.join(ROOT, f)).mtimeMs);
  const before_ = mtimes();
  const buildBefore = existsSync(path.join(ROOT, 'build')) ? readdirSync(path.join(ROOT, 'build')).sort() : [];
  const env = { HOME: os.tmpdir(), PATH: bin, PORT: '0', npm_config_update_notifier: 'false' };
  for (const tool of ['cmake', 'emcc', 'cc', 'gcc', 'apt-get']) {
    assert.notEqual(spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { env }).status, 0, `${tool} is not on the test PATH`);
  }
  const t0 = Date.now();
  const io = await startProcess(path.join(bin, 'npm'), ['start', '--silent'], env, /xent explorer: http:\/\/localhost:(\d+)\//);
  try {
    const port = Number(io.out.match(/localhost:(\d+)\//)[1]);
    const page = await get(port, '/web/index.html');
    const wasm = await get(port, '/js/wasm/simd.js');
    const seconds = (Date.now() - t0) / 1000;
    assert.equal(page.status, 200);
    assert.equal(wasm.status, 200);
    assert.ok(seconds < 15, `served after ${seconds} s`);
    assert.equal(io.err, '', 'nothing printed to stderr (no missing tool, no build)');
  } finally {
    process.kill(-io.child.pid);
    rmSync(bin, { recursive: true, force: true });
  }
  assert.deepEqual(mtimes(), before_, 'the built modules were not rebuilt');
  const buildAfter = existsSync(path.join(ROOT, 'build')) ? readdirSync(path.join(ROOT, 'build')).sort() : [];
  assert.deepEqual(buildAfter, buildBefore, 'no build folder was created');
});

#!/usr/bin/env node
// serve.js: the `npm start` server, also used by the browser tests. A small
// read-only static file server that serves only what the pages under web/ need:
// web/ (the pages and the element's modules), the JS API under js/ (including
// the inlined wasm modules js/wasm/*.js), the wasm files dist/*.wasm and the
// TF.js scripts web/tfjs-train.html loads from node_modules, with
// the MIME types browsers insist on (text/javascript for modules,
// application/wasm for streaming compilation). Everything else (.git, src/,
// build/, node_modules/, package.json...) is 404. It answers only requests
// whose Host is localhost, 127.0.0.1 or [::1] (any port), plus HOST when set,
// so a web page cannot read it through DNS rebinding. `/` redirects to the
// explorer. PORT overrides 8080 (0 picks a free port); HOST overrides the
// listening address 127.0.0.1. Needs nothing but Node: the built modules are
// in the repository. Tests import serve() with `root` set to a bundler's
// output folder, whose every non-hidden file is then served.
import { createServer } from 'node:http';
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));

// What the explorer and its example pages load from the repository: the pages
// and modules in web/, the JS API's modules, the wasm files, and for
// web/tfjs-train.html the two TF.js scripts it loads by script tag from
// node_modules (present after `npm ci`) with the wasm backend's .wasm files.
const REPO_ALLOW = [
  /^\/web\/(?:[\w-]+\/)*[\w.-]+\.(?:html|js|css|svg|png)$/,
  /^\/js\/(?:wasm\/)?[\w.-]+\.js$/,
  /^\/dist\/[\w.-]+\.wasm$/,
  /^\/node_modules\/@tensorflow\/tfjs\/dist\/tf\.min\.js$/,
  /^\/node_modules\/@tensorflow\/tfjs-backend-wasm\/dist\/(?:tf-backend-wasm\.min\.js|[\w-]+\.wasm)$/,
];
// In any other root (a bundler's output in the tests): every file with a served type.
const ANY_ALLOW = [/^\/(?:[\w-]+\/)*[\w.-]+\.(?:html|js|mjs|css|wasm|svg|png)$/];

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** The host name of a Host header, lower case ('[::1]' keeps its brackets); undefined if malformed. */
export function hostName(header) {
  if (typeof header !== 'string' || header === '' || /[\s/?#@\\]/.test(header)) return undefined;
  try {
    return new URL(`http://${header}`).hostname;
  } catch {
    return undefined;
  }
}

/** The Host names the server answers to: the loopback names, plus `host` unless it is a wildcard. */
export function allowedHosts(host) {
  const names = new Set(LOCAL_HOSTS);
  if (host && host !== '0.0.0.0' && host !== '::') {
    const name = hostName(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
    if (name) names.add(name);
  }
  return names;
}

// Starts the server; resolves to { server, port, url, close() }.
export function serve({ root = REPO, port = 8080, host = '127.0.0.1', hosts = allowedHosts(host) } = {}) {
  const base = resolve(root);
  const allow = base === REPO ? REPO_ALLOW : ANY_ALLOW;
  const server = createServer(async (req, res) => {
    const text = (status, body, headers = {}) =>
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }).end(`${body}\n`);
    const name = hostName(req.headers.host);
    if (!name || !hosts.has(name)) {
      text(403, `xent dev server: Host ${JSON.stringify(req.headers.host ?? '')} is not served; it answers to ` +
        `${[...hosts].join(', ')} (set HOST to the name you use, e.g. HOST=${name || 'myhost.local'} npm start)`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      text(405, 'method not allowed', { Allow: 'GET, HEAD' });
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      text(400, 'bad request');
      return;
    }
    if (path === '/' || (base === REPO && (path === '/web' || path === '/web/'))) {
      res.writeHead(302, { Location: base === REPO ? '/web/index.html' : '/index.html' }).end();
      return;
    }
    if (path === '/favicon.ico') { // browsers ask for it; the pages have none
      res.writeHead(204).end();
      return;
    }
    // The allow-list admits no '..', no hidden names and no encoded separators.
    const file = resolve(base, `.${path}`);
    if (!allow.some((re) => re.test(path)) || path.split('/').some((part) => part.startsWith('.')) ||
        !file.startsWith(base + sep)) {
      text(404, 'not found');
      return;
    }
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      stat = undefined;
    }
    if (!stat || !stat.isFile()) {
      text(404, 'not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file).toLowerCase()],
      'Content-Length': stat.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const actual = server.address().port;
      const shown = ['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'].includes(host) ? 'localhost'
        : host.includes(':') ? `[${host}]` : host;
      ok({
        server,
        port: actual,
        url: `http://${shown}:${actual}/`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

/** One line saying what went wrong starting the server, and the fix. */
export function startError(err, port, host) {
  const again = (env) => `${env} npm start`;
  switch (err && err.code) {
    case 'EADDRINUSE':
      return `xent: port ${port} on ${host} is already in use (another server is running there); ` +
        `stop it or pick another port: ${again(`PORT=${port === 8081 ? 8082 : 8081}`)}`;
    case 'EACCES':
      return `xent: not allowed to listen on port ${port}; pick a port above 1023: ${again('PORT=8080')}`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `xent: cannot listen on HOST=${host} (not an address of this machine); ` +
        `leave HOST unset for localhost: ${again('PORT=' + port)}`;
    default:
      return `xent: cannot start the server on ${host}:${port}: ${(err && err.message) || err}`;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = process.env.PORT === undefined || process.env.PORT === '' ? 8080 : Number(process.env.PORT);
  const host = process.env.HOST || '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`xent: PORT=${process.env.PORT} is not a port number (0-65535); e.g. PORT=8081 npm start`);
    process.exit(1);
  }
  const missing = ['js/wasm/simd.js', 'js/wasm/scalar.js'].filter((f) => !existsSync(resolve(REPO, f)));
  if (missing.length) {
    console.error(`xent: ${missing.join(' and ')} missing (they are tracked in git); restore them with ` +
      '`git checkout -- js/wasm dist`, or rebuild them with `npm run build` (needs Emscripten)');
    process.exit(1);
  }
  try {
    const { url } = await serve({ port, host });
    console.log(`xent explorer: ${url}web/index.html  (Ctrl+C to stop)`);
  } catch (err) {
    console.error(startError(err, port, host));
    process.exit(1);
  }
}

#!/usr/bin/env node
// serve.js: the `npm start` server. A tiny read-only static file server for the
// repository root (the explorer at /web/index.html, the JS API at /js/, the wasm
// at /dist/), with the MIME types browsers insist on (text/javascript for
// modules, application/wasm for streaming compilation). `/` redirects to the
// explorer. PORT overrides 8080; port 0 picks a free port (used by the browser
// tests, which import serve() instead of running this file).
import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));

// Starts the server; resolves to { server, port, url, close() }.
export function serve({ root = REPO, port = 8080, host = '127.0.0.1' } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (path === '/') {
      res.writeHead(302, { Location: '/web/index.html' }).end();
      return;
    }
    const file = resolve(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    if (stat.isDirectory()) {
      const index = join(path, 'index.html');
      res.writeHead(302, { Location: index }).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file).toLowerCase()] || 'application/octet-stream',
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
      ok({
        server,
        port: actual,
        url: `http://localhost:${actual}/`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = process.env.PORT === undefined ? 8080 : Number(process.env.PORT);
  const { url } = await serve({ port, host: process.env.HOST || '127.0.0.1' });
  console.log(`xent explorer: ${url}web/index.html  (Ctrl+C to stop)`);
}

// Starts the real wijkkaart server for the client tests: the binary named by
// WIJKKAART_BIN, or one built here with `go build ./cmd/wijkkaart`. It serves
// the embedded demo data on a free loopback port until stop() is called, or,
// when WIJKKAART_E2E_DATABASE_URL names a PostGIS database with demo data
// imported (scripts/e2e-postgis.sh makes one; `make client-test-postgis`),
// that database.
//
// Set WIJKKAART_URL to test a server that is already running instead.
//
// This file has no tests of its own.

import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root, three levels above this file (web/client/test). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const HEALTH_TIMEOUT_MS = 60_000;

async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function buildBinary(dir) {
  const out = join(dir, 'wijkkaart');
  try {
    await promisify(execFile)('go', ['build', '-o', out, './cmd/wijkkaart'], { cwd: REPO_ROOT, maxBuffer: 16 << 20 });
  } catch (err) {
    throw new Error(`go build ./cmd/wijkkaart in ${REPO_ROOT} failed:\n${err.stderr || err.message}`);
  }
  return out;
}

async function waitHealthy(url, child, output) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`wijkkaart serve exited with ${child.exitCode} before /healthz answered:\n${output.join('')}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `status ${res.status}: ${await res.text()}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wijkkaart serve did not answer GET /healthz with 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last}):\n${output.join('')}`);
}

/** The store the tests' servers read: 'postgis' or 'embedded'. */
export const STORE = process.env.WIJKKAART_E2E_DATABASE_URL ? 'postgis' : 'embedded';

/** The flags that make `wijkkaart serve` read STORE. */
function storeArgs() {
  const url = process.env.WIJKKAART_E2E_DATABASE_URL;
  // The test database is owned by the role that imported it: a server in
  // production reads as wijkkaart_reader (README), a test may write.
  return url ? ['--database-url', url, '--allow-writable-role'] : [];
}

/**
 * Starts the server and waits until GET /healthz answers 200. Returns its
 * base URL (no trailing slash) and stop(), which kills it and removes the
 * binary built for it.
 * @param {{args?: string[]}} [opts] more flags of `wijkkaart serve`
 */
export async function startServer({ args = [] } = {}) {
  if (process.env.WIJKKAART_URL) {
    const url = process.env.WIJKKAART_URL.replace(/\/+$/, '');
    return { url, stop: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), 'wijkkaart-test-'));
  let bin = process.env.WIJKKAART_BIN;
  if (bin) {
    bin = resolve(bin);
    await access(bin).catch(() => {
      throw new Error(`WIJKKAART_BIN=${bin} does not exist`);
    });
  } else {
    bin = await buildBinary(dir);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, ...storeArgs(), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, child, output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop, output };
}

/** Fetches a URL and returns {res, body} with body parsed as JSON when it is JSON. */
export async function getJSON(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { res, body };
}

/** The slippy-map tile at zoom z that contains lon/lat (Web Mercator, XYZ). */
export function tileOf(lon, lat, z) {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { z, x: Math.min(Math.max(x, 0), n - 1), y: Math.min(Math.max(y, 0), n - 1) };
}

/** The tiles at zoom z that cover a [west, south, east, north] box. */
export function tilesCovering(bbox, z) {
  const [w, s, e, n] = bbox;
  const nw = tileOf(w, n, z);
  const se = tileOf(e, s, z);
  const out = [];
  for (let x = nw.x; x <= se.x; x++) for (let y = nw.y; y <= se.y; y++) out.push({ z, x, y });
  return out;
}

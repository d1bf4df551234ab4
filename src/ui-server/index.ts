import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { contentTypeOf, isCompressible } from './content-types.js';
import { looksLikeAsset, resolveUiPath } from './resolve.js';

/** Where `npm run build` puts the bundle: dist/ui beside this module's dist/ui-server. */
export const defaultUiDir = fileURLToPath(new URL('../ui/', import.meta.url));

export type UiHandler = (req: IncomingMessage, res: ServerResponse) => void;

interface Loaded {
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
  type: string;
}

/**
 * Assets are content-hashed by Vite and never change under a name; index.html names the
 * current ones, so it is always revalidated. Scripts may only come from the agent itself.
 */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const HTML_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The web UI: the built bundle at `/ui/`, `index.html` for client-side routes, `/` and
 * `/ui` redirected to `/ui/` as Consul does. Files are read once and kept (gzipped too)
 * in memory: the bundle is small and does not change while the agent runs.
 */
export function createUiHandler(opts: { dir?: string } = {}): UiHandler {
  const dir = opts.dir ?? defaultUiDir;
  const cache = new Map<string, Promise<Loaded | null>>();

  const load = (absolute: string): Promise<Loaded | null> => {
    let hit = cache.get(absolute);
    if (!hit) {
      hit = readBundleFile(absolute);
      cache.set(absolute, hit);
      // A missing file is not remembered: a bundle built after start is picked up.
      void hit.then((v) => v ?? cache.delete(absolute));
    }
    return hit;
  };

  return (req, res) => {
    void serve(req, res, dir, load).catch((err: Error) => {
      if (!res.headersSent) text(res, 500, `UI file could not be read: ${err.message}`);
      else res.destroy();
    });
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, dir: string, load: (p: string) => Promise<Loaded | null>): Promise<void> {
  const pathname = (req.url ?? '/').split('?')[0]!;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return text(res, 405, `method ${req.method} not allowed`);
  }
  const target = resolveUiPath(dir, pathname);
  if (target.kind === 'redirect') {
    res.writeHead(301, { Location: target.location, 'Content-Type': 'text/plain; charset=utf-8' });
    return void res.end(req.method === 'HEAD' ? undefined : `Moved Permanently: ${target.location}\n`);
  }
  if (target.kind === 'bad') return text(res, 400, 'Invalid path');
  if (target.kind === 'not-found') return text(res, 404, '404 page not found');

  const file = target.hidden ? null : await load(target.absolute);
  if (file) return send(req, res, file, target.path.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
  if (looksLikeAsset(target.path)) return text(res, 404, `UI file not found: ${target.path}`);
  const index = await load(resolveIndex(dir));
  if (!index) return text(res, 404, 'The web UI is not built: run `npm run build` in the Weft source tree.');
  return send(req, res, index, REVALIDATE);
}

function resolveIndex(dir: string): string {
  const t = resolveUiPath(dir, '/ui/index.html');
  return t.kind === 'file' ? t.absolute : '';
}

async function readBundleFile(absolute: string): Promise<Loaded | null> {
  try {
    const s = await stat(absolute);
    if (!s.isFile()) return null;
    const body = await readFile(absolute);
    return {
      body,
      gzip: isCompressible(absolute) && body.length > 512 ? gzipSync(body) : null,
      etag: `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}"`,
      type: contentTypeOf(absolute),
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
}

function send(req: IncomingMessage, res: ServerResponse, file: Loaded, cacheControl: string): void {
  const headers: Record<string, string> = {
    'Content-Type': file.type,
    'Cache-Control': cacheControl,
    ETag: file.etag,
    'X-Content-Type-Options': 'nosniff',
    Vary: 'Accept-Encoding',
  };
  if (file.type.startsWith('text/html')) {
    headers['Content-Security-Policy'] = HTML_POLICY;
    headers['X-Frame-Options'] = 'DENY';
    headers['Referrer-Policy'] = 'no-referrer';
  }
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, headers);
    return void res.end();
  }
  const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? file.gzip! : file.body;
  if (gzip) headers['Content-Encoding'] = 'gzip';
  headers['Content-Length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(message);
}

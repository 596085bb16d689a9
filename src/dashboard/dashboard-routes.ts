// Serves the built dashboard (dist/web) under /dashboard/ on a fastify app, for `gridnest view` and `gridnest serve`;
// lets a browser WebSocket authenticate with its API key as a subprotocol (browsers cannot set Authorization).
import { readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** Folder of the committed build (`npm run build:web`). */
export const DASHBOARD_ASSETS_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Subprotocol prefix carrying the API key: `new WebSocket(url, ['gridnest', 'gridnest-key.' + key])`. */
export const KEY_SUBPROTOCOL_PREFIX = 'gridnest-key.';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface DashboardRouteOptions {
  /** `view`: a simulate output folder (data under /api/view); `live`: the platform service (login by API key). */
  readonly mode: 'view' | 'live';
  readonly assetsDir?: string;
}

/** Register GET /dashboard/* (files of the build), GET /dashboard/mode.json and a redirect from / to /dashboard/. */
export function registerDashboardRoutes(app: FastifyInstance, options: DashboardRouteOptions): void {
  const root = options.assetsDir ?? DASHBOARD_ASSETS_DIR;
  const cache = new Map<string, Buffer>();
  const readAsset = (relative: string): Buffer | null => {
    const path = normalize(join(root, relative));
    if (!path.startsWith(normalize(root + sep)) && path !== normalize(root)) return null;
    let body = cache.get(path);
    if (!body) {
      try {
        body = readFileSync(path);
      } catch {
        return null;
      }
      cache.set(path, body);
    }
    return body;
  };
  app.get('/', async (_request, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard/mode.json', async () => ({ mode: options.mode }));
  app.get('/dashboard/*', async (request, reply) => {
    const relative = (request.params as { '*': string })['*'] || 'index.html';
    const body = readAsset(relative);
    if (!body)
      return reply.code(404).send({
        error: { code: 'not_found', message: `no dashboard file ${relative} (run npm run build:web)` },
      });
    return reply.type(CONTENT_TYPES[extname(relative)] ?? 'application/octet-stream').send(body);
  });
  // A browser WebSocket offers ['gridnest', 'gridnest-key.<key>']: the key becomes the bearer credential, and
  // ws answers with the first offered subprotocol ('gridnest'), so the key is never echoed back.
  app.addHook('onRequest', async (request) => {
    const offered = request.headers['sec-websocket-protocol'];
    if (typeof offered !== 'string' || request.headers.authorization) return;
    const key = offered
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith(KEY_SUBPROTOCOL_PREFIX));
    if (key) request.headers.authorization = `Bearer ${key.slice(KEY_SUBPROTOCOL_PREFIX.length)}`;
  });
}

// End-to-end: an oversized body gets a 413 on every route, before authentication, and the server stops reading it.
import http from 'node:http';
import type net from 'node:net';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, DEFAULT_APP_OPTIONS } from '../../src/service/api/build-app.ts';
import { ServiceError } from '../../src/service/api/service-error.ts';
import type { Principal } from '../../src/service/auth/principal.ts';
import type { ServiceContext } from '../../src/service/service-context.ts';

const DEFAULT_LIMIT = 64 * 1024;
const METER_READINGS_LIMIT = 2 * 1024 * 1024;
/** Node's HTTP server reads its socket in chunks of up to 64 KiB: the most it can take in beyond where it stops. */
const SOCKET_READ_BYTES = 64 * 1024;

interface RawAnswer {
  readonly status: number;
  readonly headers: string;
  readonly body: { error: { code: string; message: string; issues: { path: string[] }[] } } | string;
  /** Bytes the server read from this connection's socket (server-side counter). */
  readonly serverBytesRead: number;
  /** The server half-closed the connection after the answer. */
  readonly serverClosed: boolean;
}

/**
 * The real application (hooks, routes, HTTP server) over a context without a database: the checks under test run
 * before any handler, and a database would only add seconds of start-up. One key is the admin; any other is refused.
 */
const ADMIN_KEY = 'test-admin-key';
const ADMIN: Principal = { keyId: 'admin', isAdmin: true, member: null };
const CONTEXT_WITHOUT_DATABASE = {
  credentials: {
    resolve: async (authorization: string | undefined) => {
      if (authorization === `Bearer ${ADMIN_KEY}`) return ADMIN;
      throw new ServiceError(401, 'unauthorized', 'missing or invalid API key');
    },
  },
  db: {
    kind: 'none',
    query: async () => {
      throw new Error('no database in this test');
    },
  },
  startedAtMs: Date.now(),
} as unknown as ServiceContext;

describe('service body size limit (413 before authentication)', () => {
  let app: FastifyInstance;
  let port: number;
  const serverSockets: net.Socket[] = [];

  beforeAll(async () => {
    app = await buildApp(CONTEXT_WITHOUT_DATABASE, DEFAULT_APP_OPTIONS);
    app.server.on('connection', (socket: net.Socket) => serverSockets.push(socket));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });

  afterAll(async () => {
    for (const socket of serverSockets) socket.destroy();
    await app?.close();
  });

  /**
   * Send a request over a raw socket: headers, then `bodyBytes` of JSON-ish filler in 16 KiB writes (chunked
   * framing when `isChunked`), and wait for one complete answer and the server's FIN (or 5 s).
   */
  function sendRaw(
    method: string,
    path: string,
    bodyBytes: number,
    options: { isChunked?: boolean; key?: string; body?: string } = {},
  ): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const connectionIndex = serverSockets.length;
      let received = Buffer.alloc(0);
      let serverClosed = false;
      const settle = () => {
        const text = received.toString('utf8');
        const split = text.indexOf('\r\n\r\n');
        if (split < 0) return reject(new Error(`no HTTP answer (got ${JSON.stringify(text.slice(0, 80))})`));
        const headers = text.slice(0, split);
        const bodyText = text.slice(split + 4);
        let body: RawAnswer['body'] = bodyText;
        try {
          body = JSON.parse(bodyText);
        } catch {
          // not JSON
        }
        socket.destroy();
        resolve({
          status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]),
          headers: headers.toLowerCase(),
          body,
          serverBytesRead: serverSockets[connectionIndex]?.bytesRead ?? Number.NaN,
          serverClosed,
        });
      };
      const timer = setTimeout(settle, 5000);
      socket.on('data', (data: Buffer) => {
        received = Buffer.concat([received, data]);
      });
      socket.on('end', () => {
        serverClosed = true;
        clearTimeout(timer);
        settle();
      });
      socket.on('error', () => {
        // EPIPE / ECONNRESET while still uploading after the answer: the answer, if any, is already in `received`.
        clearTimeout(timer);
        settle();
      });
      // A keep-alive answer (no FIN follows) is complete once its content-length has arrived.
      socket.on('data', () => {
        const text = received.toString('utf8');
        const split = text.indexOf('\r\n\r\n');
        const length = /content-length: (\d+)/i.exec(text)?.[1];
        const isClosing = /connection: close/i.test(text.slice(0, split));
        if (
          split >= 0 &&
          !isClosing &&
          length !== undefined &&
          received.length >= split + 4 + Number(length)
        ) {
          clearTimeout(timer);
          settle();
        }
      });
      socket.on('connect', () => {
        const payload = options.body ?? '';
        const total = options.body === undefined ? bodyBytes : Buffer.byteLength(payload);
        socket.write(
          `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
            (options.key ? `authorization: Bearer ${options.key}\r\n` : '') +
            (options.isChunked ? 'transfer-encoding: chunked\r\n' : `content-length: ${total}\r\n`) +
            '\r\n',
        );
        const frame = (chunk: Buffer) =>
          options.isChunked
            ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
            : chunk;
        if (options.body !== undefined) {
          socket.write(frame(Buffer.from(payload)));
          if (options.isChunked) socket.write('0\r\n\r\n');
          return;
        }
        const filler = Buffer.alloc(16 * 1024, 0x20);
        let written = 0;
        const pump = () => {
          while (written < bodyBytes && !socket.destroyed) {
            written += filler.length;
            if (!socket.write(frame(filler))) return void socket.once('drain', pump);
          }
          if (options.isChunked && !socket.destroyed) socket.write('0\r\n\r\n');
        };
        pump();
      });
    });
  }

  const expect413 = (answer: RawAnswer, limitBytes: number, isChunked: boolean) => {
    expect(answer.status).toBe(413);
    expect(answer.headers).toContain('connection: close');
    expect(typeof answer.body === 'object' && answer.body.error.code).toBe('payload_too_large');
    expect(typeof answer.body === 'object' && answer.body.error.issues[0].path).toEqual(['body']);
    expect(typeof answer.body === 'object' && answer.body.error.message).toContain(`${limitBytes} bytes`);
    expect(answer.serverClosed).toBe(true);
    // Declared length: the server answers from the headers, within its first socket read. Chunked: it reads up
    // to the limit, then at most one more socket read.
    expect(answer.serverBytesRead).toBeLessThanOrEqual(
      isChunked ? limitBytes + SOCKET_READ_BYTES : SOCKET_READ_BYTES,
    );
  };

  const routes: [string, string, number][] = [
    ['DELETE', '/v1/credentials/k_unknown', DEFAULT_LIMIT],
    ['DELETE', '/v1/orders/1', DEFAULT_LIMIT],
    ['POST', '/v1/platforms/p1/settlements', DEFAULT_LIMIT],
    ['POST', '/v1/platforms', DEFAULT_LIMIT],
    ['PUT', '/v1/platforms/p1/meter-readings', METER_READINGS_LIMIT],
    ['GET', '/health', DEFAULT_LIMIT],
    ['POST', '/no/such/route', DEFAULT_LIMIT],
  ];
  for (const [method, path, limitBytes] of routes) {
    for (const isChunked of [false, true]) {
      it(`${method} ${path}: 413 without credentials, ${isChunked ? 'chunked' : 'Content-Length'}`, async () => {
        const answer = await sendRaw(method, path, limitBytes + 2 * 1024 * 1024, { isChunked });
        expect413(answer, limitBytes, isChunked);
      });
    }
  }

  it('a standard client (node:http) uploading 2 MB gets the 413, not a dropped connection', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request({
        host: '127.0.0.1',
        port,
        method: 'DELETE',
        path: '/v1/credentials/k_unknown',
        headers: { 'content-type': 'application/json', 'content-length': 2 * 1024 * 1024 },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', (error) => reject(error));
      request.end(Buffer.alloc(2 * 1024 * 1024, 0x20));
    });
    expect(status).toBe(413);
  });

  it('bodies within the limit still reach authentication and the JSON parser, chunked or not', async () => {
    const unauthenticated = await sendRaw('DELETE', '/v1/credentials/k_unknown', 0, { body: '{}' });
    expect(unauthenticated.status).toBe(401);
    // An invalid platform: the 400 names the field, so the (buffered, when chunked) body was parsed and validated.
    const platform = JSON.stringify({
      name: 'limits',
      marketMode: 'barter',
      intervalMinutes: 15,
      operator: { name: 'operator', locationId: 'feeder-1' },
    });
    for (const isChunked of [false, true]) {
      const answer = await sendRaw('POST', '/v1/platforms', 0, { body: platform, key: ADMIN_KEY, isChunked });
      expect(answer.status).toBe(400);
      expect(typeof answer.body === 'object' && answer.body.error.issues[0].path).toEqual([
        'body',
        'marketMode',
      ]);
    }
    // Authenticated and one byte over the limit: 413 all the same.
    const over = await sendRaw('POST', '/v1/platforms', 0, {
      body: `${platform}${' '.repeat(DEFAULT_LIMIT + 1 - platform.length)}`,
      key: ADMIN_KEY,
      isChunked: true,
    });
    expect413(over, DEFAULT_LIMIT, true);
  });
});

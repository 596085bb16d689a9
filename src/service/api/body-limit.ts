// Request body size limits enforced before authentication: 413 from Content-Length, or while a chunked body streams.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './service-error.ts';

export interface BodyLimitOptions {
  /**
   * After a 413 the server stops reading, sends the answer and its FIN, and keeps the socket this long before closing
   * it, so a client still uploading reads the 413 before the reset that closing a socket with unread data causes.
   */
  readonly lingerMs: number;
}

export const DEFAULT_BODY_LIMIT_OPTIONS: BodyLimitOptions = { lingerMs: 1000 };

/** The 413 body: same error shape as every other answer of the service. */
export function payloadTooLargeBody(limitBytes: number) {
  return errorBody('payload_too_large', `body: larger than the limit for this route (${limitBytes} bytes)`, [
    {
      code: 'too_large',
      path: ['body'],
      message: `request body exceeds the size limit of ${limitBytes} bytes`,
    },
  ]);
}

/**
 * Add the hooks to `app`; call before registering routes, so the check runs before every route's authentication.
 * The limit is the route's `bodyLimit` (the app default otherwise, also for unknown routes). A declared
 * Content-Length over the limit is answered without reading any of the body; a chunked body is read into memory
 * up to the limit (then handed to the JSON parser) and answered with 413 as soon as it passes it. Either way the
 * server reads at most the limit plus one socket read (64 KiB) from an oversized request, authenticated or not.
 */
export function registerBodyLimit(app: FastifyInstance, options: BodyLimitOptions): void {
  const bufferedBodies = new WeakMap<FastifyRequest, Buffer>();

  app.addHook('onRequest', async (request, reply) => {
    const limitBytes = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 0;
    const declared = request.headers['content-length'];
    if (declared !== undefined) {
      if (Number(declared) > limitBytes) rejectOversized(request, reply, limitBytes, options);
      return;
    }
    if (request.headers['transfer-encoding'] === undefined) return;
    const body = await readBodyUpTo(request, limitBytes);
    if (body === null) rejectOversized(request, reply, limitBytes, options);
    else bufferedBodies.set(request, body);
  });

  // A body read above is no longer in the socket: give the parser the buffered copy instead.
  app.addHook('preParsing', async (request, _reply, payload) => {
    const body = bufferedBodies.get(request);
    return body === undefined ? payload : Readable.from([body]);
  });
}

/** The whole body if it fits in `limitBytes`, or null as soon as it does not (reading then stops). */
function readBodyUpTo(request: FastifyRequest, limitBytes: number): Promise<Buffer | null> {
  const raw = request.raw;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (outcome: () => void) => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
      raw.off('close', onClose);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > limitBytes) finish(() => resolve(null));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(() => resolve(Buffer.concat(chunks, length)));
    const onError = (error: Error) => finish(() => reject(error));
    // A client that goes away mid-body: nothing more will come, and nobody is left to answer.
    const onClose = () => finish(() => reject(new Error('the client closed the connection during the body')));
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('error', onError);
    raw.on('close', onClose);
  });
}

/**
 * Answer 413 on the socket itself and close the connection without reading further. Node's own response path would
 * either read and discard the rest of the body (keep-alive) or close the socket at once, and closing with unread
 * data sends a TCP reset that can overtake the answer: the "no HTTP answer" of a 2 MB upload.
 */
function rejectOversized(
  request: FastifyRequest,
  reply: FastifyReply,
  limitBytes: number,
  options: BodyLimitOptions,
): void {
  const socket = request.raw.socket;
  socket.pause();
  request.raw.pause();
  reply.hijack();
  const body = JSON.stringify(payloadTooLargeBody(limitBytes));
  socket.end(
    'HTTP/1.1 413 Payload Too Large\r\n' +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
  setTimeout(() => socket.destroy(), options.lingerMs).unref();
}

// The fastify application: authentication, rate limits, size limits (body-limit.ts), validation errors naming the
// field, the route table, WebSocket streams, OpenAPI, docs and health.
import websocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { describeZodIssue, InputError } from '../../core/errors.ts';
import { registerDashboardRoutes } from '../../dashboard/dashboard-routes.ts';
import { isPrivileged, type Principal, requirePlatformRole } from '../auth/principal.ts';
import type { StoredTrade } from '../market/records.ts';
import { toTradeView } from '../market/records.ts';
import type { ServiceContext } from '../service-context.ts';
import { CHANNELS, type Channel } from '../streams.ts';
import { DEFAULT_BODY_LIMIT_OPTIONS, payloadTooLargeBody, registerBodyLimit } from './body-limit.ts';
import { buildDocsPage, buildOpenApi } from './openapi.ts';
import { RateLimiter, type RateLimitOptions } from './rate-limiter.ts';
import type { RouteSpec } from './route-spec.ts';
import { buildRoutes } from './routes/index.ts';
import { errorBody, ServiceError } from './service-error.ts';

export interface AppOptions {
  /** Default JSON body limit (bytes); routes may raise their own. */
  readonly bodyLimitBytes: number;
  readonly rateLimit: RateLimitOptions;
  readonly isManualClock: boolean;
  readonly version: string;
}

export const DEFAULT_APP_OPTIONS: AppOptions = {
  bodyLimitBytes: 64 * 1024,
  rateLimit: { ratePerS: 50, burst: 100 },
  isManualClock: false,
  version: '0.1.0',
};

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

interface ValidationIssue {
  readonly code: string;
  readonly path: PropertyKey[];
  readonly message: string;
}

const CONTEXT_NAMES: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

export async function buildApp(ctx: ServiceContext, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: options.bodyLimitBytes, logger: false, return503OnClosing: true });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // Before the routes: a body over the route's limit is a 413 before authentication, on every route.
  registerBodyLimit(app, DEFAULT_BODY_LIMIT_OPTIONS);
  const limiter = new RateLimiter(options.rateLimit);
  const routes = buildRoutes(ctx, { isManualClock: options.isManualClock });
  const openApi = buildOpenApi(routes, options.version);
  const docsPage = buildDocsPage(openApi);

  // Zod validation: the parsed value replaces the raw input; issues keep their field paths.
  app.setValidatorCompiler(({ schema }) => (data: unknown) => {
    const result = (schema as z.ZodType).safeParse(data);
    if (result.success) return { value: result.data };
    const error = new Error('validation failed') as Error & { issues: ValidationIssue[] };
    error.issues = result.error.issues.map((issue) => ({
      ...issue,
      message: describeZodIssue(issue, issue.path as (string | number)[], data),
    })) as unknown as ValidationIssue[];
    return { error };
  });

  app.decorateRequest('principal', null);

  app.setErrorHandler(
    (error: FastifyError & { issues?: ValidationIssue[]; validationContext?: string }, request, reply) => {
      if (error instanceof ServiceError) {
        if (error.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer');
        return reply.code(error.statusCode).send(errorBody(error.code, error.message, error.issues));
      }
      if (error instanceof InputError)
        return reply.code(400).send(errorBody('invalid_input', error.message, error.issues));
      if (error.code === 'FST_ERR_VALIDATION' && error.issues) {
        const prefix = CONTEXT_NAMES[error.validationContext ?? 'body'] ?? 'body';
        const issues = error.issues.map((issue) => ({
          code: issue.code,
          path: [prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
          message: issue.message,
        }));
        const message = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        return reply.code(400).send(errorBody('invalid_input', message, issues));
      }
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        return reply.code(413).send(payloadTooLargeBody(request.routeOptions.bodyLimit));
      if (
        error.statusCode === 400 ||
        error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
        error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
      )
        return reply
          .code(error.statusCode ?? 400)
          .send(
            errorBody('invalid_input', `body: ${error.message}`, [
              { code: 'invalid_json', path: ['body'], message: error.message },
            ]),
          );
      if (error.statusCode === 415)
        return reply.code(415).send(errorBody('unsupported_media_type', 'send application/json'));
      reply.log.error(error);
      return reply.code(500).send(errorBody('internal', 'internal server error'));
    },
  );

  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody('not_found', 'no such route')));

  // Authentication and rate limiting run before body parsing (an unauthenticated write costs no parse).
  const authenticate = async (request: FastifyRequest): Promise<Principal> => {
    const nowMs = Date.now();
    let principal: Principal;
    try {
      principal = await ctx.credentials.resolve(request.headers.authorization);
    } catch (error) {
      const wait = limiter.take(`ip:${request.ip}`, nowMs);
      if (wait > 0) throw rateLimited(wait);
      throw error;
    }
    const wait = limiter.take(`key:${principal.keyId}`, nowMs);
    if (wait > 0) throw rateLimited(wait);
    request.principal = principal;
    return principal;
  };

  app.get('/health', async () => ({
    status: 'ok' as const,
    database: ctx.db.kind,
    uptimeS: Math.round((Date.now() - ctx.startedAtMs) / 1000),
  }));
  app.get('/openapi.json', async () => openApi);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(docsPage));

  registerDashboardRoutes(app, { mode: 'live' });
  for (const route of routes) registerRoute(app, route, authenticate);

  app.get(
    '/v1/platforms/:platformId/stream',
    { websocket: true, preValidation: async (request) => void (await authenticate(request)) },
    (socket, request) => {
      const principal = request.principal!;
      const { platformId } = request.params as { platformId: string };
      const query = request.query as { channels?: string };
      const requested = (query.channels ?? CHANNELS.join(','))
        .split(',')
        .filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c));
      try {
        requirePlatformRole(principal, platformId, ['prosumer', 'operator', 'dso']);
      } catch (error) {
        const e = error as ServiceError;
        socket.send(JSON.stringify(errorBody(e.code, e.message)));
        socket.close(4000 + e.statusCode, e.code);
        return;
      }
      const viewer = {
        memberId: principal.member?.id ?? null,
        isPrivileged: isPrivileged(principal, platformId),
      };
      const unsubscribe = ctx.streams.subscribe(platformId, {
        socket,
        channels: new Set(requested),
        view: (channel, payload) =>
          channel === 'trades' ? (payload as StoredTrade[]).map((t) => toTradeView(t, viewer)) : payload,
      });
      socket.on('close', unsubscribe);
      socket.send(JSON.stringify({ channel: 'control', platformId, data: { subscribed: requested } }));
    },
  );
  return app;
}

function rateLimited(waitS: number): ServiceError {
  const error = new ServiceError(429, 'rate_limited', `too many requests; retry after ${waitS} s`);
  return error;
}

function registerRoute(
  app: FastifyInstance,
  route: RouteSpec,
  authenticate: (request: FastifyRequest) => Promise<Principal>,
): void {
  app.route({
    method: route.method,
    url: route.url,
    ...(route.bodyLimitBytes ? { bodyLimit: route.bodyLimitBytes } : {}),
    schema: {
      ...(route.body ? { body: route.body } : {}),
      ...(route.query ? { querystring: route.query } : {}),
      ...(route.params ? { params: route.params } : {}),
    },
    onRequest: route.isPublic
      ? undefined
      : async (request, reply) => {
          try {
            await authenticate(request);
          } catch (error) {
            if (error instanceof ServiceError && error.statusCode === 429)
              reply.header('Retry-After', error.message.match(/\d+/)?.[0] ?? '1');
            throw error;
          }
        },
    handler: async (request, reply) => {
      const principal = request.principal!;
      if (route.roles)
        requirePlatformRole(principal, (request.params as { platformId: string }).platformId, route.roles);
      return route.handler({
        body: request.body as never,
        query: request.query as never,
        params: request.params as never,
        principal,
        request,
        reply,
      });
    },
  });
}

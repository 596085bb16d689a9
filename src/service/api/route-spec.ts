// A route as data: method, path, schemas, roles and handler; the server registers it and OpenAPI describes it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Principal, Role } from '../auth/principal.ts';

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  /** Null only on public routes. */
  readonly principal: Principal;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface RouteSpec<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify path syntax (`/v1/platforms/:platformId`). */
  readonly url: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /** Public routes (health, docs) need no API key. */
  readonly isPublic?: boolean;
  /** Who may call it, for the docs. */
  readonly access: string;
  /**
   * Roles on the platform named by the `platformId` path parameter, checked before the handler runs
   * (`requirePlatformRole`: another platform's member gets 404, a wrong role 403). Without it the handler checks.
   */
  readonly roles?: readonly Role[];
  readonly body?: B;
  readonly query?: Q;
  readonly params?: P;
  /** Larger body limit for this route (bytes). */
  readonly bodyLimitBytes?: number;
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: z.ZodType }>>;
  readonly handler: (input: RouteInput<Infer<B>, Infer<Q>, Infer<P>>) => Promise<unknown>;
}

/** Identity helper that infers handler input types from the schemas. */
export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<B, Q, P>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** Every member role: routes any member of the platform may call. */
export const MEMBER_ROLES: readonly Role[] = ['prosumer', 'operator', 'dso'];

/** A GET route any member of the platform may call (role check before the handler; the handler narrows rows). */
export function memberReadRoute<
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
>(spec: Omit<RouteSpec<undefined, Q, P>, 'method' | 'access' | 'roles' | 'body'>): RouteSpec {
  return defineRoute<undefined, Q, P>({
    method: 'GET',
    access: 'members of the platform',
    roles: MEMBER_ROLES,
    ...spec,
  });
}

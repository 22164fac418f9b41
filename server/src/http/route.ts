import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Permission } from '../access/access.ts';
import { loadSession } from '../accounts/sessions.ts';
import { safeEqual } from '../accounts/tokens.ts';
import { AppError, type FieldError } from '../errors.ts';
import { systemActor } from '../fhir/smart.ts';
import { type AppDeps, RequestContext, SESSION_COOKIE } from './context.ts';

/**
 * Who may call a route:
 * - public: anyone (health, login, one-time links);
 * - session: a signed-in session that passed the second factor;
 * - second_factor: also a session still waiting for its second factor (that step's own routes, logout).
 */
export type RouteAuth = 'public' | 'session' | 'second_factor';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const Empty = z.strictObject({});
type EmptySchema = typeof Empty;

/** One API route: its schemas (validation, types and OpenAPI from one source), its guard and its handler. */
export interface RouteDefinition<
  P extends z.ZodType = EmptySchema,
  Q extends z.ZodType = EmptySchema,
  B extends z.ZodType = EmptySchema,
  R extends z.ZodType = z.ZodType,
  M extends Method = Method,
  U extends string = string,
> {
  method: M;
  url: U;
  summary: string;
  tag: string;
  auth: RouteAuth;
  /** The role permission checked before anything else; record-level rules live in the command. */
  permission?: Permission;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  status?: number;
  handler: (
    ctx: RequestContext,
    input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> },
  ) => Promise<z.input<R>>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of routes of any schema types
export type AnyRoute = RouteDefinition<any, any, any, any, any, any>;

/**
 * Declare a route; the generics are inferred from its schemas, and its method and URL are kept as
 * literal types, so the web app can look up a route's answer type (`Answer` in `web/src/api.ts`).
 */
export function defineRoute<
  P extends z.ZodType = EmptySchema,
  Q extends z.ZodType = EmptySchema,
  B extends z.ZodType = EmptySchema,
  R extends z.ZodType = z.ZodType,
  const M extends Method = Method,
  const U extends string = string,
>(route: RouteDefinition<P, Q, B, R, M, U>): RouteDefinition<P, Q, B, R, M, U> {
  return route;
}

/** zod issues → field errors with dotted paths ("body.email"). */
export function fieldErrors(where: string, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

/**
 * The path to the first string (or key) holding a NUL character, which PostgreSQL's text and jsonb
 * cannot store (it would fail the statement), or null when there is none.
 */
function nulCharacterAt(value: unknown): string[] | null {
  // A loop over a list of (value, where it hangs), not recursion: a deeply nested body must not
  // exhaust the stack, nor cost a copy of its path per level.
  const keys: { key: string; parent: number }[] = [];
  const pathTo = (at: number) => {
    const path: string[] = [];
    for (let node = keys[at]; node; node = keys[node.parent]) path.unshift(node.key);
    return path;
  };
  const pending: [unknown, number][] = [[value, -1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, at] = next;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return pathTo(at);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        keys.push({ key: key.replaceAll('\u0000', '\\u0000'), parent: at });
        if (key.includes('\u0000')) return pathTo(keys.length - 1);
        pending.push([child, keys.length - 1]);
      }
    }
  }
  return null;
}

function parsePart(where: 'params' | 'query' | 'body', schema: z.ZodType | undefined, value: unknown): unknown {
  const nul = nulCharacterAt(value);
  if (nul) {
    const field = [where, ...nul].join('.');
    throw new AppError('VALIDATION_FAILED', `Invalid ${where}.`, {
      fields: [{ field, message: 'must not contain a NUL character (\\u0000)' }],
    });
  }
  const result = (schema ?? Empty).safeParse(value ?? {});
  if (!result.success) {
    throw new AppError('VALIDATION_FAILED', `Invalid ${where}.`, { fields: fieldErrors(where, result.error) });
  }
  return result.data;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Resolve the session, enforce auth, CSRF and the role permission, validate, run, validate the answer. */
export function registerRoute(app: FastifyInstance, deps: AppDeps, route: AnyRoute): void {
  app.route({
    method: route.method,
    url: route.url,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const ctx = await contextFor(deps, request, reply, route.auth);
      request.kringContext = ctx;
      // A bearer token (a system client on /fhir) carries no ambient credential: no CSRF to check.
      if (route.auth !== 'public' && STATE_CHANGING.has(route.method) && !ctx.scopes) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !ctx.session || !safeEqual(sent, ctx.session.csrfToken)) {
          throw new AppError('CSRF_INVALID', 'The request lacks a valid X-CSRF-Token header.');
        }
      }
      if (route.permission) ctx.access.requireRole(route.permission);
      const input = {
        params: parsePart('params', route.params, request.params),
        query: parsePart('query', route.query, request.query),
        body: parsePart('body', route.body, request.body),
      };
      const result = await route.handler(ctx, input);
      // A handler may set its own status (readiness answers 503); otherwise the route's.
      if (reply.statusCode === 200 && route.status) reply.status(route.status);
      return route.response.parse(result);
    },
  });
}

async function contextFor(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  auth: RouteAuth,
): Promise<RequestContext> {
  const authorization = request.headers.authorization;
  if (auth !== 'public' && typeof authorization === 'string' && /^bearer /i.test(authorization)) {
    // Bearer tokens are SMART backend-services tokens: for the FHIR API only.
    if (!request.url.startsWith('/fhir/')) {
      throw new AppError('UNAUTHENTICATED', 'A bearer token is for the FHIR API (/fhir) only.');
    }
    const { actor, scopes } = await systemActor(deps, authorization.slice(7).trim());
    return new RequestContext(deps, request, reply, actor, null, scopes);
  }
  const token = request.cookies[SESSION_COOKIE];
  const loaded = token ? await loadSession(deps.database.db, deps.config, token) : null;
  if (auth === 'public') {
    const active = loaded?.session.stage === 'active';
    return new RequestContext(deps, request, reply, active ? loaded.actor : null, loaded?.session ?? null);
  }
  if (!loaded) throw new AppError('UNAUTHENTICATED', 'Please sign in.');
  if (auth === 'session' && loaded.session.stage !== 'active') {
    throw new AppError('SECOND_FACTOR_REQUIRED', 'Complete the second sign-in step first.');
  }
  return new RequestContext(deps, request, reply, loaded.actor, loaded.session);
}

declare module 'fastify' {
  interface FastifyRequest {
    kringContext?: RequestContext;
  }
}

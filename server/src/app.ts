import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { authRoutes } from './accounts/auth.routes.ts';
import { invitationRoutes } from './accounts/invitation.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { overrideRoutes } from './consent/override.routes.ts';
import { consultationRoutes } from './consultations/consultation.routes.ts';
import { contentRoutes } from './content/content.routes.ts';
import { refreshContent } from './content/content.ts';
import { dataRequestRoutes } from './data-requests/data-request.routes.ts';
import { listMigrations } from './database/migrate.ts';
import { AppError, type ErrorCode } from './errors.ts';
import { familyRoutes } from './families/family.routes.ts';
import { fhirRoutes } from './fhir/fhir.routes.ts';
import { FHIR_CONTENT_TYPE, notAcceptable, operationOutcome } from './fhir/fhir.ts';
import { figureRoutes } from './figures/figures.routes.ts';
import { guideRoutes } from './guides/guide.routes.ts';
import { loadExtraGuides } from './guides/guide-definitions.ts';
import type { AppDeps } from './http/context.ts';
import { registerMetrics } from './http/metrics.ts';
import { buildOpenApi } from './http/openapi.ts';
import { type AnyRoute, defineRoute, registerRoute } from './http/route.ts';
import { syncCatalogue } from './interventions/catalogue.ts';
import { interventionRoutes } from './interventions/intervention.routes.ts';
import { knowledgeRoutes } from './knowledge/knowledge.routes.ts';
import { meldcodeRoutes } from './meldcode/meldcode.routes.ts';
import { organisationRoutes } from './organisations/organisation.routes.ts';
import { planRoutes } from './plan/plan.routes.ts';
import { portalRoutes } from './portal/portal.routes.ts';
import { referralRoutes } from './referrals/referral.routes.ts';
import { safetyRoutes } from './safety/safety.routes.ts';
import { signalRoutes } from './signals/signal.routes.ts';
import { taskRoutes } from './tasks/task.routes.ts';

/** The largest JSON body the API accepts; a family registration is far smaller. */
export const BODY_LIMIT_BYTES = 256 * 1024;

const healthRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/health',
    summary: 'Liveness and the database engine in use',
    tag: 'system',
    auth: 'public',
    response: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgresql']) }),
    handler: async (ctx) => {
      await ctx.deps.database.db.selectFrom('app_meta').select('key').limit(1).execute();
      return { status: 'ok' as const, database: ctx.deps.database.kind };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/ready',
    summary: 'Readiness: the database answers and every migration of this release is applied (503 otherwise)',
    tag: 'system',
    auth: 'public',
    response: z.object({ status: z.enum(['ready', 'not_ready']), pendingMigrations: z.number() }),
    handler: async (ctx) => {
      const applied = await sql<{ name: string }>`SELECT name FROM schema_migrations`
        .execute(ctx.deps.database.db)
        .then((result) => new Set(result.rows.map((row) => row.name)))
        .catch(() => null);
      const pending = applied ? listMigrations().filter((name) => !applied.has(name)).length : listMigrations().length;
      const ready = applied !== null && pending === 0;
      ctx.reply.status(ready ? 200 : 503);
      return { status: ready ? ('ready' as const) : ('not_ready' as const), pendingMigrations: pending };
    },
  }),
];

/** Every API route, in one list: registered here, described in OpenAPI, walked by the access tests. */
export const apiRoutes: AnyRoute[] = [
  ...healthRoutes,
  ...authRoutes,
  ...organisationRoutes,
  ...auditRoutes,
  ...familyRoutes,
  ...signalRoutes,
  ...guideRoutes,
  ...knowledgeRoutes,
  ...taskRoutes,
  ...interventionRoutes,
  ...referralRoutes,
  ...planRoutes,
  ...dataRequestRoutes,
  ...contentRoutes,
  ...portalRoutes,
  ...consultationRoutes,
  ...meldcodeRoutes,
  ...overrideRoutes,
  ...safetyRoutes,
  ...invitationRoutes,
  ...figureRoutes,
  ...fhirRoutes,
];

/** Build the HTTP app: security headers, cookies, the API, the web app, one error handler. */
export async function buildApp(
  deps: AppDeps,
  options: { logger?: boolean; logStream?: NodeJS.WritableStream } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: deps.config.trustProxy,
    genReqId: () => crypto.randomUUID(),
    logger:
      options.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            ...(options.logStream ? { stream: options.logStream } : {}),
            // Never a query string, a body or a header: ids only, no personal data in logs.
            serializers: {
              req: (req) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
              res: (res) => ({ statusCode: res.statusCode }),
            },
          },
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: deps.config.cookieSecure ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  // Answers of the API and FHIR may carry health data: no browser or proxy may keep a copy.
  app.addHook('onSend', async (request, reply) => {
    if ((request.url.startsWith('/api/') || request.url.startsWith('/fhir')) && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
  });

  // FHIR clients get R4 JSON or, asking for anything else, a 406 (as an OperationOutcome).
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/fhir')) return;
    const format = new URLSearchParams(request.url.split('?')[1] ?? '').get('_format') ?? undefined;
    const reason = notAcceptable(request.headers.accept, format);
    if (reason) throw new AppError('NOT_ACCEPTABLE', reason);
  });

  // A body that is not JSON (or a FHIR search form) is refused before any route sees it.
  app.removeAllContentTypeParsers();
  // JSON (FHIR's own JSON type too), and a form for FHIR's POST [type]/_search.
  app.addContentTypeParser(
    ['application/json', 'application/fhir+json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      if (body === '') return done(null, undefined);
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new AppError('MALFORMED_JSON', 'The body is not valid JSON.'), undefined);
      }
    },
  );
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (!request.url.startsWith('/fhir/')) {
      return done(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.'), undefined);
    }
    const form: Record<string, string | string[]> = {};
    for (const [name, value] of new URLSearchParams(body as string)) {
      const before = form[name];
      form[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
    }
    done(null, form);
  });
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.'), undefined);
  });

  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    const appError = toAppError(error);
    const ctx = request.kringContext;
    if (appError.refusal && ctx?.actor) {
      // The refused work rolled back; its audit record gets a transaction of its own.
      await ctx.auditAlone({ ...appError.refusal, outcome: 'refused' });
    }
    if (appError.code === 'INTERNAL') {
      request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'unexpected error');
    }
    if (request.url.startsWith('/fhir')) {
      // FHIR's own error shape; an unexpected error still says only that it was ours. A 401 says
      // how to authenticate, a 405 what is allowed.
      if (appError.status === 401) reply.header('www-authenticate', 'Bearer realm="Kring FHIR"');
      if (appError.status === 405) {
        const allow = (appError.data?.allow as string[] | undefined) ?? allowedMethods(request.url);
        reply.header('allow', allow.join(', '));
      }
      return reply
        .status(appError.status)
        .header('content-type', FHIR_CONTENT_TYPE)
        .send(
          operationOutcome(
            appError.status,
            appError.code === 'INTERNAL' ? `Something went wrong on our side (${request.id}).` : appError.message,
            appError.fields ?? [],
          ),
        );
    }
    reply.status(appError.status).send({
      status: appError.status,
      code: appError.code,
      message: appError.code === 'INTERNAL' ? 'Something went wrong on our side.' : appError.message,
      fields: appError.fields ?? [],
      ...(appError.code === 'INTERNAL' ? { correlationId: request.id } : {}),
      ...(appError.data ?? {}),
    });
  });

  if (deps.config.extraGuidesDir) loadExtraGuides(deps.config.extraGuidesDir);
  await syncCatalogue(deps.database.db);
  await refreshContent(deps.database.db);
  registerMetrics(app, deps);
  for (const route of apiRoutes) registerRoute(app, deps, route);
  const openApi = buildOpenApi(apiRoutes);
  app.get('/api/openapi.json', async () => openApi);

  const webDist = deps.config.webDist;
  const hasWeb = webDist !== undefined && fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const pathOnly = request.url.split('?')[0] ?? '';
    if (hasWeb && request.method === 'GET' && !pathOnly.startsWith('/api/') && !pathOnly.startsWith('/fhir')) {
      // The web app's own routes: every page is index.html; the client router takes it from there.
      return reply.sendFile('index.html');
    }
    const known = apiRoutes.some((route) => matches(route.url, pathOnly));
    const error = known
      ? new AppError('METHOD_NOT_ALLOWED', 'This method is not used on this route.')
      : new AppError('ROUTE_NOT_FOUND', 'No such route.');
    if (pathOnly.startsWith('/fhir')) {
      const message = known
        ? error.message
        : 'This server has no such resource type or operation (see /fhir/metadata).';
      if (known) reply.header('allow', allowedMethods(pathOnly).join(', '));
      return reply
        .status(error.status)
        .header('content-type', FHIR_CONTENT_TYPE)
        .send(operationOutcome(error.status, message));
    }
    return reply
      .status(error.status)
      .send({ status: error.status, code: error.code, message: error.message, fields: [] });
  });
  return app;
}

/** The methods of the routes a path matches (for `Allow`). */
function allowedMethods(url: string): string[] {
  const pathOnly = url.split('?')[0] ?? '';
  return [...new Set(apiRoutes.filter((route) => matches(route.url, pathOnly)).map((route) => route.method))];
}

function matches(pattern: string, url: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/:[a-zA-Z]+/g, '[^/]+')}$`);
  return regex.test(url);
}

/** Map anything thrown to the closed list of codes; what we did not expect is INTERNAL. */
function toAppError(error: FastifyError | AppError): AppError {
  if (error instanceof AppError) return error;
  const byFastifyCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_JSON',
  };
  const code = byFastifyCode[error.code];
  if (code) return new AppError(code, code === 'PAYLOAD_TOO_LARGE' ? 'The body is too large.' : 'Invalid body.');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', 'Invalid request.');
  }
  return new AppError('INTERNAL', 'Internal error.');
}

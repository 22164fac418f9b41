import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './context.ts';

/** Latency buckets in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

/**
 * Prometheus metrics for the IT department: requests and their latency per route template (never
 * a concrete URL, so no id or query), and the mail queue's depth. Served at GET /metrics only with
 * `Authorization: Bearer <KRING_METRICS_TOKEN>`; without a token configured there is no endpoint.
 */
export function registerMetrics(app: FastifyInstance, deps: AppDeps): void {
  const series = new Map<string, Series>();
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const key = `method="${request.method}",route="${route}",status="${Math.floor(reply.statusCode / 100)}xx"`;
    let entry = series.get(key);
    if (!entry) {
      entry = { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      series.set(key, entry);
    }
    const seconds = reply.elapsedTime / 1000;
    entry.count++;
    entry.sum += seconds;
    BUCKETS.forEach((le, i) => {
      if (seconds <= le && entry) entry.buckets[i] = (entry.buckets[i] ?? 0) + 1;
    });
  });
  const token = deps.config.metricsToken;
  if (!token) return;
  app.get('/metrics', async (request, reply) => {
    if (request.headers.authorization !== `Bearer ${token}`) {
      return reply
        .status(401)
        .send({ status: 401, code: 'UNAUTHENTICATED', message: 'Metrics need the token.', fields: [] });
    }
    const queued = await deps.database.db
      .selectFrom('mail_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ['queued', 'failed'])
      .executeTakeFirstOrThrow();
    const lines = [
      '# HELP kring_http_requests_total Requests by route template and status class.',
      '# TYPE kring_http_requests_total counter',
      ...[...series].map(([labels, s]) => `kring_http_requests_total{${labels}} ${s.count}`),
      '# HELP kring_http_request_duration_seconds Request latency by route template.',
      '# TYPE kring_http_request_duration_seconds histogram',
      ...[...series].flatMap(([labels, s]) => [
        ...BUCKETS.map((le, i) => `kring_http_request_duration_seconds_bucket{${labels},le="${le}"} ${s.buckets[i]}`),
        `kring_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${s.count}`,
        `kring_http_request_duration_seconds_sum{${labels}} ${s.sum.toFixed(6)}`,
        `kring_http_request_duration_seconds_count{${labels}} ${s.count}`,
      ]),
      '# HELP kring_mail_queue Mails waiting to be sent (queued or to retry).',
      '# TYPE kring_mail_queue gauge',
      `kring_mail_queue ${Number(queued.n)}`,
    ];
    reply.header('content-type', 'text/plain; version=0.0.4').header('cache-control', 'no-store');
    return `${lines.join('\n')}\n`;
  });
}

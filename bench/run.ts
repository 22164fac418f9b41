import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import autocannon from 'autocannon';

/**
 * npm run bench: load each operation for a few seconds against a Kring process on a synthetic region
 * (PGlite always; PostgreSQL when DATABASE_URL is set) and compare it, in the same run, with a bare
 * Fastify route and a bare primary-key select on the same database. Prints a table and writes
 * bench/results.json. Never part of npm test.
 */
const DURATION = Number(process.env.KRING_BENCH_SECONDS ?? '8');

interface Ready {
  kringUrl: string;
  baselineUrl: string;
  professionals: { email: string; organisationId: string; familyId: string; personId: string; searchFor: string }[];
  inboxProfessionals: { email: string; organisationId: string }[];
  analyst: string;
  figuresRefresh: { families: number; cellRows: number; stockRows: number; durationMs: number };
  password: string;
  accounts: number;
}

interface Row {
  engine: string;
  families: number;
  operation: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  ratioToBare?: number;
  ratioToSelect?: number;
}

async function startServer(engine: string, families: number): Promise<{ child: ChildProcess; ready: Ready }> {
  // KRING_BENCH_PROFILE=dir writes a V8 CPU profile of the server under load (open it in Chrome DevTools).
  const profile = process.env.KRING_BENCH_PROFILE;
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn('node', [...nodeArgs, '--import', 'tsx', 'bench/server.ts', engine, String(families)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('{')) {
      const parsed = JSON.parse(line) as Ready & { ready?: boolean };
      if (parsed.ready) return { child, ready: parsed };
    }
  }
  throw new Error('bench server exited before it was ready');
}

async function load(options: autocannon.Options) {
  const result = await autocannon({ duration: DURATION, ...options });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

async function benchEngine(engine: 'pglite' | 'postgresql', families: number): Promise<Row[]> {
  console.log(`\n${engine}: seeding ${families} synthetic families…`);
  const { child, ready } = await startServer(engine, families);
  try {
    // 32 professionals of different organisations, each with their own session, as in real use.
    const sessions: {
      cookie: string;
      organisationId: string;
      familyId: string;
      personId: string;
      searchFor: string;
      csrf: string;
    }[] = [];
    for (const professional of ready.professionals) {
      const login = await fetch(`${ready.kringUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: professional.email, password: ready.password }),
      });
      const body = (await login.json()) as { csrfToken: string };
      sessions.push({
        cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
        organisationId: professional.organisationId,
        familyId: professional.familyId,
        personId: professional.personId,
        searchFor: professional.searchFor,
        csrf: body.csrfToken,
      });
    }
    // The receiving wijkteam's staff, each with their own session, open its inbox.
    const inboxCookies: string[] = [];
    for (const professional of ready.inboxProfessionals) {
      const login = await fetch(`${ready.kringUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: professional.email, password: ready.password }),
      });
      inboxCookies.push((login.headers.get('set-cookie') ?? '').split(';')[0] ?? '');
    }
    const inboxOrganisationId = ready.inboxProfessionals[0]?.organisationId ?? '';
    const analystLogin = await fetch(`${ready.kringUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ready.analyst, password: ready.password }),
    });
    const analystCookie = (analystLogin.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const refresh = ready.figuresRefresh;
    console.log(
      `  figures refresh (background job)    ${(refresh.durationMs / 1000).toFixed(1)} s for ${refresh.families} families: ${refresh.cellRows} event counts, ${refresh.stockRows} family counts`,
    );
    let turn = 0;
    type Session = (typeof sessions)[number];
    const asSomeone = (
      path: (session: Session) => string,
      body?: (session: Session) => string,
    ): autocannon.Options['requests'] => [
      {
        setupRequest: (request) => {
          const session = sessions[turn++ % sessions.length] as Session;
          return {
            ...request,
            path: path(session),
            headers: {
              ...request.headers,
              cookie: session.cookie,
              ...(body ? { 'content-type': 'application/json', 'x-csrf-token': session.csrf } : {}),
            },
            ...(body ? { method: 'POST' as const, body: body(session) } : {}),
          };
        },
      },
    ];
    const rows: Row[] = [];
    const only = process.env.KRING_BENCH_ONLY ? new RegExp(process.env.KRING_BENCH_ONLY, 'i') : null;
    const measure = async (operation: string, connections: number, options: autocannon.Options) => {
      if (only && rows.length >= 2 && !only.test(operation)) return;
      const result = await load({ connections, ...options });
      rows.push({ engine, families, operation, connections, ...result });
      console.log(
        `  ${operation.padEnd(34)} ${String(result.requestsPerSecond).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms`,
      );
    };
    await measure('bare Fastify route', 32, { url: `${ready.baselineUrl}/bare` });
    await measure('bare primary-key select', 32, { url: `${ready.baselineUrl}/select` });
    await measure('GET /api/me', 32, { url: ready.kringUrl, requests: asSomeone(() => '/api/me') });
    await measure('audited read (organisation members)', 32, {
      url: ready.kringUrl,
      requests: asSomeone((session) => `/api/organisations/${session.organisationId}/members`),
    });
    await measure('open a family record (audited)', 32, {
      url: ready.kringUrl,
      requests: asSomeone((session) => `/api/families/${session.familyId}`),
    });
    await measure('the picture (signals, audited)', 32, {
      url: ready.kringUrl,
      requests: asSomeone((session) => `/api/families/${session.familyId}/picture`),
    });
    await measure('open a 30-question guide (already asked?)', 32, {
      url: ready.kringUrl,
      requests: asSomeone(
        (session) => `/api/families/${session.familyId}/guides/bench_30?personId=${session.personId}`,
      ),
    });
    await measure('answer a 30-question guide (POST)', 32, {
      url: ready.kringUrl,
      requests: asSomeone(
        (session) => `/api/families/${session.familyId}/guide-responses`,
        (session) =>
          JSON.stringify({
            guideKey: 'bench_30',
            concernsPersonId: session.personId,
            answers: Array.from({ length: 30 }, (_, i) => ({ code: `bench.q${i + 1}`, value: `Antwoord ${i + 1}` })),
          }),
      ),
    });
    await measure('catalogue search for a family (audited)', 32, {
      url: ready.kringUrl,
      requests: asSomeone((session) => `/api/families/${session.familyId}/interventions`),
    });
    let inboxTurn = 0;
    await measure('referral inbox (2,000 open, audited)', 32, {
      url: ready.kringUrl,
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            path: '/api/referrals/inbox',
            headers: { ...request.headers, cookie: inboxCookies[inboxTurn++ % inboxCookies.length] ?? '' },
          }),
        },
      ],
    });
    await measure('send a referral (POST)', 32, {
      url: ready.kringUrl,
      requests: asSomeone(
        (session) => `/api/families/${session.familyId}/referrals`,
        () =>
          JSON.stringify({
            idempotencyKey: crypto.randomUUID(),
            toOrganisationId: inboxOrganisationId,
            interventionKey: 'debt_support',
            reason: 'Benchmark: hulp bij geldzaken gevraagd door de ouders.',
            urgency: 'routine',
            sharedCategories: ['social'],
            consentGivenHow: 'verbal',
          }),
      ),
    });
    // The first load of a question after a refresh computes it; later loads of the same question
    // (the load below) are answered from the counts kept until the next refresh.
    for (const [label, path] of [
      ['12 months', '/api/figures'],
      ['filtered, by quarter', '/api/figures?granularity=quarter&phase=months_0_6&organisationType=jgz'],
    ]) {
      const started = performance.now();
      const response = await fetch(`${ready.kringUrl}${path}`, { headers: { cookie: analystCookie } });
      await response.arrayBuffer();
      const ms = Math.round(performance.now() - started);
      console.log(`  municipality's dashboard, first load (${label}): ${ms} ms`);
      rows.push({
        engine,
        families,
        operation: `municipality's dashboard, first load after a refresh (${label})`,
        connections: 1,
        requestsPerSecond: 0,
        p50: ms,
        p99: ms,
        errors: response.ok ? 0 : 1,
      });
    }
    await measure("municipality's dashboard, 12 months (analyst)", 8, {
      url: `${ready.kringUrl}/api/figures`,
      headers: { cookie: analystCookie },
    });
    await measure("municipality's dashboard, filtered, by quarter", 8, {
      url: `${ready.kringUrl}/api/figures?granularity=quarter&phase=months_0_6&organisationType=jgz`,
      headers: { cookie: analystCookie },
    });
    await measure('FHIR: read a Patient by id (audited)', 20, {
      url: ready.kringUrl,
      requests: asSomeone((session) => `/fhir/Patient/${session.personId}`),
    });
    await measure('FHIR: Patient?name= in own families (audited)', 20, {
      url: ready.kringUrl,
      requests: asSomeone((session) => `/fhir/Patient?name=${encodeURIComponent(session.searchFor)}`),
    });
    await measure('caseload (~300 families)', 32, { url: ready.kringUrl, requests: asSomeone(() => '/api/caseload') });
    await measure('family search (POST)', 8, {
      url: ready.kringUrl,
      requests: asSomeone(
        () => '/api/families/search',
        (session) => JSON.stringify({ query: session.searchFor }),
      ),
    });
    await measure('POST /api/auth/login (argon2id)', 8, {
      url: `${ready.kringUrl}/api/auth/login`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ready.professionals[0]?.email, password: ready.password }),
    });
    const bare = rows[0]?.requestsPerSecond ?? 1;
    const select = rows[1]?.requestsPerSecond ?? 1;
    for (const row of rows) {
      row.ratioToBare = Math.round((row.requestsPerSecond / bare) * 100) / 100;
      row.ratioToSelect = Math.round((row.requestsPerSecond / select) * 100) / 100;
    }
    rows.push({
      engine,
      families,
      operation: `figures refresh: ${refresh.durationMs} ms (${refresh.cellRows} event counts, ${refresh.stockRows} family counts)`,
      connections: 1,
      requestsPerSecond: 0,
      p50: refresh.durationMs,
      p99: refresh.durationMs,
      errors: 0,
    });
    return rows;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const engines = (process.env.KRING_BENCH_ENGINES ?? 'pglite,postgresql').split(',');
const rows: Row[] = [];
if (engines.includes('pglite')) {
  rows.push(...(await benchEngine('pglite', Number(process.env.KRING_BENCH_PGLITE_FAMILIES ?? '10000'))));
}
if (!engines.includes('postgresql')) {
  // PostgreSQL not asked for.
} else if (process.env.DATABASE_URL) {
  rows.push(...(await benchEngine('postgresql', Number(process.env.KRING_BENCH_PG_FAMILIES ?? '100000'))));
} else {
  console.log('\nPostgreSQL: skipped — set DATABASE_URL=postgres://… to benchmark it too.');
}

console.log('\n| engine | families | operation | conns | req/s | p50 ms | p99 ms | errors | × bare | × pk-select |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.engine} | ${r.families} | ${r.operation} | ${r.connections} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.ratioToBare} | ${r.ratioToSelect} |`,
  );
}
fs.writeFileSync(
  'bench/results.json',
  `${JSON.stringify({ at: new Date().toISOString(), durationSeconds: DURATION, rows }, null, 2)}\n`,
);
console.log('\nWritten to bench/results.json');

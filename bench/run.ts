import { type ChildProcess, spawn } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
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
  /** Parents with their own Kring (linked to a family with signals). */
  parents: string[];
  figuresRefresh: { families: number; cellRows: number; stockRows: number; durationMs: number };
  password: string;
  accounts: number;
  publicUrl: string;
  unauditedPersonId: string;
  exporter: { clientId: string; families: number; privateKeyPem: string };
}

interface Row {
  engine: string;
  families: number;
  operation: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  /** autocannon has no p95: p97.5 bounds it from above (a "p95 under X" target holds if p97.5 does). */
  p97_5: number;
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

/**
 * Each operation first runs unmeasured for a moment, so the figures are the steady state: its
 * statements prepared on every pooled connection, its pages in PostgreSQL's buffers, its code
 * optimised by V8. Without it the first seconds of each operation were in its figures.
 */
const WARM_UP = Number(process.env.KRING_BENCH_WARMUP_SECONDS ?? '2');

async function load(options: autocannon.Options) {
  if (WARM_UP > 0) await autocannon({ ...options, duration: WARM_UP });
  const result = await autocannon({ duration: DURATION, ...options });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p97_5: result.latency.p97_5,
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
    // Parents, each with their own session, read their own Kring.
    const parentCookies: string[] = [];
    for (const email of ready.parents) {
      const login = await fetch(`${ready.kringUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: ready.password }),
      });
      parentCookies.push((login.headers.get('set-cookie') ?? '').split(';')[0] ?? '');
    }
    let parentTurn = 0;
    const asParent = (path: string): autocannon.Options['requests'] => [
      {
        setupRequest: (request) => ({
          ...request,
          path,
          headers: { ...request.headers, cookie: parentCookies[parentTurn++ % parentCookies.length] ?? '' },
        }),
      },
    ];
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
        `  ${operation.padEnd(34)} ${String(result.requestsPerSecond).padStart(6)} req/s  p50 ${result.p50} ms  p97.5 ${result.p97_5} ms  p99 ${result.p99} ms`,
      );
    };
    await measure('bare Fastify route', 32, { url: `${ready.baselineUrl}/bare` });
    await measure('bare primary-key select', 32, { url: `${ready.baselineUrl}/select` });
    await measure('bare select + its audit write', 32, { url: `${ready.baselineUrl}/select-audited` });
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
    // The parents' own Kring: every page applies the family rule (access/family-audience.ts).
    for (const [operation, path] of [
      ['portal: our journey', '/api/portal/journey'],
      ['portal: what is recorded', '/api/portal/recorded'],
      ['portal: who looked', '/api/portal/who-looked'],
      ['portal: our data (export)', '/api/portal/export'],
    ] as const) {
      await measure(operation, 32, { url: ready.kringUrl, requests: asParent(path) });
    }
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
        p97_5: ms,
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
    await measure('FHIR: read a Patient by id, without the audit write', 20, {
      url: `${ready.baselineUrl}/patient-unaudited/${ready.unauditedPersonId}`,
    });
    // The search runs on the seeded signals, before the create below adds ~4,000 to the same 32 persons.
    await measure('FHIR: Observation?subject=Patient/x&_count=20 (audited)', 20, {
      url: ready.kringUrl,
      requests: asSomeone((session) => `/fhir/Observation?subject=Patient/${session.personId}&_count=20`),
    });
    await measure('FHIR: create an Observation (a signal, audited)', 20, {
      url: ready.kringUrl,
      requests: asSomeone(
        () => '/fhir/Observation',
        (session) =>
          JSON.stringify({
            resourceType: 'Observation',
            status: 'final',
            code: { coding: [{ system: 'urn:kring:signal-code', code: 'supportive_network' }] },
            subject: { reference: `Patient/${session.personId}` },
            method: { coding: [{ system: 'urn:kring:signal-source', code: 'told_by_parent' }] },
            note: [{ text: 'Benchmark' }],
          }),
      ),
    });
    await measure('FHIR: Patient?name= in own families (audited)', 20, {
      url: ready.kringUrl,
      requests: asSomeone((session) => `/fhir/Patient?name=${encodeURIComponent(session.searchFor)}`),
    });
    if (!only || only.test('FHIR bulk export')) rows.push(await bulkExport(engine, families, ready));
    await measure('caseload, first page (50 of ~300 families)', 32, {
      url: ready.kringUrl,
      requests: asSomeone(() => '/api/caseload'),
    });
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
      p97_5: refresh.durationMs,
      p99: refresh.durationMs,
      errors: 0,
    });
    return rows;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/**
 * A bulk export by an organisation's system (SMART backend services): token, kick-off, status
 * polled until done, every file downloaded; resources per second over the whole round.
 */
async function bulkExport(engine: 'pglite' | 'postgresql', families: number, ready: Ready): Promise<Row> {
  const { clientId, privateKeyPem } = ready.exporter;
  const audience = `${ready.publicUrl}/fhir/auth/token`;
  const now = Math.floor(Date.now() / 1000);
  const head = Buffer.from(JSON.stringify({ alg: 'ES384', typ: 'JWT', kid: 'bench' })).toString('base64url');
  const claims = { iss: clientId, sub: clientId, aud: audience, exp: now + 240, jti: crypto.randomUUID() };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign('sha384', Buffer.from(`${head}.${body}`), {
    key: createPrivateKey(privateKeyPem),
    dsaEncoding: 'ieee-p1363',
  }).toString('base64url');
  const tokenResponse = await fetch(`${ready.kringUrl}/fhir/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: `${head}.${body}.${signature}`,
      scope: 'system/*.read',
    }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const authorization = { authorization: `Bearer ${token}` };
  const started = performance.now();
  const kickOff = await fetch(`${ready.kringUrl}/fhir/$export`, {
    headers: { ...authorization, prefer: 'respond-async' },
  });
  const status = new URL(kickOff.headers.get('content-location') ?? '').pathname;
  let manifest: { output: { url: string; count: number }[] } | null = null;
  while (!manifest) {
    const polled = await fetch(`${ready.kringUrl}${status}`, { headers: authorization });
    if (polled.status === 200) manifest = (await polled.json()) as { output: { url: string; count: number }[] };
    else if (polled.status === 202) await new Promise((resolve) => setTimeout(resolve, 50));
    else throw new Error(`export status ${polled.status}`);
  }
  const jobMs = Math.round(performance.now() - started);
  let resources = 0;
  let bytes = 0;
  for (const file of manifest.output) {
    const response = await fetch(`${ready.kringUrl}${new URL(file.url).pathname}`, { headers: authorization });
    bytes += (await response.arrayBuffer()).byteLength;
    resources += file.count;
  }
  const ms = Math.round(performance.now() - started);
  const perSecond = Math.round((resources / ms) * 1000);
  console.log(
    `  FHIR bulk export: ${resources} resources of ${ready.exporter.families} families (${(bytes / 1e6).toFixed(0)} MB) in ${(ms / 1000).toFixed(1)} s (job ${jobMs} ms, polled every 50 ms; downloads ${ms - jobMs} ms) = ${perSecond} resources/s`,
  );
  return {
    engine,
    families,
    operation: `FHIR bulk export: ${resources} resources of ${ready.exporter.families} families, ${ms} ms (resources/s in req/s)`,
    connections: 1,
    requestsPerSecond: perSecond,
    p50: ms,
    p97_5: ms,
    p99: ms,
    errors: 0,
  };
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

console.log(
  '\n| engine | families | operation | conns | req/s | p50 ms | p97.5 ms | p99 ms | errors | × bare | × pk-select |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.engine} | ${r.families} | ${r.operation} | ${r.connections} | ${r.requestsPerSecond} | ${r.p50} | ${r.p97_5} | ${r.p99} | ${r.errors} | ${r.ratioToBare} | ${r.ratioToSelect} |`,
  );
}
fs.writeFileSync(
  'bench/results.json',
  `${JSON.stringify({ at: new Date().toISOString(), durationSeconds: DURATION, rows }, null, 2)}\n`,
);
console.log('\nWritten to bench/results.json');

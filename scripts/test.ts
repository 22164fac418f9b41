import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm test`: the server suite on PGlite (always), the same suite on PostgreSQL when
 * KRING_TEST_DATABASE_URL names a server it may create databases on, and the browser tests when
 * Chromium is installed. Says which it skipped and how to enable them; KRING_TEST_REQUIRE_ALL=1
 * (set by .ci/run) turns a skipped suite into a failure. Extra arguments go to vitest.
 */
const extraArgs = process.argv.slice(2);
const outDir = path.resolve('.test-tmp');
fs.mkdirSync(outDir, { recursive: true });

const chromium = process.env.KRING_CHROMIUM_PATH ?? '/usr/bin/chromium';
const suites = [
  { name: 'server on PGlite', config: 'vitest.config.ts', env: { KRING_TEST_DB: 'pglite' }, skip: undefined },
  {
    name: 'server on PostgreSQL',
    config: 'vitest.config.ts',
    env: { KRING_TEST_DB: 'postgresql' },
    skip: process.env.KRING_TEST_DATABASE_URL
      ? undefined
      : 'set KRING_TEST_DATABASE_URL=postgres://user@host:5432/postgres (a server where it may create databases)',
  },
  {
    name: 'browser',
    config: 'vitest.browser.config.ts',
    env: { KRING_CHROMIUM_PATH: chromium },
    skip: fs.existsSync(chromium)
      ? undefined
      : `install Debian's Chromium (apt-get install -y chromium) or set KRING_CHROMIUM_PATH`,
  },
];

let passed = 0;
let failed = 0;
let suiteFailed = false;
const skipped: string[] = [];

for (const suite of suites) {
  if (suite.skip) {
    skipped.push(`${suite.name}: skipped — to enable, ${suite.skip}`);
    continue;
  }
  if (suite.name === 'browser') {
    const build = spawnSync('vite', ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      stdio: 'inherit',
    });
    if (build.status !== 0) {
      console.error('The web app did not build; browser tests not run.');
      suiteFailed = true;
      continue;
    }
  }
  console.log(`\n=== ${suite.name} ===`);
  const report = path.join(outDir, `${suite.name.replace(/\W+/g, '-')}.json`);
  fs.rmSync(report, { force: true });
  const run = spawnSync(
    'vitest',
    [
      'run',
      '--config',
      suite.config,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...extraArgs,
    ],
    { stdio: 'inherit', env: { ...process.env, ...suite.env } },
  );
  if (fs.existsSync(report)) {
    const result = JSON.parse(fs.readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    passed += result.numPassedTests;
    failed += result.numFailedTests;
  }
  if (run.status !== 0) suiteFailed = true;
}

console.log('');
for (const line of skipped) console.log(line);
const requireAll = process.env.KRING_TEST_REQUIRE_ALL === '1';
if (requireAll && skipped.length) console.log('KRING_TEST_REQUIRE_ALL=1: a skipped suite fails the run.');
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(suiteFailed || failed > 0 || (requireAll && skipped.length > 0) ? 1 : 0);

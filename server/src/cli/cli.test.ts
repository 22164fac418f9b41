import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const onPGlite = inject('engine') === 'pglite';

function runScript(script: string, env: Record<string, string>) {
  return spawnSync('tsx', [`server/src/cli/${script}.ts`], {
    env: { ...process.env, ...env, DATABASE_URL: '' },
    encoding: 'utf8',
  });
}

describe.runIf(onPGlite)('commands beside a running server (embedded database)', () => {
  it('refuse with one clear line while Kring holds the data folder', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-cli-'));
    // Our own (live) parent process stands in for a running Kring holding the folder.
    fs.writeFileSync(path.join(dataDir, 'kring.lock'), String(process.pid));
    for (const script of ['audit-verify', 'migrate', 'demo-reset']) {
      const result = runScript(script, { KRING_DATA_DIR: dataDir });
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toMatch(
        /^The embedded database in .* is in use by a running Kring .*stop it first\.$/,
      );
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrate and verify a stopped installation', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-cli-'));
    const migrated = runScript('migrate', { KRING_DATA_DIR: dataDir });
    expect(migrated.stdout).toContain('Applied: 001-foundation.sql');
    const verified = runScript('audit-verify', { KRING_DATA_DIR: dataDir });
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain('Audit trail intact');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops on a bad setting with one line naming it', () => {
    const result = runScript('migrate', { KRING_MODE: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Missing setting DATABASE_URL: production mode runs on a PostgreSQL server');
  });
});

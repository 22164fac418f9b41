import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const onPGlite = inject('engine') === 'pglite';

function runScript(script: string, env: Record<string, string>, args: string[] = []) {
  return spawnSync('tsx', [`server/src/cli/${script}.ts`, ...args], {
    env: { ...process.env, ...env, DATABASE_URL: '' },
    encoding: 'utf8',
  });
}

// Each command is a process of its own that opens the embedded database: seconds each.
describe.runIf(onPGlite)('commands beside a running server (embedded database)', { timeout: 120_000 }, () => {
  it('refuse with one clear line while Kring holds the data folder', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-cli-'));
    // Our own (live) parent process stands in for a running Kring holding the folder.
    fs.writeFileSync(path.join(dataDir, 'kring.lock'), String(process.pid));
    for (const script of ['audit-verify', 'migrate', 'demo-reset', 'backup']) {
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
    const signed = runScript('audit-checkpoint', { KRING_DATA_DIR: dataDir });
    expect(signed.stdout).toMatch(
      /^Signed audit checkpoint [0-9a-f-]{36} over \d+ chains into .*audit-checkpoints\.$/m,
    );
    const verified = runScript('audit-verify', { KRING_DATA_DIR: dataDir });
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain('Audit trail intact');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('back up a stopped installation to a file and restore it into a new folder', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-cli-'));
    const newDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-cli-'));
    const file = path.join(os.tmpdir(), `kring-cli-${process.pid}.jsonl.gz`);
    runScript('migrate', { KRING_DATA_DIR: dataDir });
    const created = runScript('admin-create', { KRING_DATA_DIR: dataDir }, ['--email', 'b@example.nl', '--name', 'B']);
    expect(created.status).toBe(0);
    const backup = runScript('backup', { KRING_DATA_DIR: dataDir }, ['--file', file]);
    expect(backup.stdout).toMatch(/^Backup written to .*: \d+ tables, \d+ rows\.$/m);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const restored = runScript('restore', { KRING_DATA_DIR: newDir }, ['--file', file]);
    expect(restored.stdout).toContain('Restored the backup of');
    expect(restored.stdout).toMatch(/Signed a new audit checkpoint over \d+ chains/);
    // Once more refuses: the folder now holds Kring, and --replace was not given.
    const again = runScript('restore', { KRING_DATA_DIR: newDir }, ['--file', file]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('--replace');
    const notABackup = runScript('restore', { KRING_DATA_DIR: newDir }, ['--file', __filename, '--replace']);
    expect(notABackup.stderr.trim()).toBe('This file is not a Kring backup.');
    expect(runScript('audit-verify', { KRING_DATA_DIR: newDir }).stdout).toContain('Audit trail intact');
    for (const dir of [dataDir, newDir]) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
  });

  it('let an IT department script the administration as a named administrator, through the API', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-cli-'));
    const env = { KRING_DATA_DIR: dataDir };
    runScript('admin-create', env, ['--email', 'beheer@example.nl', '--name', 'Beheer']);
    const admin = (...args: string[]) => runScript('admin', env, ['--as', 'beheer@example.nl', ...args]);
    const added = admin('organisation:add', '--name', 'JGZ Zee', '--type', 'jgz', '--identifier', 'AGB 123');
    expect(added.stdout).toMatch(/^Organisation added: [0-9a-f-]{36}$/m);
    expect(admin('organisations').stdout).toMatch(/\tjgz\tJGZ Zee\tAGB 123\t0 people/);
    expect(
      admin(
        'invite',
        '--email',
        'nina@zee.example',
        '--name',
        'Nina',
        '--organisation',
        'JGZ Zee',
        '--discipline',
        'jeugdarts',
      ).stdout,
    ).toContain('Invitation sent to nina@zee.example.');
    expect(admin('role', '--email', 'nina@zee.example', '--discipline', 'jeugdverpleegkundige').status).toBe(0);
    // Bad input: the API's answer, with the option at fault, and exit 1.
    const wrong = admin('organisation:add', '--name', 'X', '--type', 'bakkerij');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('--type');
    const notAdmin = runScript('admin', env, ['--as', 'nina@zee.example', 'organisations']);
    expect(notAdmin.stderr.trim()).toBe('No active administrator with the address nina@zee.example.');
    expect(admin('offboard', '--email', 'nina@zee.example').stdout).toContain('nina@zee.example offboarded');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops on a bad setting with one line naming it', () => {
    const result = runScript('migrate', { KRING_MODE: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Missing setting DATABASE_URL: production mode runs on a PostgreSQL server');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testSigningKeyFile } from '../test/helpers.ts';
import { loadConfig } from './config.ts';

const productionBase = {
  KRING_AUDIT_SIGNING_KEY: testSigningKeyFile(),
  KRING_MODE: 'production',
  DATABASE_URL: 'postgres://kring@db.example/kring',
  KRING_SESSION_SECRET: 'x'.repeat(40),
  KRING_PUBLIC_URL: 'https://kring.example.nl',
};

describe('configuration', () => {
  it('defaults to demo mode on the embedded database in ./data', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('demo');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/data$/);
    expect(config.port).toBe(3000);
    expect(config.requireTwoFactor).toBe(false);
  });

  it('closes the demo: this machine only, a random secret of its own kept in the data folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-config-'));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-config-'));
    try {
      const first = loadConfig({ KRING_DATA_DIR: dir });
      expect(first.host).toBe('127.0.0.1');
      expect(first.sessionSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(fs.statSync(path.join(dir, 'session-secret')).mode & 0o077).toBe(0);
      // The same secret at the next start (sessions survive), another one in another demo.
      expect(loadConfig({ KRING_DATA_DIR: dir }).sessionSecret).toBe(first.sessionSecret);
      expect(loadConfig({ KRING_DATA_DIR: other }).sessionSecret).not.toBe(first.sessionSecret);
      expect(loadConfig({ KRING_DATA_DIR: dir, KRING_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
      expect(loadConfig(productionBase).host).toBe('0.0.0.0');
      // The audit signing key too: Ed25519, made once, private to the data folder.
      expect(first.auditSigningKey.asymmetricKeyType).toBe('ed25519');
      expect(fs.statSync(path.join(dir, 'audit-signing-key.pem')).mode & 0o077).toBe(0);
      expect(first.auditCheckpointDir).toBe(path.join(dir, 'audit-checkpoints'));
      const again = loadConfig({ KRING_DATA_DIR: dir }).auditSigningKey.export({ type: 'pkcs8', format: 'der' });
      expect(again.equals(first.auditSigningKey.export({ type: 'pkcs8', format: 'der' }))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses a database server without KRING_MODE said: real data never runs in demo mode by default', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://kring@db.example/kring' })).toThrow('KRING_MODE');
    expect(loadConfig({ DATABASE_URL: 'postgres://kring@db.example/kring', KRING_MODE: 'demo' }).mode).toBe('demo');
  });

  it('starts in production mode with a complete, secure configuration', () => {
    const config = loadConfig(productionBase);
    expect(config.cookieSecure).toBe(true);
    expect(config.requireTwoFactor).toBe(true);
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: undefined }],
    ['KRING_SESSION_SECRET', { KRING_SESSION_SECRET: undefined }],
    ['KRING_SESSION_SECRET', { KRING_SESSION_SECRET: 'short' }],
    ['KRING_COOKIE_SECURE', { KRING_COOKIE_SECURE: 'false' }],
    ['KRING_PUBLIC_URL', { KRING_PUBLIC_URL: 'http://kring.example.nl' }],
    ['KRING_AUDIT_SIGNING_KEY', { KRING_AUDIT_SIGNING_KEY: undefined }],
    ['KRING_AUDIT_SIGNING_KEY', { KRING_AUDIT_SIGNING_KEY: '/nonexistent/key.pem' }],
    ['KRING_AUDIT_SIGNING_KEY', { KRING_AUDIT_SIGNING_KEY: new URL(import.meta.url).pathname }],
  ])('refuses production without a proper %s', (variable, change) => {
    expect(() => loadConfig({ ...productionBase, ...change })).toThrow(variable);
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['KRING_MODE', { KRING_MODE: 'staging' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['KRING_RETENTION_YEARS', { KRING_RETENTION_YEARS: 'forever' }],
    ['KRING_RETENTION_YEARS', { KRING_RETENTION_YEARS: 'genetic=30' }],
    ['KRING_RETENTION_YEARS', { KRING_RETENTION_YEARS: '0' }],
  ])('names the variable in one line when %s is wrong', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid setting ${variable}: `));
  });

  it('keeps records 20 years by default, one period for all, or per consent category', () => {
    expect(loadConfig({}).retentionYears).toEqual({ medical: 20, psychosocial: 20, social: 20 });
    expect(loadConfig({ KRING_RETENTION_YEARS: '25' }).retentionYears).toEqual({
      medical: 25,
      psychosocial: 25,
      social: 25,
    });
    expect(loadConfig({ KRING_RETENTION_YEARS: 'social=15,psychosocial=20' }).retentionYears).toEqual({
      medical: 20,
      psychosocial: 20,
      social: 15,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const productionBase = {
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

import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Every environment variable Kring reads, parsed once at start. Documented in the README. */
const booleanish = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  KRING_MODE: z.enum(['demo', 'production']).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Where Kring listens: demo 127.0.0.1 (this machine only), production 0.0.0.0. HOST is the older name. */
  KRING_HOST: z.string().min(1).optional(),
  HOST: z.string().min(1).optional(),
  KRING_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  KRING_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  KRING_COOKIE_SECURE: booleanish.optional(),
  KRING_PUBLIC_URL: z.url().optional(),
  KRING_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  KRING_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  KRING_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  KRING_LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  KRING_TRUST_PROXY: booleanish.default(false),
  KRING_WEB_DIST: z.string().min(1).optional(),
  KRING_EXTRA_GUIDES_DIR: z.string().min(1).optional(),
  KRING_REFERRAL_ANSWER_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  KRING_BREAK_GLASS_HOURS: z.coerce.number().int().min(1).max(24).default(4),
  KRING_BREAK_GLASS_DAILY_LIMIT: z.coerce.number().int().min(1).max(100).default(3),
  KRING_FIGURES_CONSENT: z.enum(['required', 'anonymous']).default('required'),
  KRING_DEMO_BACKGROUND_FAMILIES: z.coerce.number().int().min(0).max(50000).default(3000),
  KRING_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  KRING_MAIL_FROM: z.string().min(3).default('Kring <noreply@kring.local>'),
  KRING_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  KRING_RETENTION_YEARS: z
    .string()
    .regex(
      /^(\d{1,3}|(medical|psychosocial|social)=\d{1,3}(,(medical|psychosocial|social)=\d{1,3})*)$/,
      'must be a number of years, or e.g. medical=20,psychosocial=20,social=15',
    )
    .default('20'),
  /** A file with the Ed25519 private key (PEM) that signs audit checkpoints; demo makes one in the data folder. */
  KRING_AUDIT_SIGNING_KEY: z.string().min(1).optional(),
  /** Where signed audit checkpoints are appended: outside the database (default: the data folder's audit-checkpoints). */
  KRING_AUDIT_CHECKPOINT_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  mode: 'demo' | 'production';
  port: number;
  host: string;
  /** Folder of the embedded database; unused when databaseUrl is set. */
  dataDir: string;
  databaseUrl: string | undefined;
  /** HMAC key for session and one-time tokens stored in the database. */
  sessionSecret: string;
  cookieSecure: boolean;
  publicUrl: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  trustProxy: boolean;
  /** Built web app to serve; undefined serves none (API only). */
  webDist: string | undefined;
  /** A folder of the organisation's own guide definitions (e.g. licensed instruments), loaded beside Kring's. */
  extraGuidesDir: string | undefined;
  /** Working days within which a receiving organisation answers a referral; later, it shows as late. */
  referralAnswerDays: number;
  /** How long a break-the-glass access lasts. */
  breakGlassHours: number;
  /** More break-the-glass accesses than this by one professional within 24 hours alerts the privacy officer. */
  breakGlassDailyLimit: number;
  /** Psychosocial figures count only families whose parents consented ('required'), or all ('anonymous'). */
  figuresConsent: 'required' | 'anonymous';
  /** Synthetic background families added to the demo region, so the municipality's figures show. */
  demoBackgroundFamilies: number;
  /** The SMTP server mail goes through (smtp://user:password@host:port); none: mail stays in the outbox. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Bearer token for GET /metrics; without it there is no metrics endpoint. */
  metricsToken: string | undefined;
  /** Years a closed family's entries of each category are kept after the last entry (WGBO: 20). */
  retentionYears: Record<'medical' | 'psychosocial' | 'social', number>;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Signs the hourly audit checkpoints (Ed25519); kept outside the database. */
  auditSigningKey: KeyObject;
  /** The folder of append-only files the signed checkpoints go to. */
  auditCheckpointDir: string;
  /** Professionals must sign in with a second factor. */
  requireTwoFactor: boolean;
}

/** A setting that is wrong or missing: the message names the variable, and main prints only that line. */
export class ConfigError extends Error {}

/**
 * Demo mode's secret: random, made on first start and kept in the data folder (so sessions and
 * one-time tokens survive a restart, and the CLI computes the same HMACs); never a constant in the
 * code, where anyone could read it and forge tokens. Production refuses to start without its own.
 */
function demoSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return fs.readFileSync(file, 'utf8').trim();
  }
}

/** Demo mode's audit signing key: made on first start in the data folder, like its secret. */
function demoSigningKeyFile(dataDir: string): string {
  const file = path.join(dataDir, 'audit-signing-key.pem');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return file;
}

function readSigningKey(file: string): KeyObject {
  try {
    const key = createPrivateKey(fs.readFileSync(file));
    if (key.asymmetricKeyType === 'ed25519') return key;
  } catch {
    // named below
  }
  throw new ConfigError(
    'Invalid setting KRING_AUDIT_SIGNING_KEY: not a readable file with an Ed25519 private key (PEM); make one with `openssl genpkey -algorithm ed25519`',
  );
}

/** Parse the environment; throws ConfigError with one line naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = EnvSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Invalid setting ${variable}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  const production = e.KRING_MODE === 'production';
  // A database server holds real data as a rule: demo mode on one must be asked for by name (and
  // start refuses a database that is neither empty nor a demo database, start.ts).
  if (e.DATABASE_URL && !e.KRING_MODE) {
    throw new ConfigError(
      'Missing setting KRING_MODE: with DATABASE_URL, say KRING_MODE=production (or KRING_MODE=demo for a demo database)',
    );
  }
  if (production) {
    if (!e.DATABASE_URL)
      throw new ConfigError('Missing setting DATABASE_URL: production mode runs on a PostgreSQL server');
    if (!e.KRING_SESSION_SECRET)
      throw new ConfigError('Missing setting KRING_SESSION_SECRET: production mode needs a secret of 32+ characters');
    if (e.KRING_COOKIE_SECURE === false)
      throw new ConfigError('Invalid setting KRING_COOKIE_SECURE: production mode requires secure cookies');
    if (!e.KRING_PUBLIC_URL?.startsWith('https://'))
      throw new ConfigError('Missing setting KRING_PUBLIC_URL: production mode needs the https:// address users open');
    if (!e.KRING_AUDIT_SIGNING_KEY)
      throw new ConfigError(
        'Missing setting KRING_AUDIT_SIGNING_KEY: production mode signs audit checkpoints with a key file of its own',
      );
  }
  const dataDir = path.resolve(e.KRING_DATA_DIR);
  return {
    mode: production ? 'production' : 'demo',
    port: e.PORT,
    host: e.KRING_HOST ?? e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    dataDir,
    databaseUrl: e.DATABASE_URL,
    sessionSecret: e.KRING_SESSION_SECRET ?? demoSecret(dataDir),
    cookieSecure: production ? true : (e.KRING_COOKIE_SECURE ?? false),
    publicUrl: (e.KRING_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    sessionIdleMinutes: e.KRING_SESSION_IDLE_MINUTES,
    sessionMaxHours: e.KRING_SESSION_MAX_HOURS,
    loginMaxFailures: e.KRING_LOGIN_MAX_FAILURES,
    loginLockMinutes: e.KRING_LOGIN_LOCK_MINUTES,
    trustProxy: e.KRING_TRUST_PROXY,
    webDist: e.KRING_WEB_DIST ? path.resolve(e.KRING_WEB_DIST) : path.resolve('web/dist'),
    extraGuidesDir: e.KRING_EXTRA_GUIDES_DIR ? path.resolve(e.KRING_EXTRA_GUIDES_DIR) : undefined,
    referralAnswerDays: e.KRING_REFERRAL_ANSWER_DAYS,
    breakGlassHours: e.KRING_BREAK_GLASS_HOURS,
    breakGlassDailyLimit: e.KRING_BREAK_GLASS_DAILY_LIMIT,
    figuresConsent: e.KRING_FIGURES_CONSENT,
    demoBackgroundFamilies: e.KRING_DEMO_BACKGROUND_FAMILIES,
    smtpUrl: e.KRING_SMTP_URL,
    mailFrom: e.KRING_MAIL_FROM,
    metricsToken: e.KRING_METRICS_TOKEN,
    retentionYears: parseRetention(e.KRING_RETENTION_YEARS),
    logLevel: e.LOG_LEVEL,
    auditSigningKey: readSigningKey(e.KRING_AUDIT_SIGNING_KEY ?? demoSigningKeyFile(dataDir)),
    auditCheckpointDir: path.resolve(e.KRING_AUDIT_CHECKPOINT_DIR ?? path.join(dataDir, 'audit-checkpoints')),
    requireTwoFactor: production,
  };
}

/** "20" for every category, or "medical=20,social=15" (an unnamed category keeps the WGBO's 20). */
function parseRetention(value: string): Config['retentionYears'] {
  const years = { medical: 20, psychosocial: 20, social: 20 };
  if (/^\d+$/.test(value)) {
    const all = Number(value);
    if (all < 1) throw new ConfigError('Invalid setting KRING_RETENTION_YEARS: at least 1 year');
    return { medical: all, psychosocial: all, social: all };
  }
  for (const part of value.split(',')) {
    const [category, n] = part.split('=') as [keyof typeof years, string];
    if (Number(n) < 1) throw new ConfigError('Invalid setting KRING_RETENTION_YEARS: at least 1 year');
    years[category] = Number(n);
  }
  return years;
}

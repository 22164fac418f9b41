import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from './app.ts';
import { anchorOf, writeCheckpoint } from './audit/checkpoints.ts';
import { checkAuditChains } from './audit/daily-chain-check.ts';
import { type Config, ConfigError } from './config.ts';
import { refreshContent } from './content/content.ts';
import { connectDatabase, type Database } from './database/connect.ts';
import { claimDailyJob, claimJob } from './database/job-runs.ts';
import { migrate } from './database/migrate.ts';
import { seedBackgroundFamilies } from './demo/background-families.ts';
import { isEmpty, loadDemoRegion, seedDemo, seededDemoVersion } from './demo/seed-demo.ts';
import { closeEndedTrajectories } from './families/close-ended-trajectories.ts';
import { applyRetention } from './families/retention.ts';
import { deleteExpiredExports } from './fhir/bulk-export.ts';
import { refreshFigures } from './figures/refresh-figures.ts';
import { sendDigests } from './mail/digest.ts';
import { deliverMail } from './mail/mailer.ts';
import { askAboutLateReferrals } from './referrals/late-referrals.ts';
import { askForSignalReviews } from './signals/review-signals.ts';

export interface Kring {
  app: FastifyInstance;
  database: Database;
  /** Lines worth telling the person who started Kring (URL, demo accounts, notices). */
  notices: string[];
  close(): Promise<void>;
}

/**
 * Open the database, apply migrations, seed the demo region on an empty demo database, build the
 * app and listen. Production never seeds; an existing database is never overwritten.
 */
export async function startKring(config: Config, options: { logger?: boolean } = {}): Promise<Kring> {
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const notices: string[] = [];
  try {
    // Demo mode on a database server only on an empty or a demo database — never on real data,
    // and before a migration touches it.
    if (config.mode === 'demo' && config.databaseUrl && (await holdsRealData(database))) {
      throw new ConfigError(
        'KRING_MODE=demo refuses this database: it is neither empty nor a demo database (use KRING_MODE=production)',
      );
    }
    const applied = await migrate(database);
    if (applied.length) notices.push(`Applied migrations: ${applied.join(', ')}`);
    if (config.mode === 'demo') {
      const region = loadDemoRegion();
      if (await isEmpty(database.db)) {
        await seedDemo(database.db, region);
        const background = await seedBackgroundFamilies(database.db, config.demoBackgroundFamilies);
        notices.push(
          `Seeded the demo region (content version ${region.version}) with ${background} synthetic background families for the figures.`,
        );
      } else {
        const seeded = await seededDemoVersion(database.db);
        if (seeded !== null && seeded < region.version) {
          notices.push(
            `This database has demo content version ${seeded}; version ${region.version} is available. ` +
              'Stop Kring and run `npm run demo:reset` to rebuild the demo database (this erases it).',
          );
        }
      }
    }
    const app = await buildApp({ config, database }, options);
    await app.listen({ port: config.port, host: config.host });
    // The end of the 1001 days is checked at start and every hour; the sweep is idempotent, so
    // several Kring processes on one database may all run it. Daily jobs (the audit-chain check, retention, the notification digest)
    // are claimed in the database, so one process runs them once a day.
    // PGlite has no autovacuum, so the same sweep refreshes the planner's statistics there.
    const sweep = async () => {
      try {
        await closeEndedTrajectories(database.db);
        await askForSignalReviews(database.db);
        await askAboutLateReferrals(database.db, config.referralAnswerDays);
        await deliverMail(database.db, config);
        await deleteExpiredExports({ config, database });
        // A signed checkpoint of every chain head each hour, before the daily check uses the newest.
        if (await claimJob(database.db, 'audit_checkpoint', 55)) await writeCheckpoint(database.db, anchorOf(config));
        if (await claimDailyJob(database.db, 'audit_chain_check'))
          await checkAuditChains(database.db, anchorOf(config));
        if (await claimDailyJob(database.db, 'retention')) await applyRetention(database.db, config);
        if (await claimDailyJob(database.db, 'digest')) await sendDigests(database.db, config);
        // The municipality's figures, at most once in 50 minutes over all processes.
        if (await claimJob(database.db, 'figures_refresh', 50)) await refreshFigures(database.db);
        if (database.kind === 'pglite') await sql`ANALYZE`.execute(database.db);
      } catch (error) {
        app.log.error({ err: (error as Error).message }, 'sweep failed');
      }
    };
    await sweep();
    const timer = setInterval(() => void sweep(), 3600_000);
    timer.unref();
    // Content an administrator published in another process is in force here within a minute.
    const contentTimer = setInterval(() => {
      refreshContent(database.db).catch((error: Error) =>
        app.log.error({ err: error.message }, 'content refresh failed'),
      );
    }, 60_000);
    contentTimer.unref();
    return {
      app,
      database,
      notices,
      close: async () => {
        clearInterval(timer);
        clearInterval(contentTimer);
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Whether a database holds Kring data that is not the demo's (organisations, but no demo version). */
async function holdsRealData(database: Database): Promise<boolean> {
  const tables = await sql<{ organisations: string | null; meta: string | null }>`
    SELECT to_regclass('public.organisations')::text AS organisations, to_regclass('public.app_meta')::text AS meta`.execute(
    database.db,
  );
  const found = tables.rows[0];
  if (!found?.organisations) return false;
  if (await isEmpty(database.db)) return false;
  return !found.meta || (await seededDemoVersion(database.db)) === null;
}

/** The demo accounts, for the start banner (the README lists them too). */
export function demoAccountLines(): string[] {
  const region = loadDemoRegion();
  return region.accounts.map((a) => `  ${a.email.padEnd(32)} ${a.kind}${a.discipline ? ` (${a.discipline})` : ''}`);
}

import fs from 'node:fs';
import { sql } from 'kysely';
import { anchorOf, writeCheckpoint } from '../audit/checkpoints.ts';
import { migrate } from '../database/migrate.ts';
import { seedBackgroundFamilies } from '../demo/background-families.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import { CliError, runCli } from './run-cli.ts';

/** npm run demo:reset: erase the demo database and seed the newest demo region. Never in production. */
await runCli(async (config, database) => {
  if (config.mode !== 'demo')
    throw new CliError('demo:reset runs only in demo mode (KRING_MODE=demo); it erases all data.');
  await sql`DROP SCHEMA public CASCADE`.execute(database.db);
  // The old database's signed audit checkpoints are kept aside, not checked against the new one.
  if (fs.existsSync(config.auditCheckpointDir)) {
    fs.renameSync(config.auditCheckpointDir, `${config.auditCheckpointDir}.before-reset-${Date.now()}`);
  }
  await sql`CREATE SCHEMA public`.execute(database.db);
  await migrate(database);
  await seedDemo(database.db);
  const background = await seedBackgroundFamilies(database.db, config.demoBackgroundFamilies);
  await writeCheckpoint(database.db, anchorOf(config));
  console.log(
    `The demo database was rebuilt with the newest demo region and ${background} synthetic background families.`,
  );
  return 0;
});

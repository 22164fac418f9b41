import { anchorOf, startNewLineage, writeCheckpoint } from '../audit/checkpoints.ts';
import { migrate } from '../database/migrate.ts';
import { parseArgs, runCli } from './run-cli.ts';

/**
 * npm run audit:checkpoint [-- --new-lineage]
 * Sign a checkpoint of every audit chain head now (the running server does so hourly). After
 * restoring an older backup with pg_restore, --new-lineage starts a new line of checkpoints: the
 * restored trail is older than the checkpoints signed since, which would otherwise read as deletions.
 */
await runCli(async (config, database) => {
  await migrate(database);
  const args = parseArgs(process.argv.slice(2));
  if (args['new-lineage'] === 'true') await startNewLineage(database.db);
  const checkpoint = await writeCheckpoint(database.db, anchorOf(config));
  console.log(
    `Signed audit checkpoint ${checkpoint.id} over ${checkpoint.chains} chains into ${config.auditCheckpointDir}.`,
  );
  return 0;
});

import { migrate } from '../database/migrate.ts';
import { applyRetention } from '../families/retention.ts';
import { runCli } from './run-cli.ts';

/**
 * npm run retention: apply the retention periods now (Kring also does it once a day): closed
 * records past their period are deleted; what was deleted is in the audit trail as ids and counts.
 */
await runCli(async (config, database) => {
  await migrate(database);
  const result = await applyRetention(database.db, config);
  console.log(
    `Retention applied (${Object.entries(config.retentionYears)
      .map(([category, years]) => `${category} ${years} years`)
      .join(
        ', ',
      )}): ${result.familiesDeleted} closed family record(s) deleted, ${result.entriesDeleted} entries of shorter-kept categories deleted.`,
  );
  return 0;
});

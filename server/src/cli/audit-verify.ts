import { anchorOf } from '../audit/checkpoints.ts';
import { describeBrokenLink, verifyAudit } from '../audit/verify-audit.ts';
import { migrate } from '../database/migrate.ts';
import { runCli } from './run-cli.ts';

/** npm run audit:verify: check every hash chain of the audit trail; exit 1 and name every broken link. */
await runCli(async (config, database) => {
  await migrate(database);
  const result = await verifyAudit(database.db, anchorOf(config));
  if (result.broken.length === 0) {
    console.log(`Audit trail intact: ${result.chains} chains, ${result.events} events.`);
    return 0;
  }
  console.error(`Audit trail BROKEN in ${result.broken.length} of ${result.chains} chains:`);
  for (const link of result.broken) console.error(`  ${describeBrokenLink(link)}`);
  return 1;
});

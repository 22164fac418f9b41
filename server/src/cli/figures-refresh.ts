import { migrate } from '../database/migrate.ts';
import { refreshFigures } from '../figures/refresh-figures.ts';
import { runCli } from './run-cli.ts';

/**
 * npm run figures:refresh: rebuild the municipality's figures now (Kring does it every hour).
 * Prints what it read and wrote and how long it took.
 */
await runCli(async (_config, database) => {
  await migrate(database);
  const result = await refreshFigures(database.db);
  console.log(
    `Figures refreshed in ${(result.durationMs / 1000).toFixed(1)} s: ${result.families} families, ` +
      `${result.cellRows} event counts, ${result.stockRows} family counts.`,
  );
  return 0;
});

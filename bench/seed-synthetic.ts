import { CliError, parseArgs, runCli } from '../server/src/cli/run-cli.ts';
import { migrate } from '../server/src/database/migrate.ts';
import { progressBar, SYNTHETIC_PASSWORD, seedSynthetic } from './synthetic.ts';

/**
 * npm run seed:synthetic -- --families N [--seed S]
 * Adds a synthetic region to the configured database (KRING_DATA_DIR or DATABASE_URL). Never in production mode.
 */
await runCli(async (config, database) => {
  if (config.mode === 'production') throw new CliError('seed:synthetic does not run in production mode.');
  const args = parseArgs(process.argv.slice(2));
  const families = Number(args.families ?? '1000');
  const seed = Number(args.seed ?? '1001');
  if (!Number.isInteger(families) || families < 1) throw new CliError('--families must be a positive whole number.');
  if (!Number.isInteger(seed)) throw new CliError('--seed must be a whole number.');
  await migrate(database);
  const result = await seedSynthetic(database.db, { families, seed, progress: progressBar('Synthetic region') });
  console.log(
    `Added ${result.organisations} organisations, ${result.professionals} professionals and ${result.parents} parent accounts ` +
      `for ${families} families (seed ${seed}; password ${SYNTHETIC_PASSWORD}).`,
  );
  return 0;
});

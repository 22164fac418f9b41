import { migrate } from '../database/migrate.ts';
import { runCli } from './run-cli.ts';

/** npm run migrate: apply pending migrations (Kring also does this at every start). */
await runCli(async (_config, database) => {
  const applied = await migrate(database);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  return 0;
});

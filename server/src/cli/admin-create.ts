import { CreateAdminError, createAdmin } from '../accounts/create-admin.ts';
import { migrate } from '../database/migrate.ts';
import { CliError, parseArgs, runCli } from './run-cli.ts';

/**
 * npm run admin:create -- --email beheer@example.nl --name "A. Beheerder" [--password …]
 * Creates an administrator; prints the generated password (if none was given) and a one-time link
 * to enrol the second factor.
 */
await runCli(async (config, database) => {
  const args = parseArgs(process.argv.slice(2));
  if (!args.email || !args.name) {
    throw new CliError('Usage: npm run admin:create -- --email ADDRESS --name "FULL NAME" [--password PASSWORD]');
  }
  await migrate(database);
  try {
    const created = await createAdmin(database.db, config, {
      email: args.email,
      name: args.name,
      password: args.password,
    });
    console.log(`Administrator created (${args.email}).`);
    if (created.generated) console.log(`Password (shown once, change it after signing in): ${created.password}`);
    console.log(`Enrol the second factor within 24 hours at: ${created.enrolmentUrl}`);
    return 0;
  } catch (error) {
    if (error instanceof CreateAdminError) throw new CliError(error.message);
    throw error;
  }
});

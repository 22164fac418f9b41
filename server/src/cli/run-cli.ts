import type { Config } from '../config.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { connectDatabase, type Database, DataDirBusyError } from '../database/connect.ts';

/**
 * Run a command-line task with the configuration and database that `npm start` would use.
 * With the embedded database, a running Kring holds the folder: the task then refuses with one
 * line saying to stop it first. A wrong setting is also one line. Exits 1 on failure.
 */
export async function runCli(task: (config: Config, database: Database) => Promise<number | undefined>) {
  let database: Database | undefined;
  let code = 0;
  try {
    const config = loadConfig();
    database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    code = (await task(config, database)) ?? 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirBusyError || error instanceof CliError) {
      console.error(error.message);
      code = 1;
    } else {
      throw error;
    }
  } finally {
    await database?.close();
  }
  process.exit(code);
}

/** A refusal the task explains itself, printed as one line. */
export class CliError extends Error {}

/** `--name value` arguments into an object. */
export function parseArgs(argv: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key?.startsWith('--')) throw new CliError(`Unexpected argument ${key}; use --name value.`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) {
      args[key.slice(2)] = 'true';
    } else {
      args[key.slice(2)] = value;
      i++;
    }
  }
  return args;
}

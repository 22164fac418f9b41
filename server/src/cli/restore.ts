import fs from 'node:fs';
import { anchorOf, startNewLineage, writeCheckpoint } from '../audit/checkpoints.ts';
import { BackupError, restoreBackup } from '../database/backup.ts';
import { CliError, parseArgs, runCli } from './run-cli.ts';

/**
 * npm run restore -- --file PATH [--replace]
 * Restore a backup made by npm run backup into the database (embedded or DATABASE_URL), in one
 * transaction. An existing Kring database is replaced only with --replace. Stop Kring first.
 */
await runCli(async (config, database) => {
  const args = parseArgs(process.argv.slice(2));
  if (!args.file) throw new CliError('Usage: npm run restore -- --file PATH [--replace]');
  if (!fs.existsSync(args.file)) throw new CliError(`No such file: ${args.file}`);
  try {
    const { header, restored, applied } = await restoreBackup(database, fs.createReadStream(args.file), {
      replace: args.replace === 'true',
    });
    const rows = Object.values(restored).reduce((sum, n) => sum + n, 0);
    console.log(`Restored the backup of ${header.createdAt}: ${rows} rows.`);
    if (applied.length) console.log(`Then applied ${applied.length} newer migration(s): ${applied.join(', ')}.`);
    // The restored trail is older than the checkpoints signed since the backup: it starts a new
    // lineage of checkpoints, with one signed now (the older ones stay in the folder, for the record).
    await startNewLineage(database.db);
    const checkpoint = await writeCheckpoint(database.db, anchorOf(config));
    console.log(`Signed a new audit checkpoint over ${checkpoint.chains} chains.`);
    return 0;
  } catch (error) {
    if (error instanceof BackupError) throw new CliError(error.message);
    throw error;
  }
});

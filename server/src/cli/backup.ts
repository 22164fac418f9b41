import fs from 'node:fs';
import { writeBackup } from '../database/backup.ts';
import { parseArgs, runCli } from './run-cli.ts';

/**
 * npm run backup [-- --file PATH]
 * A consistent, compressed backup of the whole database (embedded or DATABASE_URL) to a file,
 * by default kring-backup-<date and time>.jsonl.gz here. With the embedded database, stop Kring
 * first: the folder belongs to one process.
 */
await runCli(async (_config, database) => {
  const args = parseArgs(process.argv.slice(2));
  const file = args.file ?? `kring-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl.gz`;
  const partial = `${file}.partial`;
  try {
    const header = await writeBackup(database, fs.createWriteStream(partial, { mode: 0o600 }));
    fs.renameSync(partial, file);
    const rows = Object.values(header.tables).reduce((sum, n) => sum + n, 0);
    console.log(`Backup written to ${file}: ${Object.keys(header.tables).length} tables, ${rows} rows.`);
    return 0;
  } finally {
    fs.rmSync(partial, { force: true });
  }
});

import { ConfigError, loadConfig } from './config.ts';
import { DataDirBusyError } from './database/connect.ts';
import { demoAccountLines, startKring } from './start.ts';

/** The process: config → database → app → listen; a clean shutdown on SIGINT/SIGTERM. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Kring cannot start. ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  let kring: Awaited<ReturnType<typeof startKring>>;
  try {
    kring = await startKring(config);
  } catch (error) {
    if (error instanceof DataDirBusyError || error instanceof ConfigError) {
      console.error(`Kring cannot start. ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const url = `http://localhost:${config.port}`;
  const lines = [
    '',
    `Kring is running on ${config.mode === 'production' ? config.publicUrl : url} (${config.mode} mode, ${kring.database.kind}${kring.database.kind === 'pglite' ? ` in ${config.dataDir}` : ''})`,
    ...kring.notices,
  ];
  if (config.mode === 'demo') {
    lines.push('Demo accounts (password: kring-demo, no second factor):', ...demoAccountLines());
  }
  console.log(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping Kring (${signal})…`);
    await kring.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();

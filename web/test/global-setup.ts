import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../server/src/config.ts';
import { startKring } from '../../server/src/start.ts';

/** Start Kring as `npm start` does (demo mode, embedded database, built web app) on a free port. */
export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-browser-'));
  const config = loadConfig({ KRING_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const kring = await startKring(config, { logger: false });
  const address = kring.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  // The port is chosen at listen: the links Kring makes (mail, OpenID Connect) use the real address.
  config.publicUrl = baseUrl;
  project.provide('baseUrl', baseUrl);
  return async () => {
    await kring.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

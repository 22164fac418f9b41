import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The expand/contract guard's evidence: every distinct SQL statement a release runs, with the
 * parameters of its first run, recorded by `npm run queries:record` (scripts/record-queries.ts)
 * from a workload over the demo region. Kept in `released-queries.json`; the next release's
 * migrations must leave every one of them working (database/expand-contract.test.ts).
 */
export const RELEASED_QUERIES_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'released-queries.json');

export interface RecordedQuery {
  sql: string;
  parameters: unknown[];
}

/** The recorded statements with their parameters as JSON can carry them (dates as ISO text). */
export function serialiseQueries(queries: RecordedQuery[]): string {
  return `${JSON.stringify(queries, (_key, value) => (value instanceof Uint8Array ? undefined : value), 1)}\n`;
}

export function readReleasedQueries(): RecordedQuery[] {
  return JSON.parse(fs.readFileSync(RELEASED_QUERIES_FILE, 'utf8')) as RecordedQuery[];
}

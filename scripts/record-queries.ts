import fs from 'node:fs';
import {
  RELEASED_QUERIES_FILE,
  recordReleaseQueries,
  serialiseQueries,
} from '../server/src/database/release-queries.ts';

/**
 * npm run queries:record — at a release: record every SQL statement this release runs, so that
 * the next release's migrations are checked against them (expand → migrate → contract).
 */
const queries = await recordReleaseQueries();
fs.writeFileSync(RELEASED_QUERIES_FILE, serialiseQueries(queries));
console.log(`Recorded ${queries.length} distinct statements in ${RELEASED_QUERIES_FILE}.`);

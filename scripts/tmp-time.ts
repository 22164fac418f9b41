import { connectPostgres } from '../server/src/database/connect.ts';
import { readFigures } from '../server/src/figures/read-figures.ts';

const database = connectPostgres('postgres://postgres@127.0.0.1:5432/kring_fig', 4);
const { municipality_id } = await database.db
  .selectFrom('neighbourhoods')
  .select('municipality_id')
  .executeTakeFirstOrThrow();
for (const filters of [
  { granularity: 'month' as const },
  { granularity: 'quarter' as const, phase: 'months_0_6' as const, organisationType: 'jgz' as const },
  { granularity: 'month' as const, from: '2024-12' },
]) {
  const t0 = performance.now();
  const f = await readFigures(database.db, municipality_id, filters, { consentRequired: true, language: 'nl' });
  console.log(JSON.stringify(filters), Math.round(performance.now() - t0), 'ms', f.indicators[1]?.tables[0]?.total);
}
await database.close();

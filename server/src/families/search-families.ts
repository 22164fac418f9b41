import { escapeLike, nameWords } from '../database/schema.ts';
import type { RequestContext } from '../http/context.ts';
import { IsoDate } from './family.types.ts';

/**
 * Search the families the actor may see — never any other — by a name, a BSN, a date of birth
 * (YYYY-MM-DD) or a postcode. The query arrives in a POST body and is never logged or audited;
 * the audit records that a search was done and how many families it showed.
 */
export async function searchFamilies(ctx: RequestContext, query: string) {
  const q = query.trim();
  // A real calendar day only: 2024-02-30 is no date of birth (PostgreSQL would refuse it with a 500).
  const isDate = IsoDate.safeParse(q).success;
  const isBsn = /^\d{9}$/.test(q);
  const postcode = q.toUpperCase().replace(/\s+/g, '');
  const isPostcode = /^\d{4}[A-Z]{0,2}$/.test(postcode);
  const like = `%${escapeLike(q.toLowerCase())}%`;
  const db = ctx.deps.database.db;
  // First the families that match, found from the actor's own families (the access rule drives
  // the plan: a few hundred assignments, each family's persons by index); only the matches are
  // then joined to what the list shows.
  const personMatches = db
    .selectFrom('persons as p')
    .select('p.family_id')
    .where(ctx.families.inTeam('p.family_id'))
    .where((eb) =>
      eb.or([
        eb(nameWords('p'), 'like', like),
        ...(isBsn ? [eb('p.bsn', '=', q)] : []),
        ...(isDate ? [eb('p.birth_date', '=', q)] : []),
      ]),
    );
  const matches = isPostcode
    ? personMatches.union(
        db
          .selectFrom('families as pf')
          .select('pf.id as family_id')
          .where(ctx.families.inTeam('pf.id'))
          .where('pf.postcode', 'like', `${postcode}%`),
      )
    : personMatches;
  const rows = await ctx.auditedRead(
    db
      .selectFrom('families as f')
      .innerJoin('neighbourhoods as n', 'n.id', 'f.neighbourhood_id')
      .innerJoin('persons as main', (join) =>
        join.onRef('main.family_id', '=', 'f.id').on('main.role', '=', 'pregnant_person'),
      )
      .select(['f.id as familyId', 'n.name as neighbourhood', 'main.given_name', 'main.family_name'])
      .where('f.id', 'in', matches)
      .orderBy('main.family_name')
      .limit(50),
    { action: 'family.search' },
    { countAs: 'results' },
  );
  return {
    families: rows.map((r) => ({
      familyId: r.familyId,
      name: [r.given_name, r.family_name].filter(Boolean).join(' '),
      neighbourhood: r.neighbourhood,
    })),
  };
}

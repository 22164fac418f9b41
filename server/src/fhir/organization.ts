import { escapeLike } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { isId, type Organization, one, parseSearch, type SearchParameter, searchset, toOrganization } from './fhir.ts';

/** Organization: the region's organisations, as on the organisations list (no personal data, not audited). */

const ORGANISATION_COLUMNS = ['id', 'version', 'active', 'name', 'type', 'identifier'] as const;

export async function readOrganization(ctx: RequestContext, id: string): Promise<Organization> {
  const organisation = isId(id)
    ? await ctx.deps.database.db
        .selectFrom('organisations')
        .select(ORGANISATION_COLUMNS)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!organisation) throw new AppError('NOT_FOUND', 'Not found.');
  return toOrganization(organisation);
}

export const ORGANIZATION_SEARCH: readonly SearchParameter[] = [
  { name: '_id', type: 'token', documentation: 'The organisation id.' },
  { name: 'name', type: 'string', documentation: 'Start of the name, case-insensitive.' },
  { name: 'type', type: 'token', documentation: 'The kind of organisation (urn:kring:organisation-type), e.g. jgz.' },
];

export async function searchOrganizations(
  ctx: RequestContext,
  query: Record<string, string | string[]>,
  options: { strict: boolean; baseUrl: string },
) {
  const sealing = { secret: ctx.config.sessionSecret, accountId: ctx.access.actor.accountId };
  const page = parseSearch(query, ORGANIZATION_SEARCH, { ...options, ...sealing, resource: 'Organization' });
  const search = { _id: one(page.search, '_id'), type: one(page.search, 'type'), name: one(page.search, 'name') };
  let q = ctx.deps.database.db.selectFrom('organisations').where('active', '=', true);
  if (search._id) q = isId(search._id) ? q.where('id', '=', search._id) : q.where('id', 'is', null);
  if (search.type) q = q.where('type', '=', search.type.split('|').at(-1) as never);
  if (search.name) {
    const prefix = `${escapeLike(search.name.trim().toLowerCase())}%`;
    q = q.where((eb) => eb(eb.fn('lower', ['name']), 'like', prefix));
  }
  const [rows, total] = await Promise.all([
    q.select(ORGANISATION_COLUMNS).orderBy('name').orderBy('id').limit(page.count).offset(page.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ]);
  return searchset(
    'Organization',
    page,
    { total: Number(total?.n ?? 0), resources: rows.map(toOrganization) },
    { ...options, ...sealing },
  );
}

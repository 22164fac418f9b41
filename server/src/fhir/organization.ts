import { type RawBuilder, sql } from 'kysely';
import { escapeLike } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import {
  AGB_SYSTEM,
  isId,
  ORGANISATION_TYPE_SYSTEM,
  type Organization,
  one,
  parseSearch,
  type SearchParameter,
  searchset,
  toOrganization,
} from './fhir.ts';

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
  { name: '_id', type: 'token', documentation: 'The organisation id; several separated by commas (any of them).' },
  { name: 'name', type: 'string', documentation: 'Start of the name, case-insensitive.' },
  {
    name: 'type',
    type: 'token',
    documentation: 'The kind of organisation (urn:kring:organisation-type), e.g. jgz; `system|code` or `code`.',
  },
  {
    name: 'identifier',
    type: 'token',
    documentation: `The AGB code (${AGB_SYSTEM}|12345678), or any identifier: \`value\`, \`system|value\`, \`|value\` (no system), \`system|\`.`,
  },
];

/** The AGB code in an organisation's identifier ("AGB 12345678"), else null. */
const agbOf = sql<string | null>`substring(trim(identifier) from '^[Aa][Gg][Bb][[:space:]]*([0-9]{8})$')`;

/** One token of `identifier` as the FHIR token rules say: a system not Kring's matches nothing. */
function identifierMatches(token: string): RawBuilder<boolean> {
  const [system, value] = token.includes('|') ? (token.split('|', 2) as [string, string]) : [undefined, token];
  const other = sql<boolean>`(${agbOf} IS NULL AND trim(identifier) = ${value})`;
  if (system === undefined) return sql<boolean>`(${agbOf} = ${value} OR ${other})`;
  if (system === AGB_SYSTEM)
    return value === '' ? sql<boolean>`(${agbOf} IS NOT NULL)` : sql<boolean>`(${agbOf} = ${value})`;
  if (system === '') return other;
  return sql<boolean>`false`;
}

/** One token of `type`: Kring's organisation types, with their system or none named. */
function typeMatches(token: string): RawBuilder<boolean> {
  const [system, code] = token.includes('|') ? (token.split('|', 2) as [string, string]) : [undefined, token];
  if (system !== undefined && system !== ORGANISATION_TYPE_SYSTEM) return sql<boolean>`false`;
  return sql<boolean>`(type = ${code})`;
}

const anyOf = (tokens: string | undefined, condition: (token: string) => RawBuilder<boolean>) =>
  tokens === undefined ? undefined : sql<boolean>`(${sql.join(tokens.split(',').map(condition), sql` OR `)})`;

export async function searchOrganizations(
  ctx: RequestContext,
  query: Record<string, string | string[]>,
  options: { strict: boolean; baseUrl: string },
) {
  const sealing = { secret: ctx.config.sessionSecret, accountId: ctx.access.actor.accountId };
  const page = parseSearch(query, ORGANIZATION_SEARCH, { ...options, ...sealing, resource: 'Organization' });
  const search = {
    _id: one(page.search, '_id'),
    type: one(page.search, 'type'),
    name: one(page.search, 'name'),
    identifier: one(page.search, 'identifier'),
  };
  let q = ctx.deps.database.db.selectFrom('organisations').where('active', '=', true);
  if (search._id)
    q = q.where('id', 'in', [...search._id.split(',').filter(isId), '00000000-0000-4000-8000-000000000000']);
  const byType = anyOf(search.type, typeMatches);
  if (byType) q = q.where(byType);
  const byIdentifier = anyOf(search.identifier, identifierMatches);
  if (byIdentifier) q = q.where(byIdentifier);
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

import { sql } from 'kysely';
import { escapeLike } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { guides } from '../guides/guide-definitions.ts';
import type { RequestContext } from '../http/context.ts';
import { questionnaireId, questionnaireUrl } from './care-resources.ts';
import { ref } from './family-sources.ts';
import {
  type FhirResource,
  invalidSearch,
  isId,
  one,
  parseSearch,
  type Search,
  type SearchParameter,
  searchset,
} from './fhir.ts';

/**
 * The chain's directory as FHIR, no family data: the professionals an actor works with
 * (Practitioner, and their place in an organisation as PractitionerRole) and the conversation
 * guides (Questionnaire, with why each question is asked).
 */

type SearchOptions = { strict: boolean; baseUrl: string };

/** A search over a list that needs no consent or audit: parse, fetch one page and the total, answer. */
async function directorySearch(
  ctx: RequestContext,
  type: string,
  parameters: readonly SearchParameter[],
  query: Record<string, string | string[]>,
  options: SearchOptions,
  fetch: (
    search: Search,
    page: { offset: number; count: number },
  ) => Promise<{ total: number; resources: FhirResource[] }>,
) {
  const sealing = { secret: ctx.config.sessionSecret, accountId: ctx.access.actor.accountId };
  const page = parseSearch(query, parameters, { ...options, ...sealing, resource: type });
  if (one(page.search, '_sort') !== undefined) throw invalidSearch('_sort', `${type} is sorted by name only.`);
  return searchset(type, page, await fetch(page.search, page), { ...options, ...sealing });
}

// ------------------------------------------------ Practitioner and PractitionerRole

/**
 * The professionals an actor may know of: their own organisation's, those in (or once in) the
 * teams of the families they may read, and those who sent a referral to their organisation; an
 * administrator knows every professional.
 */
function practitioners(ctx: RequestContext) {
  const access = ctx.access;
  let q = ctx.deps.database.db
    .selectFrom('accounts as a')
    .select(['a.id', 'a.version', 'a.active', 'a.display_name', 'a.discipline', 'a.organisation_id', 'a.created_at'])
    .where('a.kind', '=', 'professional');
  if (access.actor.kind !== 'admin') {
    const own = access.actor.organisationId;
    q = q.where((eb) =>
      eb.or([
        eb('a.organisation_id', '=', own),
        eb(
          'a.id',
          'in',
          eb
            .selectFrom('care_team_professionals as ctp')
            .select('ctp.account_id')
            .where('ctp.family_id', 'in', ctx.families.readableIds()),
        ),
        eb(
          'a.id',
          'in',
          eb
            .selectFrom('referrals as r')
            .select('r.from_account_id')
            .where('r.to_organisation_id', '=', own)
            .where('r.status', '!=', 'draft'),
        ),
      ]),
    );
  }
  return q;
}

type AccountRow = {
  id: string;
  version: number;
  active: boolean;
  display_name: string;
  discipline: string | null;
  organisation_id: string | null;
  created_at: Date;
};

const DISCIPLINE_SYSTEM = 'urn:kring:discipline';

const toPractitioner = (a: AccountRow): FhirResource => ({
  resourceType: 'Practitioner',
  id: a.id,
  meta: { versionId: String(a.version) },
  active: a.active,
  name: [{ text: a.display_name }],
  ...(a.discipline
    ? { qualification: [{ code: { coding: [{ system: DISCIPLINE_SYSTEM, code: a.discipline }] } }] }
    : {}),
});

const toPractitionerRole = (a: AccountRow): FhirResource => ({
  resourceType: 'PractitionerRole',
  id: a.id,
  meta: { versionId: String(a.version) },
  active: a.active,
  practitioner: { ...ref('Practitioner', a.id), display: a.display_name },
  ...(a.organisation_id ? { organization: ref('Organization', a.organisation_id) } : {}),
  ...(a.discipline ? { code: [{ coding: [{ system: DISCIPLINE_SYSTEM, code: a.discipline }] }] } : {}),
});

export const PRACTITIONER_SEARCH: readonly SearchParameter[] = [
  { name: '_id', type: 'token', documentation: 'The professional id.' },
  { name: 'name', type: 'string', documentation: 'Start of any word of the name, case-insensitive.' },
];
export const PRACTITIONER_ROLE_SEARCH: readonly SearchParameter[] = [
  { name: '_id', type: 'token', documentation: 'The professional id.' },
  { name: 'organization', type: 'reference', documentation: 'The organisation (Organization/id).' },
];

const notFound = () => new AppError('NOT_FOUND', 'Not found.');

async function readAccount(ctx: RequestContext, id: string) {
  const account = isId(id) ? await practitioners(ctx).where('a.id', '=', id).executeTakeFirst() : undefined;
  if (!account) throw notFound();
  return account;
}

export const readPractitioner = async (ctx: RequestContext, id: string) => toPractitioner(await readAccount(ctx, id));
export const readPractitionerRole = async (ctx: RequestContext, id: string) =>
  toPractitionerRole(await readAccount(ctx, id));

function accountSearch(
  type: 'Practitioner' | 'PractitionerRole',
  parameters: readonly SearchParameter[],
  map: (a: AccountRow) => FhirResource,
) {
  return (ctx: RequestContext, query: Record<string, string | string[]>, options: SearchOptions) =>
    directorySearch(ctx, type, parameters, query, options, async (search, page) => {
      let q = practitioners(ctx);
      const id = one(search, '_id');
      if (id !== undefined) q = isId(id) ? q.where('a.id', '=', id) : q.where(sql<boolean>`false`);
      const name = one(search, 'name')?.trim().toLowerCase();
      if (name) {
        const word = escapeLike(name);
        q = q.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['a.display_name']), 'like', `${word}%`),
            eb(eb.fn('lower', ['a.display_name']), 'like', `% ${word}%`),
          ]),
        );
      }
      const organization = one(search, 'organization');
      if (organization !== undefined) {
        const orgId = organization.split('/').at(-1) ?? '';
        if (!isId(orgId)) throw invalidSearch('organization', 'A reference to an Organization, as Organization/id.');
        q = q.where('a.organisation_id', '=', orgId);
      }
      const rows = await q
        .select(sql<number>`count(*) OVER ()::integer`.as('total'))
        .orderBy('a.display_name')
        .orderBy('a.id')
        .limit(page.count)
        .offset(page.offset)
        .execute();
      const total =
        rows[0]?.total ??
        Number((await q.clearSelect().select(sql<number>`count(*)::integer`.as('n')).executeTakeFirst())?.n ?? 0);
      return { total, resources: rows.map(map) };
    });
}

export const searchPractitioners = accountSearch('Practitioner', PRACTITIONER_SEARCH, toPractitioner);
export const searchPractitionerRoles = accountSearch('PractitionerRole', PRACTITIONER_ROLE_SEARCH, toPractitionerRole);

// ------------------------------------------------------------ Questionnaire: the guides

const ITEM_TYPE = { text: 'text', choice: 'choice', scale: 'choice', yesno: 'boolean' } as const;

function toQuestionnaire(key: string, baseUrl: string): FhirResource {
  const guide = guides().get(key);
  if (!guide) throw notFound();
  const url = questionnaireUrl(baseUrl, guide.key);
  return {
    resourceType: 'Questionnaire',
    id: questionnaireId(guide.key),
    meta: { versionId: String(guide.version) },
    url,
    version: String(guide.version),
    name: guide.key.replace(/(^|_)([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase()).replace(/^[^A-Z]/, 'G'),
    title: guide.title.nl,
    status: 'active',
    subjectType: [guide.for === 'family' ? 'Group' : 'Patient'],
    description: guide.intro.nl,
    ...(guide.instrument ? { copyright: guide.instrument.source } : {}),
    item: guide.items.map((item) => ({
      linkId: item.code,
      text: item.text.nl,
      type: ITEM_TYPE[item.type],
      ...(item.options
        ? {
            answerOption: item.options.map((o) => ({
              valueCoding: { system: `${url}/${item.code}`, code: o.value, display: o.nl },
            })),
          }
        : {}),
      // Why Kring asks it, shown beside the question (a help item, as the SDC guide does it).
      item: [
        {
          linkId: `${item.code}.why`,
          text: item.why.nl,
          type: 'display',
          extension: [
            {
              url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl',
              valueCodeableConcept: {
                coding: [{ system: 'http://hl7.org/fhir/questionnaire-item-control', code: 'help' }],
              },
            },
          ],
        },
      ],
    })),
  };
}

export const QUESTIONNAIRE_SEARCH: readonly SearchParameter[] = [
  { name: '_id', type: 'token', documentation: 'The guide id.' },
  { name: 'url', type: 'token', documentation: 'The guide url.' },
];

export function readQuestionnaire(ctx: RequestContext, id: string): Promise<FhirResource> {
  return Promise.resolve(toQuestionnaire(id.replaceAll('-', '_'), ctx.config.publicUrl));
}

export function searchQuestionnaires(
  ctx: RequestContext,
  query: Record<string, string | string[]>,
  options: SearchOptions,
) {
  return directorySearch(ctx, 'Questionnaire', QUESTIONNAIRE_SEARCH, query, options, async (search, page) => {
    const id = one(search, '_id');
    const url = one(search, 'url');
    const all = [...guides().keys()]
      .sort()
      .map((key) => toQuestionnaire(key, options.baseUrl))
      .filter((q) => (id === undefined || q.id === id) && (url === undefined || q.url === url.split('|')[0]));
    return { total: all.length, resources: all.slice(page.offset, page.offset + page.count) };
  });
}

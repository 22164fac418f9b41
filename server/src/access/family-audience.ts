import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { ADULT_ROLES, type DB, personOrder } from '../database/schema.ts';
import { AppError, type FieldError } from '../errors.ts';
import { signalCodes } from '../signals/signal-codes.ts';

/**
 * Who in the family sees an entry in the parents' own Kring — the one place this is decided
 * (PRODUCT.md point 10: what one parent tells stays theirs). Professionals' access (team × consent)
 * is access.ts and consent-rules.ts; this adds the family-internal dimension, for a reader who is
 * a person of the family (a parent's account is linked to one person).
 *
 * The rule, per entry, by whom it concerns:
 * - one adult → that adult only; another adult sees it with the first one's recorded consent
 *   (family_sharing), never for an entry of the safety class;
 * - a born child → the adults with parental authority;
 * - the unborn child, or a pregnancy that ended → the pregnant person's own (WGBO: nobody holds
 *   parental authority yet); the partner only with her consent;
 * - the family as a whole → every adult, but for the safety class (domestic violence, or a signal
 *   a Meldcode route rests on) no one until a professional decides.
 * A professional's decision (`parents_audience`, with a reason) narrows that to the persons named
 * (none: no parent); it widens only a family entry of the safety class. WGBO art. 7:456/7:457.
 */
export interface AudienceEntry {
  /** The person the entry is about, or null for the family as a whole. */
  concerns: Expression<string | null>;
  /** The professional's decision: null (the rule), or the persons who may see it at most. */
  audience: Expression<string[] | null>;
  /** Whether the entry belongs to the safety class. */
  safety: Expression<SqlBool>;
}

/**
 * What the rule needs to know of one family member who reads, and of their family — read once per
 * request (familyReader), so that the rule itself is a few comparisons per entry, not subqueries.
 */
export interface FamilyReader {
  personId: string;
  familyId: string;
  adult: boolean;
  pregnant: boolean;
  /** The persons whose entries this reader sees by their consent (an adult; with the pregnant person, the unborn children). */
  sharedBy: string[];
  /** The family's born children (and siblings) the reader holds parental authority (gezag) over. */
  childrenInAuthority: string[];
  /** The family's expected children, and those of a pregnancy that ended. */
  unbornChildren: string[];
  /** The signals a Meldcode route of the family rests on (its first step): of the safety class. */
  routeSignals: string[];
}

/**
 * The reader's facts for the rule, as columns of one select: the family's persons, the adults
 * who consented to show their entries to the reader, the signals a Meldcode route rests on.
 */
export function readerFactColumns(familyId: Expression<string>, personId: Expression<string>) {
  return [
    sql<ReaderPerson[]>`(SELECT coalesce(json_agg(json_build_object('id', rp.id, 'role', rp.role,
        'child_status', rp.child_status, 'authority_over', ARRAY(SELECT pa.child_id FROM parental_authorities pa
          WHERE pa.adult_id = rp.id))), '[]')
      FROM persons rp WHERE rp.family_id = ${familyId})`.as('reader_persons'),
    sql<string[]>`ARRAY(SELECT rs.person_id::text FROM family_sharing rs WHERE rs.family_id = ${familyId}
      AND rs.to_person_id = ${personId} AND rs.withdrawn_at IS NULL)`.as('reader_shared'),
    sql<string[]>`ARRAY(SELECT jsonb_array_elements_text(rm.content -> 'signalIds') FROM meldcode_steps rm
      WHERE rm.family_id = ${familyId} AND rm.step = 1)`.as('reader_route_signals'),
  ] as const;
}
interface ReaderPerson {
  id: string;
  role: string;
  child_status: string | null;
  authority_over: string[];
}

/** The reader from those columns. */
export function readerFrom(
  familyId: string,
  personId: string,
  row: { reader_persons: ReaderPerson[]; reader_shared: string[]; reader_route_signals: string[] },
): FamilyReader {
  const persons = row.reader_persons;
  const me = persons.find((p) => p.id === personId);
  const child = (p: ReaderPerson) => p.role === 'child' || p.role === 'sibling';
  const unbornChildren = persons.filter((p) => child(p) && p.child_status !== 'born').map((p) => p.id);
  const pregnantPerson = persons.find((p) => p.role === 'pregnant_person')?.id;
  const sharers = row.reader_shared;
  return {
    personId,
    familyId,
    adult: me !== undefined && (ADULT_ROLES as readonly string[]).includes(me.role),
    pregnant: me?.role === 'pregnant_person',
    sharedBy: [...sharers, ...(pregnantPerson && sharers.includes(pregnantPerson) ? unbornChildren : [])],
    childrenInAuthority: persons
      .filter((p) => child(p) && p.child_status === 'born' && me?.authority_over.includes(p.id))
      .map((p) => p.id),
    unbornChildren,
    routeSignals: row.reader_route_signals,
  };
}

/** A family member as a reader of the parents' Kring (one query). */
export async function familyReader(db: Kysely<DB>, familyId: string, personId: string): Promise<FamilyReader> {
  const row = await db.selectNoFrom(readerFactColumns(sql.val(familyId), sql.val(personId))).executeTakeFirstOrThrow();
  return readerFrom(familyId, personId, row);
}

/**
 * Whether the reader sees what is about a child itself (its birth date, BSN, the pregnancy or its
 * end): a born child's adults with parental authority; before birth the pregnant person, and the
 * partner with her consent. The same rule as readerSees for an entry that concerns the child.
 */
export function readerSeesChild(reader: FamilyReader, childId: string): boolean {
  if (!reader.adult) return false;
  return (
    reader.childrenInAuthority.includes(childId) ||
    (reader.unbornChildren.includes(childId) && (reader.pregnant || reader.sharedBy.includes(childId)))
  );
}

/** Whether the family member `reader` may see the entry in the parents' Kring: the rule, as SQL. */
export function readerSees(reader: FamilyReader, entry: AudienceEntry): RawBuilder<SqlBool> {
  if (!reader.adult) return sql<SqlBool>`false`;
  const { concerns, audience, safety } = entry;
  const me = sql`${reader.personId}::uuid`;
  const ids = (list: string[]) => sql`${list}::uuid[]`;
  // coalesce: a comparison with a null `concerns` is null, and NOT null would let an entry through.
  return sql<SqlBool>`coalesce((${audience} IS NULL OR ${me} = ANY(${audience})) AND (
    ${concerns} = ${me}
    OR (${concerns} IS NULL AND (NOT ${safety} OR ${audience} IS NOT NULL))
    OR ${concerns} = ANY(${ids(reader.childrenInAuthority)})
    OR ${concerns} = ANY(${ids(reader.pregnant ? reader.unbornChildren : [])})
    OR (NOT ${safety} AND ${concerns} = ANY(${ids(reader.sharedBy)}))), false)`;
}

/** The codes of the safety class, from the code list in force. */
export function safetyCodes(): string[] {
  return signalCodes()
    .codes.filter((c) => c.safety)
    .map((c) => c.key);
}

/**
 * Whether a signal (table alias) is of the safety class: its code, or a Meldcode route rests on it
 * — given the family's route signals when known (a reader's), else looked up per row.
 */
export function signalIsSafety(alias: string, routeSignals?: string[]): RawBuilder<SqlBool> {
  const ref = (column: string) => sql.ref(`${alias}.${column}`);
  if (routeSignals) {
    return sql<SqlBool>`(${ref('code')} = ANY(${sql.val(safetyCodes())}::text[]) OR ${ref('id')} = ANY(${routeSignals}::uuid[]))`;
  }
  return sql<SqlBool>`(${ref('code')} = ANY(${sql.val(safetyCodes())}::text[]) OR EXISTS (
    SELECT 1 FROM meldcode_steps safety_step WHERE safety_step.family_id = ${ref('family_id')} AND safety_step.step = 1
      AND safety_step.content -> 'signalIds' @> jsonb_build_array(${ref('id')}::text)))`;
}

/** The entry tables that carry a professional's decision, and how each tells whom it concerns and its class. */
const notSafety = (_alias: string, _routeSignals?: string[]) => sql<SqlBool>`false`;
/**
 * SQL condition: the family has a safety concern — a signal of the safety class, or a Meldcode
 * route. Where it has, a parent sees nothing of the other parent's choices (their consents): a
 * withdrawal could tell what was confided (PRODUCT.md point 10: when in doubt, show less).
 */
export function familySafetyConcern(familyId: string, routeSignals: string[]): RawBuilder<SqlBool> {
  return sql<SqlBool>`(EXISTS (SELECT 1 FROM signals s WHERE s.family_id = ${familyId} AND ${signalIsSafety('s', routeSignals)})
    OR EXISTS (SELECT 1 FROM meldcode_routes mr WHERE mr.family_id = ${familyId}))`;
}

export const AUDIENCE_TABLES = {
  signal: { table: 'signals', concerns: true, safety: signalIsSafety },
  contact: { table: 'contacts', concerns: true, safety: notSafety },
  judgement: { table: 'judgements', concerns: false, safety: notSafety },
  plan_goal: { table: 'plan_goals', concerns: false, safety: notSafety },
  referral: { table: 'referrals', concerns: false, safety: notSafety },
} as const;
export type AudienceRecordType = keyof typeof AUDIENCE_TABLES;

/** An entry row of one of the tables above (its alias) as the rule sees it. */
export function audienceEntry(recordType: AudienceRecordType, alias: string, routeSignals?: string[]): AudienceEntry {
  const kind = AUDIENCE_TABLES[recordType];
  return {
    concerns: kind.concerns ? sql.ref(`${alias}.concerns_person_id`) : sql`null::uuid`,
    audience: sql.ref(`${alias}.parents_audience`),
    safety: kind.safety(alias, routeSignals),
  };
}

/** Whether `reader` sees the entry `alias` of `recordType` (a where clause for the parents' Kring). */
export function parentSeesEntry(reader: FamilyReader, recordType: AudienceRecordType, alias: string) {
  return readerSees(reader, audienceEntry(recordType, alias, reader.routeSignals));
}

/**
 * The adults of a family who would see an entry with these values — the answer a form shows
 * before saving ("who in the family will see this"), from the same rule.
 */
export async function audienceOf(
  db: Kysely<DB>,
  familyId: string,
  entry: { concernsPersonId: string | null; audience: string[] | null; safety: boolean },
) {
  const adults = await db
    .selectFrom('persons as p')
    .select(['p.id', 'p.given_name'])
    .where('p.family_id', '=', familyId)
    .where('p.role', 'in', [...ADULT_ROLES])
    .orderBy(personOrder('p'))
    .execute();
  const values: AudienceEntry = {
    concerns: sql`${entry.concernsPersonId}::uuid`,
    audience: sql`${entry.audience}::uuid[]`,
    safety: sql<SqlBool>`${entry.safety}::boolean`,
  };
  const sees = await Promise.all(
    adults.map(async (adult) => {
      const reader = await familyReader(db, familyId, adult.id);
      const row = await sql<{ sees: boolean }>`SELECT ${readerSees(reader, values)} AS sees`.execute(db);
      return row.rows[0]?.sees === true;
    }),
  );
  return adults.filter((_, i) => sees[i]).map((a) => ({ personId: a.id, givenName: a.given_name }));
}

/**
 * A professional's decision on who in the family sees an entry, checked: the persons named must
 * be adults of the family the rule lets see it (an adult's entry is widened only by that adult's
 * own consent). Returns the faults, named by field (the reason is required by the schema).
 */
export async function audienceDecisionFaults(
  db: Kysely<DB>,
  familyId: string,
  entry: { concernsPersonId: string | null; safety: boolean },
  persons: string[] | null,
  field: string,
): Promise<FieldError[]> {
  if (!persons?.length) return [];
  const allowed = new Set((await audienceOf(db, familyId, { ...entry, audience: persons })).map((p) => p.personId));
  return persons.some((id) => !allowed.has(id))
    ? [
        {
          field: `${field}.persons`,
          message: 'may not see this: not an adult of this family, or the person it is about has not consented',
        },
      ]
    : [];
}

/** A professional's decision in a request body: at most these adults (none: no parent), and why. */
export const ParentsAudienceInput = z.strictObject({
  persons: z.array(z.uuid()).max(12),
  /** Why: required for every decision, narrowing or widening. */
  reason: z.string().trim().min(5, 'say why (at least 5 characters)').max(1000),
});
export type ParentsAudienceInput = z.infer<typeof ParentsAudienceInput>;

/** Whether a code belongs to the safety class (a new signal; a recorded one also by its Meldcode route). */
export const isSafetyCode = (code: string) => signalCodes().byKey.get(code)?.safety === true;

/** The columns an entry stores for a professional's decision (none: the rule decides). */
/** A professional's decision on an entry, as the professionals' screens show it beside the entry (null: the rule decides). */
export const AudienceDecisionResponse = z.object({ persons: z.array(z.uuid()), reason: z.string() }).nullable();

export function audienceDecisionOf(entry: {
  parents_audience: string[] | null;
  parents_audience_reason: string | null;
}): z.infer<typeof AudienceDecisionResponse> {
  return entry.parents_audience
    ? { persons: entry.parents_audience, reason: entry.parents_audience_reason ?? '' }
    : null;
}

export function audienceColumns(decision: ParentsAudienceInput | undefined, accountId: string) {
  return {
    parents_audience: decision?.persons ?? null,
    parents_audience_reason: decision?.reason ?? null,
    parents_audience_by_account_id: decision ? accountId : null,
  };
}

/**
 * A decision on a new entry about the family as a whole (a judgement, a plan goal, a referral),
 * checked: 400 naming `body.parentsAudience.persons` when someone named may not see it.
 */
export async function requireFamilyAudienceDecision(
  db: Kysely<DB>,
  familyId: string,
  decision: ParentsAudienceInput | undefined,
) {
  const fields = await audienceDecisionFaults(
    db,
    familyId,
    { concernsPersonId: null, safety: false },
    decision?.persons ?? null,
    'body.parentsAudience',
  );
  if (fields.length) throw new AppError('VALIDATION_FAILED', 'Invalid request.', { fields });
}

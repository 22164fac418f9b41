import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { ADULT_ROLES, type DB, personOrder } from '../database/schema.ts';
import type { FieldError } from '../errors.ts';
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

const adultRoles = sql.raw(ADULT_ROLES.map((role) => `'${role}'`).join(', '));

/** Whether the family member `reader` (a person id) may see the entry in the parents' Kring. */
export function parentSees(reader: Expression<string>, entry: AudienceEntry): RawBuilder<SqlBool> {
  const { concerns, audience, safety } = entry;
  // The inner aliases (audience_*) must not shadow the caller's.
  return sql<SqlBool>`((${audience} IS NULL OR ${reader} = ANY(${audience})) AND EXISTS (
    SELECT 1 FROM persons audience_reader WHERE audience_reader.id = ${reader} AND audience_reader.role IN (${adultRoles}) AND (
      ${concerns} = audience_reader.id
      OR (${concerns} IS NULL AND (NOT ${safety} OR ${audience} IS NOT NULL))
      OR EXISTS (
        SELECT 1 FROM persons audience_subject WHERE audience_subject.id = ${concerns}
          AND audience_subject.family_id = audience_reader.family_id AND (
          (audience_subject.role IN ('child', 'sibling') AND audience_subject.child_status = 'born' AND audience_reader.parental_authority)
          OR (audience_subject.role IN ('child', 'sibling') AND audience_subject.child_status <> 'born'
            AND audience_reader.role = 'pregnant_person')
          OR (NOT ${safety} AND EXISTS (
            SELECT 1 FROM family_sharing audience_sharing
            WHERE audience_sharing.to_person_id = audience_reader.id AND audience_sharing.withdrawn_at IS NULL
              AND audience_sharing.person_id = CASE
                WHEN audience_subject.role NOT IN ('child', 'sibling') THEN audience_subject.id
                WHEN audience_subject.child_status <> 'born' THEN (
                  SELECT audience_pregnant.id FROM persons audience_pregnant
                  WHERE audience_pregnant.family_id = audience_subject.family_id
                    AND audience_pregnant.role = 'pregnant_person' LIMIT 1)
              END))
        ))
    )))`;
}

/** The codes of the safety class, from the code list in force. */
export function safetyCodes(): string[] {
  return signalCodes()
    .codes.filter((c) => c.safety)
    .map((c) => c.key);
}

/** Whether a signal (table alias) is of the safety class: its code, or a Meldcode route rests on it. */
export function signalIsSafety(alias: string): RawBuilder<SqlBool> {
  const ref = (column: string) => sql.ref(`${alias}.${column}`);
  return sql<SqlBool>`(${ref('code')} = ANY(${sql.val(safetyCodes())}::text[]) OR EXISTS (
    SELECT 1 FROM meldcode_steps safety_step WHERE safety_step.family_id = ${ref('family_id')} AND safety_step.step = 1
      AND safety_step.content -> 'signalIds' @> jsonb_build_array(${ref('id')}::text)))`;
}

/** The entry tables that carry a professional's decision, and how each tells whom it concerns and its class. */
export const AUDIENCE_TABLES = {
  signal: { table: 'signals', concerns: true, safety: signalIsSafety },
  contact: { table: 'contacts', concerns: true, safety: () => sql<SqlBool>`false` },
  judgement: { table: 'judgements', concerns: false, safety: () => sql<SqlBool>`false` },
  plan_goal: { table: 'plan_goals', concerns: false, safety: () => sql<SqlBool>`false` },
  referral: { table: 'referrals', concerns: false, safety: () => sql<SqlBool>`false` },
} as const;
export type AudienceRecordType = keyof typeof AUDIENCE_TABLES;

/** An entry row of one of the tables above (its alias) as the rule sees it. */
export function audienceEntry(recordType: AudienceRecordType, alias: string): AudienceEntry {
  const kind = AUDIENCE_TABLES[recordType];
  return {
    concerns: kind.concerns ? sql.ref(`${alias}.concerns_person_id`) : sql`null::uuid`,
    audience: sql.ref(`${alias}.parents_audience`),
    safety: kind.safety(alias),
  };
}

/** Whether `reader` sees the entry `alias` of `recordType` (a where clause for the parents' Kring). */
export function parentSeesEntry(reader: string, recordType: AudienceRecordType, alias: string) {
  return parentSees(sql.val(reader), audienceEntry(recordType, alias));
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
  const rows = await db
    .selectFrom('persons as p')
    .select(['p.id', 'p.given_name'])
    .where('p.family_id', '=', familyId)
    .where(
      parentSees(sql.ref('p.id'), {
        concerns: sql`${entry.concernsPersonId}::uuid`,
        audience: sql`${entry.audience}::uuid[]`,
        safety: sql<SqlBool>`${entry.safety}::boolean`,
      }),
    )
    .orderBy(personOrder('p'))
    .execute();
  return rows.map((r) => ({ personId: r.id, givenName: r.given_name }));
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
export function audienceColumns(decision: ParentsAudienceInput | undefined, accountId: string) {
  return {
    parents_audience: decision?.persons ?? null,
    parents_audience_reason: decision?.reason ?? null,
    parents_audience_by_account_id: decision ? accountId : null,
  };
}

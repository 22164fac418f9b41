import type { Kysely } from 'kysely';
import { z } from 'zod';
import { WGBO_OWN_CONSENT_AGE } from '../consent/consent-rules.ts';
import { ADULT_ROLES, type DB, type PersonRole } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import type { RequestContext } from '../http/context.ts';
import { requireOpen, requireVersion } from './family-guards.ts';
import { ageInYears, todayIso } from './trajectory.ts';

export const ParentalAuthorityInput = z.strictObject({
  /**
   * The adults of the family who hold parental authority (gezag) over this child, from now on. May
   * be none: a guardian outside the family (a certified institution), or not settled yet.
   */
  holders: z.array(z.uuid('must be a UUID')).max(10),
  /** Why it changed: a recognition, a joint-authority registration, a court decision. */
  reason: z.string().trim().min(5, 'say why it changed (e.g. a court decision)').max(2000),
  version: z.number().int(),
});

/** Record that each of these adults holds parental authority over each of these children. */
export async function grantParentalAuthority(
  db: Kysely<DB>,
  grant: { familyId: string; childIds: string[]; adultIds: string[]; accountId: string; reason?: string },
): Promise<void> {
  const rows = grant.adultIds.flatMap((adultId) =>
    grant.childIds.map((childId) => ({
      child_id: childId,
      adult_id: adultId,
      family_id: grant.familyId,
      recorded_by_account_id: grant.accountId,
      reason: grant.reason ?? null,
    })),
  );
  if (rows.length) await db.insertInto('parental_authorities').values(rows).execute();
}

/**
 * Record who holds parental authority over one child of the family. It decides whose consent
 * counts for the child (consent-rules.ts) and which adults see what is about the child in their
 * own Kring (family-audience.ts) — per child, so a partner's child from an earlier relationship
 * is not the mother's to see, and a minor mother's parent may be her baby's guardian.
 */
export async function recordParentalAuthority(
  ctx: RequestContext,
  familyId: string,
  childId: string,
  input: z.infer<typeof ParentalAuthorityInput>,
) {
  return ctx.transaction(async (tx) => {
    const { family, persons } = await tx.families.open(familyId, 'family.write');
    requireOpen(family);
    const child = persons.find((p) => p.id === childId);
    if ((child?.role !== 'child' && child?.role !== 'sibling') || child.child_status === 'pregnancy_ended') {
      throw new AppError('VALIDATION_FAILED', 'Invalid parental authority.', {
        fields: [{ field: 'params.personId', message: 'not a child of this family' }],
      });
    }
    requireVersion(child, input.version, { version: child.version });
    const holders = [...new Set(input.holders)];
    const today = todayIso();
    const fields = holders.flatMap((id, index) => {
      const adult = persons.find((p) => p.id === id);
      if (!adult || !(ADULT_ROLES as readonly PersonRole[]).includes(adult.role)) {
        return [{ field: `body.holders.${index}`, message: 'not an adult of this family' }];
      }
      if (adult.birth_date && ageInYears(adult.birth_date, today) < WGBO_OWN_CONSENT_AGE) {
        return [{ field: `body.holders.${index}`, message: 'a parent under 16 cannot hold parental authority' }];
      }
      return [];
    });
    if (fields.length) throw new AppError('VALIDATION_FAILED', 'Invalid parental authority.', { fields });
    await tx.db.deleteFrom('parental_authorities').where('child_id', '=', childId).execute();
    await grantParentalAuthority(tx.db, {
      familyId,
      childIds: [childId],
      adultIds: holders,
      accountId: ctx.access.actor.accountId,
      reason: input.reason,
    });
    await tx.db
      .updateTable('persons')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', childId)
      .execute();
    await tx.audit({
      action: 'person.parental_authority',
      familyId,
      recordType: 'person',
      recordId: childId,
      details: { holders: holders.length },
    });
    return { ok: true as const };
  });
}

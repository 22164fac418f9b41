import { regiehouderOf } from '../consent/overrides.ts';
import type { Tx } from '../http/context.ts';

/** The organisation that answers the parents: the regiehouder's, or else the one that registered them. */
export async function mainContactOf(tx: Tx, familyId: string) {
  const regie = await regiehouderOf(tx.db, familyId);
  if (regie) return { accountId: regie.account_id, organisationId: regie.organisation_id };
  const family = await tx.db
    .selectFrom('families')
    .select('registered_by_organisation_id')
    .where('id', '=', familyId)
    .executeTakeFirstOrThrow();
  return { accountId: null, organisationId: family.registered_by_organisation_id };
}

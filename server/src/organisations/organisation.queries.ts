import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.ts';

/** The columns an account summary shows, shared by the members list and the account page. */
export function selectAccountSummary(db: Kysely<DB>) {
  return db
    .selectFrom('accounts')
    .select([
      'id',
      'display_name as displayName',
      'email',
      'kind',
      'discipline',
      'organisation_id as organisationId',
      'active',
    ])
    .select((eb) => eb('totp_enabled_at', 'is not', null).$castTo<boolean>().as('secondFactorEnabled'));
}

import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.ts';
import { AppError } from '../errors.ts';

/** A closed family record is read-only (retention counts from its closing). */
export function requireOpen(family: { status: 'open' | 'closed' }): void {
  if (family.status === 'closed') throw new AppError('RECORD_CLOSED', 'This family record is closed and read-only.');
}

/** Optimistic concurrency: the update names the version it read; an older one is refused with the current one. */
export function requireVersion(
  current: { version: number },
  sent: number,
  currentState: Record<string, unknown>,
): void {
  if (current.version !== sent) {
    throw new AppError('STALE_VERSION', 'Someone else changed this in the meantime. Check the current version.', {
      data: { current: currentState },
    });
  }
}

/** The ids must all be persons of this family (a forged id from another family is refused). */
export async function requireFamilyPersons(db: Kysely<DB>, familyId: string, personIds: string[], field: string) {
  if (!personIds.length) return;
  const found = await db
    .selectFrom('persons')
    .select('id')
    .where('family_id', '=', familyId)
    .where('id', 'in', personIds)
    .execute();
  if (found.length !== new Set(personIds).size) {
    throw new AppError('VALIDATION_FAILED', 'Unknown person.', {
      fields: [{ field, message: 'not a person of this family' }],
    });
  }
}

/** When no trajectory is open any more, the family record closes (the end of the 1001 days). */
export async function closeFamilyIfDone(db: Kysely<DB>, familyId: string): Promise<boolean> {
  const open = await db
    .selectFrom('trajectories')
    .select('id')
    .where('family_id', '=', familyId)
    .where('status', '=', 'open')
    .limit(1)
    .executeTakeFirst();
  if (open) return false;
  await db
    .updateTable('families')
    .set((eb) => ({ status: 'closed', closed_at: new Date(), version: eb('version', '+', 1) }))
    .where('id', '=', familyId)
    .execute();
  return true;
}

import { parentSeesEntry, readerSeesChild } from '../access/family-audience.ts';
import { personOrder } from '../database/schema.ts';
import { scheduleFor } from '../families/jgz-schedule.ts';
import { todayIso, trajectoryOn } from '../families/trajectory.ts';
import type { RequestContext } from '../http/context.ts';

/**
 * "Our journey" in the parents' own Kring: where they are in the 1001 days, the contacts that
 * were, who is in their care team and how to reach them, and what the plan says. A parent's
 * account belongs to one person of one family (parent_links): there is no family id to ask for,
 * so a parent can never name another family. Contacts and goals as far as this parent may see
 * them (access/family-audience.ts). Every read is audited, like a professional's.
 */
export async function readOurJourney(ctx: RequestContext) {
  return ctx.transaction(async (tx) => {
    const { familyId, personId, reader } = await tx.families.parent('portal.read');
    const [persons, trajectories, team, professionals, contacts, goals] = await Promise.all([
      tx.db
        .selectFrom('persons')
        .select(['id', 'given_name', 'role', 'child_status'])
        .where('family_id', '=', familyId)
        .orderBy(personOrder('persons'))
        .execute(),
      tx.db
        .selectFrom('trajectories')
        .select(['id', 'child_person_id', 'due_date', 'birth_date', 'pregnancy_ended_on', 'status'])
        .where('family_id', '=', familyId)
        .orderBy('created_at')
        .execute(),
      tx.db
        .selectFrom('care_team_organisations as cto')
        .innerJoin('organisations as o', 'o.id', 'cto.organisation_id')
        .select(['o.id', 'o.name', 'o.type', 'o.contact_phone', 'o.contact_email', 'o.opening_hours', 'cto.started_on'])
        .where('cto.family_id', '=', familyId)
        .where('cto.ended_on', 'is', null)
        .orderBy('cto.started_on')
        .execute(),
      tx.db
        .selectFrom('care_team_professionals as ctp')
        .innerJoin('accounts as a', 'a.id', 'ctp.account_id')
        .select(['ctp.organisation_id', 'a.display_name', 'a.discipline', 'ctp.is_regiehouder'])
        .where('ctp.family_id', '=', familyId)
        .execute(),
      tx.db
        .selectFrom('contacts as c')
        .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
        .select([
          'c.id',
          'c.occurred_on',
          'c.kind',
          'c.trajectory_id',
          'o.name as organisation_name',
          'o.type as organisation_type',
        ])
        .where('c.family_id', '=', familyId)
        .where(parentSeesEntry(reader, 'contact', 'c'))
        .orderBy('c.occurred_on', 'desc')
        .limit(50)
        .execute(),
      tx.db
        .selectFrom('plan_goals as g')
        .leftJoin('accounts as a', 'a.id', 'g.owner_account_id')
        .leftJoin('persons as p', 'p.id', 'g.owner_person_id')
        .select([
          'g.id',
          'g.goal',
          'g.evaluate_on',
          'g.status',
          'a.display_name as owner_professional',
          'p.given_name as owner_parent',
        ])
        .where('g.family_id', '=', familyId)
        .where(parentSeesEntry(reader, 'plan_goal', 'g'))
        .orderBy('g.evaluate_on')
        .execute(),
    ]);
    await tx.audit({ action: 'portal.read', familyId, recordType: 'family', recordId: familyId });
    const today = todayIso();
    return {
      me: personId,
      persons: persons.map((p) => ({ id: p.id, givenName: p.given_name, role: p.role, childStatus: p.child_status })),
      // A pregnancy is the pregnant person's (the partner's with her consent), a child's course its guardians'.
      trajectories: trajectories
        .filter((t) => t.child_person_id === null || readerSeesChild(reader, t.child_person_id))
        .map((t) => {
          const view = t.due_date
            ? trajectoryOn(
                { dueDate: t.due_date, birthDate: t.birth_date, pregnancyEndedOn: t.pregnancy_ended_on },
                today,
              )
            : null;
          return {
            id: t.id,
            childPersonId: t.child_person_id,
            dueDate: t.due_date,
            birthDate: t.birth_date,
            phase: view?.phase ?? ('preconception' as const),
            day: view?.day ?? null,
            gestationWeeks: view?.gestation?.weeks ?? null,
            ageDays: view?.ageDays ?? null,
            closed: t.status === 'closed',
            // The JGZ contact moments still to come (the default schedule, or the JGZ organisation's own), as parents plan them.
            coming:
              t.birth_date && t.status === 'open'
                ? scheduleFor(
                    t.birth_date,
                    contacts
                      .filter(
                        (c) => c.organisation_type === 'jgz' && (c.trajectory_id === null || c.trajectory_id === t.id),
                      )
                      .map((c) => ({ occurredOn: c.occurred_on, kind: c.kind })),
                    today,
                  )
                    .filter((item) => item.status !== 'done')
                    .slice(0, 3)
                    .map((item) => ({ on: item.targetDate, overdue: item.status === 'overdue' }))
                : [],
          };
        }),
      team: team.map((o) => ({
        organisationId: o.id,
        name: o.name,
        type: o.type,
        phone: o.contact_phone,
        email: o.contact_email,
        openingHours: o.opening_hours,
        since: o.started_on,
        professionals: professionals
          .filter((p) => p.organisation_id === o.id)
          .map((p) => ({ name: p.display_name, discipline: p.discipline, isRegiehouder: p.is_regiehouder })),
      })),
      contacts: contacts.map((c) => ({
        id: c.id,
        on: c.occurred_on,
        kind: c.kind,
        organisationName: c.organisation_name,
      })),
      plan: goals.map((g) => ({
        id: g.id,
        goal: g.goal,
        evaluateOn: g.evaluate_on,
        status: g.status,
        owner: g.owner_parent ?? g.owner_professional ?? null,
      })),
    };
  });
}

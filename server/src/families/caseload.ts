import { sql } from 'kysely';
import type { RequestContext } from '../http/context.ts';
import { scheduleFor } from './jgz-schedule.ts';
import { type Phase, todayIso, trajectoryOn } from './trajectory.ts';

/**
 * A professional's start page: the families they are assigned to, each open trajectory with
 * day X of 1001 and its phase, the next JGZ contact due, and open tasks. One audit event records
 * that the caseload (with how many families) was shown.
 */
export async function readCaseload(ctx: RequestContext, sort: 'day' | 'name' | 'next_contact') {
  const access = ctx.access;
  const accountId = access.actor.accountId;
  return ctx.transaction(async (tx) => {
    const families = await tx.db
      .selectFrom('families as f')
      .innerJoin('neighbourhoods as n', 'n.id', 'f.neighbourhood_id')
      .innerJoin('care_team_professionals as ctp', (join) =>
        join.onRef('ctp.family_id', '=', 'f.id').on('ctp.account_id', '=', accountId).on('ctp.ended_at', 'is', null),
      )
      .select(['f.id', 'n.name as neighbourhood', 'ctp.is_regiehouder'])
      .where(access.familyScope('f.id'))
      .where('f.status', '=', 'open')
      .execute();
    // The visible families once, then one array parameter per query (not the scope again, nor
    // hundreds of separate parameters).
    const inFamilies = (column: string) => sql<boolean>`${sql.ref(column)} = ANY(${families.map((f) => f.id)}::uuid[])`;
    const [persons, trajectories, jgzContacts, tasks] = families.length
      ? await Promise.all([
          tx.db
            .selectFrom('persons')
            .select(['id', 'family_id', 'role', 'given_name', 'family_name'])
            .where(inFamilies('family_id'))
            .where('role', 'in', ['pregnant_person', 'child'])
            .execute(),
          tx.db
            .selectFrom('trajectories')
            .select(['id', 'family_id', 'child_person_id', 'due_date', 'birth_date', 'pregnancy_ended_on'])
            .where(inFamilies('family_id'))
            .where('status', '=', 'open')
            .execute(),
          tx.db
            .selectFrom('contacts as c')
            .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
            .select(['c.family_id', 'c.trajectory_id', 'c.occurred_on', 'c.kind'])
            .where(inFamilies('c.family_id'))
            .where('o.type', '=', 'jgz')
            .execute(),
          tx.db
            .selectFrom('tasks')
            .select(['family_id'])
            .where(inFamilies('family_id'))
            .where('status', '=', 'open')
            .where((eb) =>
              eb.or([
                eb('assignee_account_id', '=', accountId),
                eb('assignee_organisation_id', '=', access.organisationId),
              ]),
            )
            .execute(),
        ])
      : [[], [], [], []];
    const today = todayIso();
    const byFamily = <T extends { family_id: string | null }>(list: T[]) => Map.groupBy(list, (row) => row.family_id);
    const personsById = new Map(persons.map((p) => [p.id, p]));
    const personsOf = byFamily(persons);
    const trajectoriesOf = byFamily(trajectories);
    const contactsOf = byFamily(jgzContacts);
    const tasksOf = byFamily(tasks);
    const rows = families.map((f) => {
      const main = personsOf.get(f.id)?.find((p) => p.role === 'pregnant_person');
      const own = trajectoriesOf.get(f.id) ?? [];
      let nextDueContact: string | null = null;
      const views = own.map((t) => {
        const child = t.child_person_id ? personsById.get(t.child_person_id) : undefined;
        const view = t.due_date
          ? trajectoryOn(
              { dueDate: t.due_date, birthDate: t.birth_date, pregnancyEndedOn: t.pregnancy_ended_on },
              today,
            )
          : null;
        if (t.birth_date) {
          const contacts = (contactsOf.get(f.id) ?? [])
            .filter((c) => c.trajectory_id === null || c.trajectory_id === t.id)
            .map((c) => ({ occurredOn: c.occurred_on, kind: c.kind }));
          const next = scheduleFor(t.birth_date, contacts, today).find((s) => s.status !== 'done');
          if (next && (nextDueContact === null || next.targetDate < nextDueContact)) nextDueContact = next.targetDate;
        }
        return {
          id: t.id,
          childName: child?.given_name ?? null,
          day: view?.day ?? null,
          phase: (view?.phase ?? 'preconception') as Phase,
        };
      });
      return {
        familyId: f.id,
        name: [main?.given_name, main?.family_name].filter(Boolean).join(' '),
        neighbourhood: f.neighbourhood,
        isRegiehouder: f.is_regiehouder,
        trajectories: views,
        nextDueContact,
        openTasks: tasksOf.get(f.id)?.length ?? 0,
      };
    });
    const firstDay = (r: (typeof rows)[number]) => Math.max(0, ...r.trajectories.map((t) => t.day ?? 0));
    rows.sort((a, b) =>
      sort === 'name'
        ? a.name.localeCompare(b.name)
        : sort === 'next_contact'
          ? (a.nextDueContact ?? '9999').localeCompare(b.nextDueContact ?? '9999')
          : firstDay(b) - firstDay(a),
    );
    await tx.audit({ action: 'caseload.read', details: { families: rows.length } });
    return { families: rows };
  });
}

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
    // The same set as a subquery: one parameter instead of hundreds of ids in each query below.
    const ids = tx.db
      .selectFrom('families as f')
      .select('f.id')
      .where(access.familyScope('f.id'))
      .where('f.status', '=', 'open');
    const [persons, trajectories, jgzContacts, tasks] = families.length
      ? await Promise.all([
          tx.db
            .selectFrom('persons')
            .select(['id', 'family_id', 'role', 'given_name', 'family_name'])
            .where('family_id', 'in', ids)
            .where('role', 'in', ['pregnant_person', 'child'])
            .execute(),
          tx.db
            .selectFrom('trajectories')
            .select(['id', 'family_id', 'child_person_id', 'due_date', 'birth_date', 'pregnancy_ended_on'])
            .where('family_id', 'in', ids)
            .where('status', '=', 'open')
            .execute(),
          tx.db
            .selectFrom('contacts as c')
            .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
            .select(['c.family_id', 'c.trajectory_id', 'c.occurred_on', 'c.kind'])
            .where('c.family_id', 'in', ids)
            .where('o.type', '=', 'jgz')
            .execute(),
          tx.db
            .selectFrom('tasks')
            .select(['family_id'])
            .where('family_id', 'in', ids)
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
    const rows = families.map((f) => {
      const main = persons.find((p) => p.family_id === f.id && p.role === 'pregnant_person');
      const own = trajectories.filter((t) => t.family_id === f.id);
      let nextDueContact: string | null = null;
      const views = own.map((t) => {
        const child = persons.find((p) => p.id === t.child_person_id);
        const view = t.due_date
          ? trajectoryOn(
              { dueDate: t.due_date, birthDate: t.birth_date, pregnancyEndedOn: t.pregnancy_ended_on },
              today,
            )
          : null;
        if (t.birth_date) {
          const contacts = jgzContacts
            .filter((c) => c.family_id === f.id && (c.trajectory_id === null || c.trajectory_id === t.id))
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
        openTasks: tasks.filter((task) => task.family_id === f.id).length,
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

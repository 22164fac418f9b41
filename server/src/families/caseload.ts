import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { RequestContext } from '../http/context.ts';
import { isLate, UNANSWERED } from '../referrals/referral.ts';
import { scheduleFor, scheduleOf } from './jgz-schedule.ts';
import { type Phase, todayIso, trajectoryOn } from './trajectory.ts';

/**
 * A professional's start page: the families they are assigned to, each open trajectory with
 * day X of 1001 and its phase, the next JGZ contact due, and open tasks. One audit event records
 * that the caseload (with how many families) was shown.
 */
export async function readCaseload(ctx: RequestContext, sort: 'day' | 'name' | 'next_contact') {
  const access = ctx.access;
  const accountId = access.actor.accountId;
  // One statement, driven by the actor's own assignments, with each family's parts as JSON arrays,
  // and the audit event counting the families shown.
  const families = await ctx.auditedRead(
    ctx.deps.database.db
      .selectFrom('care_team_professionals as ctp')
      .innerJoin('families as f', 'f.id', 'ctp.family_id')
      .innerJoin('neighbourhoods as n', 'n.id', 'f.neighbourhood_id')
      .leftJoin('persons as main', (join) =>
        join.onRef('main.family_id', '=', 'f.id').on('main.role', '=', 'pregnant_person'),
      )
      .select(['f.id', 'n.name as neighbourhood', 'ctp.is_regiehouder', 'main.given_name', 'main.family_name'])
      .select((eb) => [
        jsonArrayFrom(
          eb
            .selectFrom('trajectories as t')
            .leftJoin('persons as child', 'child.id', 't.child_person_id')
            .select(['t.id', 't.due_date', 't.birth_date', 't.pregnancy_ended_on', 'child.given_name as child_name'])
            .whereRef('t.family_id', '=', 'f.id')
            .where('t.status', '=', 'open'),
        ).as('trajectories'),
        jsonArrayFrom(
          eb
            .selectFrom('contacts as c')
            .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
            .select(['c.trajectory_id', 'c.occurred_on', 'c.kind'])
            .whereRef('c.family_id', '=', 'f.id')
            .where('o.type', '=', 'jgz'),
        ).as('jgzContacts'),
        eb
          .selectFrom('tasks')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('tasks.family_id', '=', 'f.id')
          .where('tasks.status', '=', 'open')
          .where((inner) =>
            inner.or([
              inner('tasks.assignee_account_id', '=', accountId),
              inner('tasks.assignee_organisation_id', '=', access.organisationId),
            ]),
          )
          .as('openTasks'),
        jsonArrayFrom(
          eb
            .selectFrom('referrals as r')
            .select(['r.status', 'r.sent_at'])
            .whereRef('r.family_id', '=', 'f.id')
            .where('r.status', 'in', [...UNANSWERED])
            .where((inner) =>
              inner.or([inner('r.from_organisation_id', '=', access.organisationId), inner.ref('ctp.is_regiehouder')]),
            ),
        ).as('unanswered'),
        eb
          .selectFrom('plan_goals as pg')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('pg.family_id', '=', 'f.id')
          .where('pg.status', '=', 'open')
          .where('pg.evaluate_on', '<=', todayIso())
          .where((inner) =>
            inner.or([inner('pg.organisation_id', '=', access.organisationId), inner.ref('ctp.is_regiehouder')]),
          )
          .as('evaluationsDue'),
        // An open Meldcode route of the actor's own organisation (its steps wait).
        eb
          .selectFrom('meldcode_routes as mr')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('mr.family_id', '=', 'f.id')
          .where('mr.status', '=', 'open')
          .where('mr.organisation_id', '=', access.organisationId)
          .as('openMeldcode'),
        // The contact schedule of the JGZ organisation in the team, when it has its own.
        eb
          .selectFrom('jgz_schedules as js')
          .innerJoin('care_team_organisations as jcto', 'jcto.organisation_id', 'js.organisation_id')
          .select('js.moments')
          .whereRef('jcto.family_id', '=', 'f.id')
          .where('jcto.ended_on', 'is', null)
          .limit(1)
          .as('jgz_schedule'),
      ])
      .where('ctp.account_id', '=', accountId)
      .where('ctp.ended_at', 'is', null)
      .where(ctx.families.inTeam('f.id'))
      .where('f.status', '=', 'open'),
    { action: 'caseload.read' },
    { countAs: 'families' },
  );
  const today = todayIso();
  const rows = families.map((f) => {
    let nextDueContact: string | null = null;
    let nextMoment: { key: string; status: 'due' | 'overdue' | 'upcoming' } | null = null;
    const views = f.trajectories.map((t) => {
      const view = t.due_date
        ? trajectoryOn({ dueDate: t.due_date, birthDate: t.birth_date, pregnancyEndedOn: t.pregnancy_ended_on }, today)
        : null;
      if (t.birth_date) {
        const contacts = f.jgzContacts
          .filter((c) => c.trajectory_id === null || c.trajectory_id === t.id)
          .map((c) => ({ occurredOn: c.occurred_on, kind: c.kind }));
        const next = scheduleFor(t.birth_date, contacts, today, scheduleOf(f.jgz_schedule)).find(
          (s) => s.status !== 'done',
        );
        if (next && next.status !== 'done' && (nextDueContact === null || next.targetDate < nextDueContact)) {
          nextDueContact = next.targetDate;
          nextMoment = { key: next.key, status: next.status };
        }
      }
      return {
        id: t.id,
        childName: t.child_name,
        day: view?.day ?? null,
        phase: (view?.phase ?? 'preconception') as Phase,
      };
    });
    return {
      familyId: f.id,
      name: [f.given_name, f.family_name].filter(Boolean).join(' '),
      neighbourhood: f.neighbourhood,
      isRegiehouder: f.is_regiehouder,
      trajectories: views,
      nextDueContact,
      /** Which JGZ moment that is, and whether it is due now or late. */
      nextMoment,
      openTasks: Number(f.openTasks ?? 0),
      evaluationsDue: Number(f.evaluationsDue ?? 0),
      openMeldcode: Number(f.openMeldcode ?? 0),
      lateReferrals: f.unanswered.filter((r) => isLate(r, ctx.config.referralAnswerDays, today)).length,
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
  return { families: rows };
}

import { type ExpressionBuilder, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '../database/schema.ts';
import type { RequestContext } from '../http/context.ts';
import { isLate, UNANSWERED } from '../referrals/referral.ts';
import { jgzScheduleOf, scheduleFor, scheduleOf } from './jgz-schedule.ts';
import { type Phase, todayIso, trajectoryOn } from './trajectory.ts';

/** Families on one page of the caseload. */
export const CASELOAD_PAGE_SIZE = 50;

/**
 * A professional's start page: the families they are assigned to, each open trajectory with
 * day X of 1001 and its phase, the next JGZ contact due, and open tasks — sorted and paged in the
 * server, 50 a page. The page is chosen first on the families' sort keys alone (day and name in
 * SQL; the next contact from the schedule, which needs only birth dates and JGZ contacts), then
 * only its families are read whole. One audit event records that the page (with how many
 * families) was shown.
 */
export async function readCaseload(ctx: RequestContext, query: { sort: CaseloadSort; page: number }) {
  const { ids, total } = await caseloadPage(ctx, query);
  const rows = ids.length ? await caseloadRows(ctx, ids) : [];
  const order = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => (order.get(a.familyId) ?? 0) - (order.get(b.familyId) ?? 0));
  return { families: rows, total, page: query.page, pageSize: CASELOAD_PAGE_SIZE };
}

export type CaseloadSort = 'day' | 'name' | 'next_contact';

/** The actor's open families, as a query to order and page. */
function myFamilies(ctx: RequestContext) {
  return ctx.deps.database.db
    .selectFrom('care_team_professionals as ctp')
    .innerJoin('families as f', 'f.id', 'ctp.family_id')
    .where('ctp.account_id', '=', ctx.access.actor.accountId)
    .where('ctp.ended_at', 'is', null)
    .where(ctx.families.inTeam('f.id'))
    .where('f.status', '=', 'open');
}

/** The ids of the families on the page asked for, in order, and how many there are in all. */
async function caseloadPage(
  ctx: RequestContext,
  { sort, page }: { sort: CaseloadSort; page: number },
): Promise<{ ids: string[]; total: number }> {
  const offset = (page - 1) * CASELOAD_PAGE_SIZE;
  if (sort === 'next_contact') {
    // The next JGZ moment follows from the schedule: worked out for every family, from little.
    const families = await myFamilies(ctx)
      .select((eb) => [
        'f.id',
        jsonArrayFrom(
          eb
            .selectFrom('trajectories as t')
            .select(['t.id', 't.birth_date'])
            .whereRef('t.family_id', '=', 'f.id')
            .where('t.status', '=', 'open')
            .where('t.birth_date', 'is not', null),
        ).as('trajectories'),
        jgzContactsOf(eb),
        jgzScheduleOf(eb),
      ])
      .execute();
    const today = todayIso();
    const keyed = families.map((f) => ({
      id: f.id,
      next: nextContact(f.trajectories, f.jgzContacts, f.jgz_schedule, today)?.targetDate ?? '9999',
    }));
    keyed.sort((a, b) => a.next.localeCompare(b.next) || a.id.localeCompare(b.id));
    return { ids: keyed.slice(offset, offset + CASELOAD_PAGE_SIZE).map((f) => f.id), total: keyed.length };
  }
  const ordered = myFamilies(ctx).select(['f.id', sql<string>`count(*) over ()`.as('total')]);
  // By name: the pregnant person's family name, then given name. By day X of 1001, which grows as
  // the due date lies further back: the earliest open due date first (no join of persons needed).
  const rows = await (sort === 'name'
    ? ordered
        .leftJoin('persons as main', (join) =>
          join.onRef('main.family_id', '=', 'f.id').on('main.role', '=', 'pregnant_person'),
        )
        .orderBy('main.family_name')
        .orderBy('main.given_name')
    : ordered.orderBy(
        (eb) =>
          eb
            .selectFrom('trajectories as t')
            .select((inner) => inner.fn<string>('min', ['t.due_date']).as('d'))
            .whereRef('t.family_id', '=', 'f.id')
            .where('t.status', '=', 'open'),
        (ob) => ob.asc().nullsLast(),
      )
  )
    .orderBy('f.id')
    .limit(CASELOAD_PAGE_SIZE)
    .offset(offset)
    .execute();
  const total = rows[0]
    ? Number(rows[0].total)
    : Number(
        (
          await myFamilies(ctx)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
  return { ids: rows.map((r) => r.id), total };
}

/** A family's JGZ contacts (for the schedule), as a JSON array column. */
function jgzContactsOf(eb: ExpressionBuilder<DB & { f: DB['families'] }, 'f'>) {
  return jsonArrayFrom(
    eb
      .selectFrom('contacts as c')
      .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
      .select(['c.trajectory_id', 'c.occurred_on', 'c.kind'])
      .whereRef('c.family_id', '=', 'f.id')
      .where('o.type', '=', 'jgz'),
  ).as('jgzContacts');
}

/** The family's next JGZ moment not yet done: the earliest over its born children. */
function nextContact(
  trajectories: { id: string; birth_date: string | null }[],
  jgzContacts: { trajectory_id: string | null; occurred_on: string; kind: string }[],
  schedule: Parameters<typeof scheduleOf>[0],
  today: string,
) {
  let next: ReturnType<typeof scheduleFor>[number] | undefined;
  for (const t of trajectories) {
    if (!t.birth_date) continue;
    const contacts = jgzContacts
      .filter((c) => c.trajectory_id === null || c.trajectory_id === t.id)
      .map((c) => ({ occurredOn: c.occurred_on, kind: c.kind }));
    const due = scheduleFor(t.birth_date, contacts, today, scheduleOf(schedule)).find((m) => m.status !== 'done');
    if (due && (next === undefined || due.targetDate < next.targetDate)) next = due;
  }
  return next;
}

/** The page's families, read whole (audited as the caseload shown). */
async function caseloadRows(ctx: RequestContext, ids: string[]) {
  const access = ctx.access;
  const accountId = access.actor.accountId;
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
        jgzContactsOf(eb),
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
        jgzScheduleOf(eb),
      ])
      .where('ctp.account_id', '=', accountId)
      .where('ctp.ended_at', 'is', null)
      .where(ctx.families.inTeam('f.id'))
      .where('f.status', '=', 'open')
      .where('f.id', 'in', ids),
    { action: 'caseload.read' },
    { countAs: 'families' },
  );
  const today = todayIso();
  return families.map((f) => {
    const next = nextContact(f.trajectories, f.jgzContacts, f.jgz_schedule, today);
    const views = f.trajectories.map((t) => {
      const view = t.due_date
        ? trajectoryOn({ dueDate: t.due_date, birthDate: t.birth_date, pregnancyEndedOn: t.pregnancy_ended_on }, today)
        : null;
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
      nextDueContact: next?.targetDate ?? null,
      /** Which JGZ moment that is, and whether it is due now or late. */
      nextMoment: next ? { key: next.key, status: next.status as 'due' | 'overdue' | 'upcoming' } : null,
      openTasks: Number(f.openTasks ?? 0),
      evaluationsDue: Number(f.evaluationsDue ?? 0),
      openMeldcode: Number(f.openMeldcode ?? 0),
      lateReferrals: f.unanswered.filter((r) => isLate(r, ctx.config.referralAnswerDays, today)).length,
    };
  });
}

import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { audienceDecisionOf } from '../access/family-audience.ts';
import { addDays, addMonths, phaseOn, todayIso } from '../families/trajectory.ts';
import type { RequestContext } from '../http/context.ts';
import { signalCodes } from './signal-codes.ts';

/** How many months back the picture's history goes (the 1001 days are about 33 months). */
const HISTORY_MONTHS = 36;

/**
 * "What stands between parent and child": the family's current signals grouped by domain (what
 * protects first), with source, date and organisation; the number of stress factors beside the
 * number of protective factors; and how both changed month by month. A picture, not a verdict:
 * no score, no colour from counts. One statement with its audit event; only what the actor's
 * organisation may read (its consent, per subject; a parent's own history only while that parent
 * consents to it).
 */
export async function readPicture(ctx: RequestContext, familyId: string) {
  const access = ctx.access;
  const [family] = await ctx.auditedRead(
    ctx.families
      .query(familyId)
      .select((eb) => [
        jsonArrayFrom(
          eb
            .selectFrom('signals as s')
            .innerJoin('organisations as o', 'o.id', 's.organisation_id')
            .innerJoin('accounts as a', 'a.id', 's.account_id')
            .selectAll('s')
            .select(['o.name as organisation_name', 'a.display_name as professional_name'])
            .whereRef('s.family_id', '=', 'f.id')
            .orderBy('s.created_at'),
        ).as('signals'),
        jsonArrayFrom(
          eb
            .selectFrom('trajectories as t')
            .select(['t.due_date', 't.birth_date', 't.pregnancy_ended_on'])
            .whereRef('t.family_id', '=', 'f.id')
            .where('t.due_date', 'is not', null)
            .orderBy('t.created_at', 'desc')
            .limit(1),
        ).as('trajectory'),
        jsonArrayFrom(
          eb
            .selectFrom('judgements as j')
            .innerJoin('organisations as jo', 'jo.id', 'j.organisation_id')
            .innerJoin('accounts as ja', 'ja.id', 'j.account_id')
            .leftJoin('accounts as jr', 'jr.id', 'j.reviewer_account_id')
            .leftJoin('accounts as jb', 'jb.id', 'j.reviewed_by_account_id')
            .selectAll('j')
            .select([
              'jo.name as organisation_name',
              'ja.display_name as professional_name',
              'jr.display_name as reviewer_name',
              'jb.display_name as reviewed_by_name',
            ])
            .whereRef('j.family_id', '=', 'f.id')
            .orderBy('j.created_at', 'desc'),
        ).as('judgements'),
        jsonArrayFrom(
          eb
            .selectFrom('parent_views as v')
            .select(['v.record_id', 'v.person_id', 'v.view', 'v.shown_to_family'])
            .whereRef('v.family_id', '=', 'f.id')
            .orderBy('v.updated_at'),
        ).as('parent_views'),
      ]),
    { action: 'family.picture.read', familyId, recordType: 'family', recordId: familyId },
    { onlyIfFound: true },
  );
  if (!family) throw access.familyNotFound('family.read', familyId);
  const codes = signalCodes();
  const { mayRead, maySeeSignal } = ctx.families.consent(family);
  const visible = family.signals.filter(maySeeSignal);
  const viewsOf = (recordId: string) =>
    family.parent_views
      .filter((v) => v.record_id === recordId)
      .map((v) => ({ personId: v.person_id, view: v.view, shownToFamily: v.shown_to_family }));
  const today = todayIso();
  const kindOf = (code: string) => codes.kindOf.get(code) ?? 'stress';
  const current = visible.filter((s) => s.status !== 'no_longer_present');
  const presentOn = (date: string) => {
    const present = visible.filter(
      (s) =>
        s.status !== 'unknown' &&
        (s.since ?? s.created_at.slice(0, 10)) <= date &&
        (s.ended_on === null || s.ended_on > date),
    );
    return {
      stress: present.filter((s) => kindOf(s.code) === 'stress').length,
      protective: present.filter((s) => kindOf(s.code) === 'protective').length,
    };
  };
  const first = visible.map((s) => s.since ?? s.created_at.slice(0, 10)).sort()[0];
  const trajectory = family.trajectory[0];
  // Month by month, back to the first signal: the counts at each month's end (this month: today).
  const months: string[] = [];
  if (first) {
    const thisMonth = `${today.slice(0, 7)}-01`;
    for (let i = 0; i < HISTORY_MONTHS; i++) {
      const date = i === 0 ? today : addDays(addMonths(thisMonth, -i + 1), -1);
      months.unshift(date);
      if (date.slice(0, 7) <= first.slice(0, 7)) break;
    }
  }
  const judgements = family.judgements.filter(mayRead);
  const inForce = judgements.find((j) => j.status === 'effective' || j.status === 'agreed');
  const domains = [...codes.domains].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'protective' ? -1 : 1));
  return {
    codeListVersion: codes.version,
    counts: {
      stress: current.filter((s) => s.status === 'present' && kindOf(s.code) === 'stress').length,
      protective: current.filter((s) => s.status === 'present' && kindOf(s.code) === 'protective').length,
    },
    domains: domains
      .map((domain) => ({
        domain: domain.key,
        kind: domain.kind,
        signals: current
          .filter((s) => codes.byKey.get(s.code)?.domain === domain.key)
          .map((s) => ({
            id: s.id,
            code: s.code,
            concernsPersonId: s.concerns_person_id,
            status: s.status,
            since: s.since,
            source: s.source,
            note: s.note,
            parentsViews: viewsOf(s.id),
            parentsAudience: audienceDecisionOf(s),
            category: s.category,
            reviewOn: s.review_on,
            reviewDue: s.review_on !== null && s.review_on <= today,
            organisationName: s.organisation_name,
            professionalName: s.professional_name,
            mine: s.organisation_id === access.organisationId,
            version: s.version,
          })),
      }))
      .filter((domain) => domain.signals.length > 0),
    ended: visible
      .filter((s) => s.status === 'no_longer_present')
      .map((s) => ({
        id: s.id,
        code: s.code,
        since: s.since,
        endedOn: s.ended_on,
        organisationName: s.organisation_name,
      })),
    history: months.map((date) => ({
      month: date.slice(0, 7),
      phase: trajectory?.due_date
        ? phaseOn(
            {
              dueDate: trajectory.due_date,
              birthDate: trajectory.birth_date,
              pregnancyEndedOn: trajectory.pregnancy_ended_on,
            },
            date,
          )
        : ('preconception' as const),
      ...presentOn(date),
    })),
    withheld: family.signals.length - visible.length + family.judgements.length - judgements.length,
    inForce: inForce ? { stressLevel: inForce.stress_level, intensity: inForce.intensity } : null,
    judgements: judgements.map((j) => ({
      id: j.id,
      stressLevel: j.stress_level,
      intensity: j.intensity,
      rationale: j.rationale,
      parentsView: j.parents_view,
      parentsViews: viewsOf(j.id),
      parentsAskForHelp: j.parents_ask_for_help,
      status: j.status,
      organisationName: j.organisation_name,
      professionalName: j.professional_name,
      reviewerName: j.reviewer_name,
      reviewedByName: j.reviewed_by_name,
      reviewComment: j.review_comment,
      createdAt: new Date(j.created_at).toISOString(),
      mayReview: j.status === 'proposed' && j.account_id !== access.actor.accountId,
      parentsAudience: audienceDecisionOf(j),
      version: j.version,
    })),
  };
}

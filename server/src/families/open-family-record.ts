import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { audienceDecisionOf } from '../access/family-audience.ts';
import type { RequestContext } from '../http/context.ts';
import { isLate } from '../referrals/referral.ts';
import type { FamilyRecordResponse } from './family.types.ts';
import { jgzScheduleOf, scheduleFor, scheduleOf } from './jgz-schedule.ts';
import { conceptionDate, todayIso as today, trajectoryOn } from './trajectory.ts';

/** Birth weight under 2500 g counts as low (WHO). */
export const LOW_BIRTH_WEIGHT_GRAMS = 2500;

/** Everything the family record page needs, in one request; audited as one read. */
export async function openFamilyRecord(ctx: RequestContext, familyId: string): Promise<FamilyRecordResponse> {
  const access = ctx.access;
  // One statement for the whole page and its audit event: the family, and each part as a JSON array.
  const [family] = await ctx.auditedRead(
    ctx.families.query(familyId).select((eb) => [
      jsonArrayFrom(
        eb.selectFrom('trajectories as t').selectAll('t').whereRef('t.family_id', '=', 'f.id').orderBy('t.created_at'),
      ).as('trajectories'),
      jsonArrayFrom(
        eb
          .selectFrom('care_team_organisations as cto')
          .innerJoin('organisations as o', 'o.id', 'cto.organisation_id')
          .select(['cto.organisation_id', 'cto.started_on', 'o.name', 'o.type'])
          .whereRef('cto.family_id', '=', 'f.id')
          .where('cto.ended_on', 'is', null)
          .orderBy('cto.started_on'),
      ).as('team'),
      jsonArrayFrom(
        eb
          .selectFrom('care_team_professionals as ctp')
          .innerJoin('accounts as a', 'a.id', 'ctp.account_id')
          .select(['ctp.organisation_id', 'ctp.account_id', 'ctp.is_regiehouder', 'a.display_name', 'a.discipline'])
          .whereRef('ctp.family_id', '=', 'f.id')
          .where('ctp.ended_at', 'is', null),
      ).as('professionals'),
      // The language each parent with their own Kring reads it in.
      jsonArrayFrom(
        eb
          .selectFrom('parent_links as pl')
          .innerJoin('accounts as pa', 'pa.id', 'pl.account_id')
          .select(['pl.person_id', 'pa.language'])
          .whereRef('pl.family_id', '=', 'f.id')
          .where('pa.active', '=', true),
      ).as('parent_languages'),
      // Until when the reader's own break-the-glass access lasts, if that is how they read it.
      eb
        .selectFrom('consent_overrides as eco')
        .select((inner) => inner.fn<Date>('max', ['eco.expires_at']).as('until'))
        .whereRef('eco.family_id', '=', 'f.id')
        .where('eco.kind', '=', 'break_the_glass')
        .where('eco.account_id', '=', access.actor.accountId)
        .where('eco.expires_at', '>', sql<Date>`now()`)
        .as('emergency_until'),
      jsonArrayFrom(
        eb
          .selectFrom('contacts as c')
          .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
          .innerJoin('accounts as a', 'a.id', 'c.account_id')
          .selectAll('c')
          .select(['o.name as organisation_name', 'o.type as organisation_type', 'a.display_name as professional_name'])
          .whereRef('c.family_id', '=', 'f.id')
          .orderBy('c.occurred_on', 'desc'),
      ).as('contacts'),
      jsonArrayFrom(
        eb
          .selectFrom('handovers as h')
          .innerJoin('organisations as fo', 'fo.id', 'h.from_organisation_id')
          .innerJoin('organisations as to', 'to.id', 'h.to_organisation_id')
          .select(['h.id', 'h.status', 'h.summary', 'h.created_at', 'fo.name as from_name', 'to.name as to_name'])
          .whereRef('h.family_id', '=', 'f.id')
          .orderBy('h.created_at', 'desc'),
      ).as('handovers'),
      jsonArrayFrom(
        eb
          .selectFrom('tasks as jr')
          .innerJoin('organisations as ro', (join) =>
            join.on(sql<boolean>`ro.id = (jr.details->>'requestingOrganisationId')::uuid`),
          )
          .innerJoin('accounts as ra', (join) =>
            join.on(sql<boolean>`ra.id = (jr.details->>'requestingAccountId')::uuid`),
          )
          .select(['jr.id', 'jr.version', 'jr.created_at', 'ro.name as organisation_name', 'ra.display_name'])
          .whereRef('jr.family_id', '=', 'f.id')
          .where('jr.kind', '=', 'join_request')
          .where('jr.status', '=', 'open')
          .where('jr.assignee_organisation_id', '=', access.organisationId),
      ).as('joinRequests'),
      jsonArrayFrom(
        eb
          .selectFrom('signals as sg')
          .innerJoin('organisations as sgo', 'sgo.id', 'sg.organisation_id')
          .select([
            'sg.code',
            'sg.since',
            'sg.created_at',
            'sg.status',
            'sg.category',
            'sg.organisation_id',
            'sg.concerns_person_id',
            'sgo.name as organisation_name',
          ])
          .whereRef('sg.family_id', '=', 'f.id')
          .where('sg.status', '!=', 'unknown'),
      ).as('signals'),
      jsonArrayFrom(
        eb
          .selectFrom('judgements as jg')
          .innerJoin('organisations as jgo', 'jgo.id', 'jg.organisation_id')
          .select([
            'jg.created_at',
            'jg.intensity',
            'jg.status',
            'jg.category',
            'jg.organisation_id',
            'jgo.name as organisation_name',
          ])
          .whereRef('jg.family_id', '=', 'f.id'),
      ).as('judgements'),
      jsonArrayFrom(
        eb
          .selectFrom('guide_responses as gr')
          .innerJoin('organisations as gro', 'gro.id', 'gr.organisation_id')
          .innerJoin('accounts as gra', 'gra.id', 'gr.account_id')
          .select([
            'gr.created_at',
            'gr.guide_key',
            'gr.category',
            'gr.organisation_id',
            'gr.concerns_person_id',
            'gro.name as organisation_name',
            'gra.display_name as professional_name',
          ])
          .whereRef('gr.family_id', '=', 'f.id'),
      ).as('guideResponses'),
      jsonArrayFrom(
        eb
          .selectFrom('referrals as rf')
          .innerJoin('organisations as rfo', 'rfo.id', 'rf.from_organisation_id')
          .innerJoin('organisations as rto', 'rto.id', 'rf.to_organisation_id')
          .select([
            'rf.id',
            'rf.parents_audience',
            'rf.parents_audience_reason',
            'rf.from_organisation_id',
            'rf.to_organisation_id',
            'rf.intervention_key',
            'rf.status',
            'rf.urgency',
            'rf.reason',
            'rf.sent_at',
            'rf.accepted_at',
            'rf.started_at',
            'rf.closed_at',
            'rf.created_at',
            'rf.expected_start_on',
            'rf.help_received',
            'rf.version',
            'rfo.name as from_name',
            'rto.name as to_name',
          ])
          .whereRef('rf.family_id', '=', 'f.id')
          .where((w) => w.or([w('rf.status', '!=', 'draft'), w('rf.from_organisation_id', '=', access.organisationId)]))
          .orderBy('rf.created_at', 'desc'),
      ).as('referrals'),
      jsonArrayFrom(
        eb
          .selectFrom('plan_goals as pg')
          .innerJoin('organisations as pgo', 'pgo.id', 'pg.organisation_id')
          .select(['pg.created_at', 'pg.updated_at', 'pg.status', 'pg.category', 'pg.organisation_id'])
          .select('pgo.name as organisation_name')
          .whereRef('pg.family_id', '=', 'f.id'),
      ).as('goals'),
      jgzScheduleOf(eb),
    ]),
    { action: 'family.read', familyId, recordType: 'family', recordId: familyId },
    { onlyIfFound: true },
  );
  if (!family) throw access.familyNotFound('family.read', familyId);
  const { persons, consents, trajectories, team, professionals, contacts, handovers, joinRequests } = family;
  const { mine, mayRead, maySeeSignal } = ctx.families.consent(family);
  const visibleSignals = family.signals.filter(maySeeSignal);
  const visibleJudgements = family.judgements.filter(mayRead);
  const visibleGuides = family.guideResponses.filter(mayRead);

  const now = today();
  const jgzContacts = contacts
    .filter((c) => c.organisation_type === 'jgz')
    .map((c) => ({ occurredOn: c.occurred_on, kind: c.kind, trajectoryId: c.trajectory_id }));
  const visibleContacts = contacts.filter(mayRead);
  const schedule = scheduleOf(family.jgz_schedule);
  const underOts = persons.some((p) => p.protection_measure === 'ots');

  return {
    family: {
      id: family.id,
      status: family.status,
      version: family.version,
      street: family.street,
      houseNumber: family.house_number,
      postcode: family.postcode,
      city: family.city,
      neighbourhood: family.neighbourhood,
      language: family.language,
      interpreterNeeded: family.interpreter_needed,
    },
    persons: persons.map((p) => ({
      id: p.id,
      role: p.role,
      givenName: p.given_name,
      familyName: p.family_name,
      birthDate: p.birth_date,
      bsn: p.bsn,
      authorityOver: p.authority_over,
      childStatus: p.child_status,
      sex: p.sex,
      version: p.version,
      kringLanguage: family.parent_languages.find((l) => l.person_id === p.id)?.language ?? null,
      protectionMeasure:
        p.protection_measure && p.protection_measure_since
          ? {
              kind: p.protection_measure,
              since: p.protection_measure_since,
              organisationName: p.protection_organisation_name,
            }
          : null,
    })),
    trajectories: trajectories.map((t) => {
      const facts = t.due_date
        ? { dueDate: t.due_date, birthDate: t.birth_date, pregnancyEndedOn: t.pregnancy_ended_on }
        : null;
      const view = facts ? trajectoryOn(facts, now) : null;
      /** Where a date falls on this trajectory's ribbon: its day of 1001 and its phase. */
      const placed = (date: string) => {
        const at = facts && date >= conceptionDate(facts.dueDate) ? trajectoryOn(facts, date) : null;
        return { date, day: at?.day ?? null, phase: at?.phase ?? ('preconception' as const) };
      };
      const events = [
        ...visibleContacts
          .filter((c) => c.trajectory_id === null || c.trajectory_id === t.id)
          .map((c) => ({
            ...placed(c.occurred_on),
            kind: 'contact' as const,
            what: c.kind as string,
            organisationName: c.organisation_name,
            professionalName: c.professional_name as string | null,
          })),
        ...handovers
          .filter((h) => h.status === 'accepted' || h.status === 'pending')
          .map((h) => ({
            ...placed(new Date(h.created_at).toISOString().slice(0, 10)),
            kind: 'handover' as const,
            what: h.status as string,
            organisationName: `${h.from_name} → ${h.to_name}`,
            professionalName: null,
          })),
        ...visibleSignals.map((sg) => ({
          ...placed(sg.since ?? new Date(sg.created_at).toISOString().slice(0, 10)),
          kind: 'signal' as const,
          what: sg.code,
          organisationName: sg.organisation_name,
          professionalName: null,
        })),
        ...visibleGuides.map((g) => ({
          ...placed(new Date(g.created_at).toISOString().slice(0, 10)),
          kind: 'guide' as const,
          what: g.guide_key,
          organisationName: g.organisation_name,
          professionalName: g.professional_name as string | null,
        })),
        ...visibleJudgements.map((j) => ({
          ...placed(new Date(j.created_at).toISOString().slice(0, 10)),
          kind: 'judgement' as const,
          what: `${j.intensity}:${j.status}`,
          organisationName: j.organisation_name,
          professionalName: null,
        })),
        ...family.referrals
          .filter((r) => r.sent_at)
          .map((r) => ({
            ...placed(
              new Date(r.closed_at ?? r.started_at ?? r.accepted_at ?? r.sent_at ?? r.created_at)
                .toISOString()
                .slice(0, 10),
            ),
            kind: 'referral' as const,
            what: `${r.intervention_key ?? 'assessment'}:${r.status}`,
            organisationName: `${r.from_name} → ${r.to_name}`,
            professionalName: null,
          })),
        ...family.goals.filter(mayRead).flatMap((g) => [
          {
            ...placed(new Date(g.created_at).toISOString().slice(0, 10)),
            kind: 'goal' as const,
            what: 'open',
            organisationName: g.organisation_name,
            professionalName: null,
          },
          ...(g.status === 'open'
            ? []
            : [
                {
                  ...placed(new Date(g.updated_at).toISOString().slice(0, 10)),
                  kind: 'goal' as const,
                  what: g.status as string,
                  organisationName: g.organisation_name,
                  professionalName: null,
                },
              ]),
        ]),
        ...(t.birth_date
          ? [
              {
                ...placed(t.birth_date),
                kind: 'birth' as const,
                what: 'birth',
                organisationName: t.birth_place ?? '',
                professionalName: null,
              },
            ]
          : []),
      ].sort((a, b) => a.date.localeCompare(b.date));
      return {
        id: t.id,
        kind: t.kind,
        childPersonId: t.child_person_id,
        status: t.status,
        dueDate: t.due_date,
        lmpDate: t.lmp_date,
        birthDate: t.birth_date,
        birthWeightGrams: t.birth_weight_grams,
        birthPlace: t.birth_place,
        pregnancyEndedOn: t.pregnancy_ended_on,
        version: t.version,
        view: view && {
          ...view,
          lowBirthWeight: t.birth_weight_grams !== null && t.birth_weight_grams < LOW_BIRTH_WEIGHT_GRAMS,
        },
        events,
        schedule:
          t.birth_date && t.status === 'open'
            ? scheduleFor(
                t.birth_date,
                jgzContacts.filter((c) => c.trajectoryId === null || c.trajectoryId === t.id),
                now,
                schedule,
              )
            : [],
      };
    }),
    team: team.map((member) => ({
      organisationId: member.organisation_id,
      organisationName: member.name,
      organisationType: member.type,
      startedOn: member.started_on,
      professionals: professionals
        .filter((p) => p.organisation_id === member.organisation_id)
        .map((p) => ({
          accountId: p.account_id,
          name: p.display_name,
          discipline: p.discipline,
          isRegiehouder: p.is_regiehouder,
          legalRole: member.type === 'gecertificeerde_instelling' && underOts ? ('gezinsvoogd' as const) : null,
        })),
    })),
    consent: {
      mine,
      entries: consents.map((c) => ({
        id: c.id,
        personId: c.person_id,
        purpose: c.purpose,
        organisationId: c.organisation_id,
        category: c.category,
        givenHow: c.given_how,
        recordedAt: new Date(c.recorded_at).toISOString(),
      })),
    },
    contacts: visibleContacts.map((c) => ({
      id: c.id,
      occurredOn: c.occurred_on,
      kind: c.kind,
      organisationId: c.organisation_id,
      organisationName: c.organisation_name,
      professionalName: c.professional_name,
      concernsPersonId: c.concerns_person_id,
      presentPersonIds: c.present_person_ids,
      othersPresent: c.others_present,
      interpreterUsed: c.interpreter_used,
      note: c.note,
      category: c.category,
      parentsAudience: audienceDecisionOf(c),
      version: c.version,
    })),
    withheldEntries: contacts.length - visibleContacts.length,
    handovers: handovers.map((h) => ({
      id: h.id,
      fromOrganisationName: h.from_name,
      toOrganisationName: h.to_name,
      status: h.status,
      summary: h.summary,
      createdAt: new Date(h.created_at).toISOString(),
    })),
    emergency: family.emergency_access,
    emergencyUntil:
      family.emergency_access && family.emergency_until ? new Date(family.emergency_until).toISOString() : null,
    referrals: family.referrals.map((r) => {
      const mine = r.from_organisation_id === access.organisationId || r.to_organisation_id === access.organisationId;
      return {
        id: r.id,
        fromOrganisationName: r.from_name,
        toOrganisationName: r.to_name,
        interventionKey: r.intervention_key,
        status: r.status,
        urgency: r.urgency,
        reason: mine ? r.reason : null,
        sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
        expectedStartOn: r.expected_start_on,
        helpReceived: r.help_received,
        late: isLate(r, ctx.config.referralAnswerDays),
        mine,
        parentsAudience: audienceDecisionOf(r),
        version: r.version,
      };
    }),
    joinRequests: joinRequests.map((r) => ({
      taskId: r.id,
      organisationName: r.organisation_name,
      professionalName: r.display_name,
      requestedAt: new Date(r.created_at).toISOString(),
      version: r.version,
    })),
    me: {
      isRegiehouder: professionals.some((p) => p.account_id === access.actor.accountId && p.is_regiehouder),
      organisationId: access.organisationId,
    },
  };
}

import { z } from 'zod';
import en from '../../../web/src/i18n/en.json' with { type: 'json' };
import nl from '../../../web/src/i18n/nl.json' with { type: 'json' };
import ar from '../../../web/src/i18n/parents/ar.json' with { type: 'json' };
import pl from '../../../web/src/i18n/parents/pl.json' with { type: 'json' };
import tr from '../../../web/src/i18n/parents/tr.json' with { type: 'json' };
import uk from '../../../web/src/i18n/parents/uk.json' with { type: 'json' };
import { parentSeesEntry, readerSeesChild } from '../access/family-audience.ts';
import { type Language, PARENT_LANGUAGES } from '../accounts/languages.ts';
import { personOrder } from '../database/schema.ts';
import type { RequestContext } from '../http/context.ts';
import { cachedCatalogue } from '../interventions/find-interventions.ts';
import { inLanguage, parentText, signalCodes } from '../signals/signal-codes.ts';

import { ParentViewsShape, viewsFor } from './parent-views.ts';
import { accessLogFor } from './who-looked.ts';

/** A moment as the database gives it (a Date) or as JSON carries it (ISO text). */
const Moment = z.union([z.date(), z.string()]).transform((d) => (d instanceof Date ? d.toISOString() : d));
const Day = z.string().nullable();
const Label = z.string().nullable();

/**
 * The export's shape — its keys are stable (the database's names); beside each code stands its
 * wording in the parent's language (`…_label`), and `labels` names every part and field. The
 * readable page in the parents' Kring is drawn from the same answer.
 */
export const OurDataExport = z.object({
  exportedAt: z.string(),
  language: z.enum(PARENT_LANGUAGES),
  about: z.string(),
  /** What each part (`persons`) and field (`persons.birth_date`) is called, in the parent's language. */
  labels: z.record(z.string(), z.string()),
  family: z.object({
    street: z.string().nullable(),
    house_number: z.string().nullable(),
    postcode: z.string().nullable(),
    city: z.string().nullable(),
    language: z.string().nullable(),
    language_label: Label,
    interpreter_needed: z.boolean(),
    status: z.string(),
    created_at: Moment,
  }),
  persons: z.array(
    z.object({
      id: z.uuid(),
      role: z.string(),
      role_label: Label,
      given_name: z.string().nullable(),
      family_name: z.string().nullable(),
      birth_date: Day.optional(),
      bsn: z.string().nullable().optional(),
      child_status: z.string().nullable().optional(),
      child_status_label: Label.optional(),
      sex: z.string().nullable().optional(),
      sex_label: Label.optional(),
    }),
  ),
  trajectories: z.array(
    z.object({
      kind: z.string(),
      due_date: Day,
      birth_date: Day,
      birth_weight_grams: z.number().nullable(),
      pregnancy_ended_on: Day,
      status: z.string(),
    }),
  ),
  contacts: z.array(
    z.object({
      occurred_on: z.string(),
      kind: z.string(),
      kind_label: Label,
      note: z.string().nullable(),
      organisation: z.string(),
    }),
  ),
  signals: z.array(
    z.object({
      code: z.string(),
      /** The code in plain words, in the parent's language. */
      textForParents: z.string(),
      concerns_person_id: z.uuid().nullable(),
      concerns: z.string().nullable(),
      status: z.string(),
      status_label: Label,
      since: Day,
      source: z.string(),
      source_label: Label,
      note: z.string().nullable(),
      created_at: Moment,
      organisation: z.string(),
      /** This parent's own view, and the views the other adults chose to show the family. */
      ...ParentViewsShape,
    }),
  ),
  judgements: z.array(
    z.object({
      stress_level: z.string(),
      intensity: z.string(),
      intensity_label: Label,
      rationale: z.string(),
      parents_view: z.string().nullable(),
      status: z.string(),
      created_at: Moment,
      organisation: z.string(),
      /** This parent's own view, and the views the other adults chose to show the family. */
      ...ParentViewsShape,
    }),
  ),
  plan: z.object({
    goals: z.array(
      z.object({
        goal: z.string(),
        evaluate_on: Day,
        status: z.string(),
        status_label: Label,
        evaluation: z.string().nullable(),
      }),
    ),
    actions: z.array(z.object({ action: z.string(), due_on: Day, status: z.string(), status_label: Label })),
  }),
  referrals: z.array(
    z.object({
      intervention_key: z.string().nullable(),
      intervention: Label,
      reason: z.string(),
      status: z.string(),
      status_label: Label,
      created_at: Moment,
      to_organisation: z.string(),
    }),
  ),
  consents: z.array(
    z.object({
      person_id: z.uuid().nullable(),
      person: z.string().nullable(),
      purpose: z.string(),
      purpose_label: Label,
      category: z.string().nullable(),
      category_label: Label,
      given_how: z.string().nullable(),
      given_how_label: Label,
      recorded_at: Moment,
      withdrawn_at: Moment.nullable(),
      organisation: z.string().nullable(),
    }),
  ),
  correctionAndDeletionRequests: z.array(
    z.object({
      kind: z.string(),
      kind_label: Label,
      record_type: z.string().nullable(),
      record_type_label: Label,
      request_text: z.string(),
      status: z.string(),
      status_label: Label,
      decision_ground: z.string().nullable(),
      decision_reason: z.string().nullable(),
      created_at: Moment,
      decided_at: Moment.nullable(),
    }),
  ),
  accessLog: z.array(
    z.object({
      occurred_at: Moment,
      action: z.string(),
      what_label: Label,
      outcome: z.string(),
      actor_role: z.string().nullable(),
      organisation: z.string().nullable(),
    }),
  ),
});

const TEXTS: Record<Language, unknown> = { nl, en, ar, tr, pl, uk };

/** The text at a path of the app's texts in one language (the parents' languages hold only the parents' texts). */
function textAt(language: Language, path: string[]): unknown {
  let node: unknown = TEXTS[language];
  for (const part of path)
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

/** The wording of a code in the app's texts (`roles.partner`), in the given language or else Dutch; null when there is none. */
function wording(language: Language, path: string, code: string | null | undefined): string | null {
  if (code === null || code === undefined) return null;
  const at = [...path.split('.'), code];
  const text = textAt(language, at) ?? textAt('nl', at);
  return typeof text === 'string' ? text : null;
}

/** The names of the export's parts and fields, in the given language (Dutch where a name is not translated). */
function exportLabels(language: Language): Record<string, string> {
  const names = (lang: Language) => ({
    ...(textAt(lang, ['portal', 'dataParts']) as Record<string, string> | undefined),
    ...(textAt(lang, ['portal', 'dataFields']) as Record<string, string> | undefined),
  });
  return { ...names('nl'), ...names(language) };
}

/**
 * "Our data" (AVG art. 15, the right of access): everything Kring holds about the family, for a
 * parent to download — machine-readable JSON, and the same shown as a page to print or save as
 * PDF. Per person (WGBO 7:456: the right of access is to data about oneself): exactly what this
 * parent may see in the parents' Kring (access/family-audience.ts) — professionals' own words
 * included, what is about the other adult not; of the other persons, only who they are; the access
 * log as "who looked" shows it to this parent. The export itself is audited.
 */
export async function exportOurData(ctx: RequestContext) {
  // The catalogue is no family data: the process's cache of it, read before the transaction (whose
  // own database handle would miss the cache every time; on PGlite it holds the one connection).
  const catalogue = await cachedCatalogue(ctx.deps.database.db);
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.export');
    const { familyId } = link;
    const [
      family,
      persons,
      trajectories,
      contacts,
      signals,
      judgements,
      goals,
      actions,
      referrals,
      consents,
      requests,
      audit,
      views,
    ] = await Promise.all([
      tx.db
        .selectFrom('families')
        .select([
          'street',
          'house_number',
          'postcode',
          'city',
          'language',
          'interpreter_needed',
          'status',
          'created_at',
        ])
        .where('id', '=', familyId)
        .executeTakeFirstOrThrow(),
      tx.db
        .selectFrom('persons')
        .select(['id', 'role', 'given_name', 'family_name', 'birth_date', 'bsn', 'child_status', 'sex'])
        .where('family_id', '=', familyId)
        .orderBy(personOrder('persons'))
        .execute(),
      tx.db
        .selectFrom('trajectories')
        .select([
          'kind',
          'child_person_id',
          'due_date',
          'birth_date',
          'birth_weight_grams',
          'pregnancy_ended_on',
          'status',
        ])
        .where('family_id', '=', familyId)
        .execute(),
      tx.db
        .selectFrom('contacts as c')
        .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
        .select(['c.occurred_on', 'c.kind', 'c.note', 'o.name as organisation'])
        .where('c.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'contact', 'c'))
        .orderBy('c.occurred_on')
        .execute(),
      tx.db
        .selectFrom('signals as s')
        .innerJoin('organisations as o', 'o.id', 's.organisation_id')
        .select([
          's.code',
          's.concerns_person_id',
          's.status',
          's.since',
          's.source',
          's.note',
          's.id',
          's.created_at',
          'o.name as organisation',
        ])
        .where('s.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'signal', 's'))
        .orderBy('s.created_at')
        .execute(),
      tx.db
        .selectFrom('judgements as j')
        .innerJoin('organisations as o', 'o.id', 'j.organisation_id')
        .select([
          'j.id',
          'j.stress_level',
          'j.intensity',
          'j.rationale',
          'j.parents_view',
          'j.status',
          'j.created_at',
          'o.name as organisation',
        ])
        .where('j.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'judgement', 'j'))
        .orderBy('j.created_at')
        .execute(),
      tx.db
        .selectFrom('plan_goals as g')
        .select(['g.goal', 'g.evaluate_on', 'g.status', 'g.evaluation'])
        .where('g.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'plan_goal', 'g'))
        .execute(),
      tx.db
        .selectFrom('plan_actions as pa')
        .innerJoin('plan_goals as g', 'g.id', 'pa.goal_id')
        .select(['pa.action', 'pa.due_on', 'pa.status'])
        .where('pa.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'plan_goal', 'g'))
        .execute(),
      tx.db
        .selectFrom('referrals as r')
        .innerJoin('organisations as o', 'o.id', 'r.to_organisation_id')
        .select(['r.intervention_key', 'r.reason', 'r.status', 'r.created_at', 'o.name as to_organisation'])
        .where('r.family_id', '=', familyId)
        .where(parentSeesEntry(link.reader, 'referral', 'r'))
        .execute(),
      tx.db
        .selectFrom('consents as c')
        .leftJoin('organisations as o', 'o.id', 'c.organisation_id')
        .select([
          'c.person_id',
          'c.purpose',
          'c.category',
          'c.given_how',
          'c.recorded_at',
          'c.withdrawn_at',
          'o.name as organisation',
        ])
        .where('c.family_id', '=', familyId)
        .where('c.person_id', '=', link.personId)
        .execute(),
      tx.db
        .selectFrom('data_requests')
        .select([
          'kind',
          'record_type',
          'request_text',
          'status',
          'decision_ground',
          'decision_reason',
          'created_at',
          'decided_at',
        ])
        .where('family_id', '=', familyId)
        .where('requested_by_person_id', '=', link.personId)
        .execute(),
      accessLogFor(tx, link).orderBy('e.occurred_at').execute(),
      viewsFor(tx, link),
    ]);
    await tx.audit({ action: 'portal.export', familyId, recordType: 'family', recordId: familyId });
    const codes = signalCodes();
    const { reader } = link;
    const language = ctx.access.actor.language;
    const say = (path: string, code: string | null | undefined) => wording(language, path, code);
    const nameOf = (id: string | null) => persons.find((p) => p.id === id)?.given_name ?? null;
    const interventionName = (key: string | null) => {
      const entry = catalogue.find((i) => i.definition.key === key);
      return entry ? entry.definition.name[language === 'en' ? 'en' : 'nl'] : null;
    };
    const languageName = (code: string | null) => {
      if (!code) return null;
      try {
        return new Intl.DisplayNames([language], { type: 'language' }).of(code) ?? code;
      } catch {
        return code;
      }
    };
    return {
      exportedAt: new Date().toISOString(),
      language,
      about: say('portal', 'dataAbout') ?? '',
      labels: exportLabels(language),
      family: { ...family, language_label: languageName(family.language) },
      // Who the others are; an adult's birth date and BSN are that adult's own, a child's go to
      // the adults with parental authority over that child (and, before birth, the pregnant person).
      persons: persons.map((p) => {
        const seen =
          p.id === link.personId || readerSeesChild(reader, p.id)
            ? {
                ...p,
                child_status_label: say('childStatus', p.child_status),
                sex_label: p.role === 'child' ? say('sexes', p.sex) : null,
              }
            : { id: p.id, role: p.role, given_name: p.given_name, family_name: p.family_name };
        // After a birth the pregnant person is the mother.
        const role = p.role === 'pregnant_person' && trajectories.some((t) => t.birth_date) ? 'mother' : p.role;
        return { ...seen, role_label: say('roles', role) };
      }),
      // A pregnancy and its end are the pregnant person's, a child's course its guardians'.
      trajectories: trajectories
        .filter((t) => t.child_person_id === null || readerSeesChild(reader, t.child_person_id))
        .map(({ child_person_id: _child, ...t }) => t),
      contacts: contacts.map((c) => ({ ...c, kind_label: say('contactKinds', c.kind) })),
      signals: signals.map(({ id, ...s }) => ({
        ...s,
        ...views(id),
        concerns: nameOf(s.concerns_person_id),
        status_label: say('portal.dataValues.signalStatus', s.status),
        source_label: say('picture.source', s.source),
        textForParents: inLanguage(parentText(codes.byKey.get(s.code), s.code), language),
      })),
      judgements: judgements.map(({ id, ...j }) => ({
        ...j,
        ...views(id),
        intensity_label: say('portal.intensities', j.intensity),
      })),
      plan: {
        goals: goals.map((g) => ({ ...g, status_label: say('plan.goalStatus', g.status) })),
        actions: actions.map((a) => ({ ...a, status_label: say('plan.actionStatus', a.status) })),
      },
      referrals: referrals.map((r) => ({
        ...r,
        intervention: interventionName(r.intervention_key),
        status_label: say('referrals.status', r.status),
      })),
      consents: consents.map((c) => ({
        ...c,
        person: nameOf(c.person_id),
        purpose_label: say('record.purposes', c.purpose),
        category_label: say('categories', c.category),
        given_how_label: say('givenHow', c.given_how),
      })),
      correctionAndDeletionRequests: requests.map((r) => ({
        ...r,
        kind_label: say('dataRequests.kinds', r.kind),
        record_type_label: say('dataRequests.recordTypes', r.record_type),
        status_label: say('dataRequests.statuses', r.status),
      })),
      accessLog: audit.map(({ id: _id, held_back: _heldBack, actor_account_id: _account, ...e }) => ({
        ...e,
        what_label: say('portal.areas', e.action.split('.')[0]) ?? say('portal.areas', 'family'),
      })),
    };
  });
}

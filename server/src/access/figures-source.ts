import { type Kysely, sql } from 'kysely';
import { writeAudit } from '../audit/write-audit.ts';
import { figuresConsenters } from '../consent/consent-rules.ts';
import type { DB } from '../database/schema.ts';
import { todayIso } from '../families/trajectory.ts';
import { guides } from '../guides/guide-definitions.ts';
import { OWN_HISTORY_DOMAIN, signalCodes } from '../signals/signal-codes.ts';
import { authorityOver, consentPersons } from './family-store.ts';

/** The codes of the guides' factual questions (the only ones confirmed from the chain instead of asked again). */
const factualQuestions = () =>
  [...guides().values()].flatMap((guide) => guide.items.filter((i) => i.kind === 'factual').map((i) => i.code));

/** The figures job acts as the system, for no organisation and no person. */
const FIGURES_JOB = { accountId: null, organisationId: null, role: 'system', clientAddress: null, correlationId: null };

/**
 * The figures job's door to the family records, beside the family store (family-store.ts) that
 * every request reads through. The job reads as the system, a batch of families at a time, and
 * gets only what the indicators count: dates, codes, kinds and organisation types — never a name,
 * a note, an identifier or an address (a confidential address included). Here, not in the job:
 * - whose consent to figures counts (consent-rules.ts, `figuresConsenters`): a family counts as
 *   consenting only when each of them gave it and did not withdraw it;
 * - a parent's own childhood history is never handed out: its consent covers the family's care only;
 * - each batch read is written to the audit trail in the same transaction (`figures.refresh`, with
 *   the number of families read; no family or person id).
 */
export async function readFigureFamilies(db: Kysely<DB>, after: string, limit: number) {
  return db.transaction().execute(async (tx) => {
    const families = await tx
      .selectFrom('families as f')
      .innerJoin('neighbourhoods as n', 'n.id', 'f.neighbourhood_id')
      .select([
        'f.id',
        'f.neighbourhood_id',
        'n.municipality_id',
        sql<string>`f.created_at::date::text`.as('created_on'),
      ])
      .where('f.id', '>', after)
      .orderBy('f.id')
      .limit(limit)
      .execute();
    if (!families.length) return null;
    const ids = families.map((row) => row.id);
    // Every query below looks the batch's families up by an index on family_id (one connection:
    // they run one after the other, as a transaction's statements do).
    const [trajectories, team, contacts, signals, judgements, referrals, handovers, answers, persons, consents] =
      await Promise.all([
        tx
          .selectFrom('trajectories')
          .select([
            'family_id',
            'kind',
            'due_date',
            'birth_date',
            'birth_weight_grams',
            'pregnancy_ended_on',
            'closed_on',
          ])
          .where('family_id', 'in', ids)
          .execute(),
        tx
          .selectFrom('care_team_organisations as cto')
          .innerJoin('organisations as o', 'o.id', 'cto.organisation_id')
          .select(['cto.family_id', 'o.type', 'cto.started_on'])
          .where('cto.family_id', 'in', ids)
          .execute(),
        tx
          .selectFrom('contacts as c')
          .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
          .select(['c.family_id', 'c.occurred_on', 'c.kind', 'o.type'])
          .where('c.family_id', 'in', ids)
          .execute(),
        tx
          .selectFrom('signals')
          .select(['family_id', 'code', 'status', 'since', 'ended_on', 'source', 'created_at', 'updated_at'])
          .where('family_id', 'in', ids)
          .execute(),
        tx
          .selectFrom('judgements')
          .select(['family_id', 'intensity', 'status', 'created_at', 'reviewed_at', 'parents_ask_for_help'])
          .where('family_id', 'in', ids)
          .where('status', 'in', ['effective', 'agreed', 'proposed'])
          .execute(),
        tx
          .selectFrom('referrals')
          .select(['family_id', 'intervention_key', 'status', 'sent_at', 'accepted_at', 'started_at', 'help_received'])
          .where('family_id', 'in', ids)
          .where('sent_at', 'is not', null)
          .execute(),
        tx
          .selectFrom('handovers as h')
          .innerJoin('organisations as fo', 'fo.id', 'h.from_organisation_id')
          .innerJoin('organisations as tto', 'tto.id', 'h.to_organisation_id')
          .select(['h.family_id', 'fo.type as from_type', 'tto.type as to_type'])
          .where('h.family_id', 'in', ids)
          .where('h.status', '=', 'accepted')
          .execute(),
        tx
          .selectFrom('guide_answers')
          .select([
            'family_id',
            sql<string>`date_trunc('month', answered_at)::date::text`.as('month'),
            sql<number>`count(*) FILTER (WHERE confirmed_from_answer_id IS NOT NULL)::integer`.as('confirmed'),
            sql<number>`count(*) FILTER (WHERE confirmed_from_answer_id IS NULL)::integer`.as('asked'),
          ])
          .where('family_id', 'in', ids)
          // Only factual questions are meant to be confirmed rather than asked again.
          .where(sql<boolean>`question_code = ANY(${factualQuestions()}::text[])`)
          .groupBy(['family_id', sql`date_trunc('month', answered_at)`])
          .execute(),
        tx
          .selectFrom('persons as p')
          .select(['p.family_id', 'p.id', 'p.role', 'p.birth_date', 'p.child_status'])
          .select(authorityOver('p.id'))
          .where('p.family_id', 'in', ids)
          .execute(),
        tx
          .selectFrom('consents')
          .select('person_id')
          .where('family_id', 'in', ids)
          .where('purpose', '=', 'municipal_figures')
          .where('withdrawn_at', 'is', null)
          .execute(),
      ]);
    await writeAudit(tx, FIGURES_JOB, { action: 'figures.refresh', details: { families: families.length } });
    const consented = new Set(consents.map((c) => c.person_id));
    const today = todayIso();
    const personsOf = Map.groupBy(persons, (p) => p.family_id);
    const codes = signalCodes();
    return {
      families: families.map((family) => ({
        ...family,
        consent: figuresConsenters(consentPersons(personsOf.get(family.id) ?? []), today).every((p) =>
          consented.has(p.id),
        ),
      })),
      trajectories,
      team,
      contacts,
      signals: signals.filter((s) => codes.byKey.get(s.code)?.domain !== OWN_HISTORY_DOMAIN),
      judgements,
      referrals,
      handovers,
      answers,
    };
  });
}

export type FigureFamilies = NonNullable<Awaited<ReturnType<typeof readFigureFamilies>>>;

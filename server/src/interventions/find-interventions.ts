import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { FamilyStore, FamilyWithFacts } from '../access/family-store.ts';
import { CARE_INTENSITIES, type DB } from '../database/schema.ts';
import { type IsoDate, type Phase, PREGNANCY_DAYS, phaseOn, toDays, todayIso } from '../families/trajectory.ts';
import type { RequestContext } from '../http/context.ts';
import { signalCodes } from '../signals/signal-codes.ts';
import {
  type CatalogueEntry,
  EVIDENCE_LEVELS,
  type INTERVENTION_PHASES,
  type InterventionDefinition,
  loadCatalogue,
  WORKS_ON,
} from './catalogue.ts';

/** The code for a disturbed parent-child relationship (one of the Gezondheidsraad's conditions). */
const DISTURBED_RELATIONSHIP = 'parent_child_relationship_disturbed';
/** The protective factor "help sought": the family asked for help. */
const HELP_SOUGHT = 'help_sought';

/** What the catalogue needs to know of a family, from what the actor's organisation may see. */
export interface FamilyFacts {
  phase: Phase;
  interventionPhase: (typeof INTERVENTION_PHASES)[number] | null;
  childAgeMonths: number | null;
  /** Completed weeks of the current pregnancy; null outside pregnancy. */
  pregnancyWeeks: number | null;
  /** Children of the family already born (a pregnancy is the first when there are none). */
  bornChildren: number;
  stressCodes: string[];
  askedForHelp: boolean;
  disturbedRelationship: boolean;
  intensityInForce: (typeof CARE_INTENSITIES)[number] | null;
}

/**
 * The Gezondheidsraad's rule (advice "De ouder-kindrelatie en jeugdtrauma's", 22 May 2018,
 * publication 2018/11): interventions aimed at the parent-child relationship have a modest effect
 * on average and are offered only to families with stress factors, with a disturbed parent-child
 * relationship, or who ask for help themselves. Returns why it is met, or null.
 */
export function relationshipRule(facts: FamilyFacts): { met: boolean; because: string[] } {
  const because = [
    ...(facts.stressCodes.length > 0 ? ['stress_factors'] : []),
    ...(facts.disturbedRelationship ? ['disturbed_relationship'] : []),
    ...(facts.askedForHelp ? ['asked_for_help'] : []),
  ];
  return { met: because.length > 0, because };
}

/** Why a family cannot start this intervention now, by its entry criteria (empty: it can). */
export function notEligibleBecause(definition: InterventionDefinition, facts: FamilyFacts): EntryReason[] {
  const { enrolment } = definition;
  const reasons: EntryReason[] = [];
  if (!facts.interventionPhase || !enrolment.phases.includes(facts.interventionPhase)) reasons.push('phase');
  const within = (value: number | null, range?: { from: number; to: number }) =>
    !range || value === null || (value >= range.from && value <= range.to);
  if (facts.interventionPhase === 'pregnancy' && !within(facts.pregnancyWeeks, enrolment.pregnancyWeeks)) {
    reasons.push('pregnancy_weeks');
  }
  if (facts.interventionPhase === 'after_birth' && !within(facts.childAgeMonths, enrolment.childAgeMonths)) {
    reasons.push('child_age');
  }
  // Older children than the one this is about: after the birth, the baby itself is one of those born.
  const older = facts.interventionPhase === 'after_birth' ? facts.bornChildren - 1 : facts.bornChildren;
  if (enrolment.firstChildOnly && older > 0) reasons.push('not_first_child');
  return reasons;
}
export const ENTRY_REASONS = ['phase', 'pregnancy_weeks', 'child_age', 'not_first_child'] as const;
export type EntryReason = (typeof ENTRY_REASONS)[number];

/** Why Kring does not propose this intervention to the family: its entry criteria, and the relationship rule. */
export function notProposedBecause(
  definition: InterventionDefinition,
  facts: FamilyFacts,
): (EntryReason | 'relationship_rule')[] {
  const rule = !definition.worksOn.includes('parent_child_relationship') || relationshipRule(facts).met;
  return [...notEligibleBecause(definition, facts), ...(rule ? [] : ['relationship_rule' as const])];
}

/** Is this intervention proposed for the family: can it start now, and does the relationship rule allow it? */
export function isProposed(definition: InterventionDefinition, facts: FamilyFacts): boolean {
  return notProposedBecause(definition, facts).length === 0;
}

export function phaseFits(definition: InterventionDefinition, facts: FamilyFacts): boolean {
  if (!facts.interventionPhase || !definition.phases.includes(facts.interventionPhase)) return false;
  if (facts.interventionPhase !== 'after_birth' || !definition.ageMonths || facts.childAgeMonths === null) return true;
  return facts.childAgeMonths >= definition.ageMonths.from && facts.childAgeMonths <= definition.ageMonths.to;
}

function interventionPhaseOf(phase: Phase): FamilyFacts['interventionPhase'] {
  if (phase === 'preconception') return 'preconception';
  if (phase === 'ended') return null;
  if (phase.startsWith('trimester')) return 'pregnancy';
  return 'after_birth';
}

function monthsBetween(from: IsoDate, to: IsoDate): number {
  return Math.floor((toDays(to) - toDays(from)) / 30.44);
}

/** The facts, from what the reader's organisation may see of the family (its consent verdicts; a parent's own history only with theirs). */
export function factsOf(
  family: FamilyWithFacts,
  { maySeeSignal, mayRead }: Pick<ReturnType<FamilyStore['consent']>, 'maySeeSignal' | 'mayRead'>,
): FamilyFacts {
  const signals = family.signals.filter(maySeeSignal);
  const codes = signalCodes();
  const today = todayIso();
  const trajectory = family.trajectory[0];
  const phase: Phase = trajectory?.due_date
    ? phaseOn(
        {
          dueDate: trajectory.due_date,
          birthDate: trajectory.birth_date,
          pregnancyEndedOn: trajectory.pregnancy_ended_on,
        },
        today,
      )
    : 'preconception';
  const judgement = family.judgements.find(mayRead);
  const interventionPhase = interventionPhaseOf(phase);
  return {
    phase,
    interventionPhase,
    childAgeMonths: trajectory?.birth_date ? monthsBetween(trajectory.birth_date, today) : null,
    pregnancyWeeks:
      interventionPhase === 'pregnancy' && trajectory?.due_date
        ? Math.floor((toDays(today) - toDays(trajectory.due_date) + PREGNANCY_DAYS) / 7)
        : null,
    bornChildren: Number(family.born_children ?? 0),
    stressCodes: signals.filter((s) => codes.kindOf.get(s.code) === 'stress').map((s) => s.code),
    disturbedRelationship: signals.some((s) => s.code === DISTURBED_RELATIONSHIP),
    askedForHelp: signals.some((s) => s.code === HELP_SOUGHT) || judgement?.parents_ask_for_help === true,
    intensityInForce: judgement?.intensity ?? null,
  };
}

export const FindInterventionsQuery = z.strictObject({
  /** Care intensity; "any" for all. Default: the judgement in force, if any. */
  intensity: z.enum([...CARE_INTENSITIES, 'any']).optional(),
  worksOn: z.enum(WORKS_ON).optional(),
  /** Also interventions for another phase or age than the family's. */
  allPhases: z.enum(['true', 'false']).default('false'),
});

const catalogueCache = new WeakMap<Kysely<DB>, { at: number; entries: CatalogueEntry[] }>();
/** The catalogue changes rarely (an import, an offer's waiting time): a process keeps it this long. */
const CATALOGUE_CACHE_MS = 30_000;

/** The catalogue and its offers, cached per database for a short while. */
export async function cachedCatalogue(db: Kysely<DB>): Promise<CatalogueEntry[]> {
  const cached = catalogueCache.get(db);
  if (cached && Date.now() - cached.at < CATALOGUE_CACHE_MS) return cached.entries;
  const entries = await loadCatalogue(db);
  catalogueCache.set(db, { at: Date.now(), entries });
  return entries;
}

export function forgetCatalogue(db: Kysely<DB>): void {
  catalogueCache.delete(db);
}

/**
 * Search the catalogue for a family: by its phase (and child's age), its current signals (the
 * fit: which of them an intervention addresses) and the care intensity. Relationship
 * interventions are held back by the Gezondheidsraad rule, with the reason, unless it is met.
 */
export async function findInterventions(
  ctx: RequestContext,
  familyId: string,
  query: z.infer<typeof FindInterventionsQuery>,
) {
  const access = ctx.access;
  const db = ctx.deps.database.db;
  const [[family], catalogue] = await Promise.all([
    ctx.auditedRead(
      ctx.families.facts(familyId),
      { action: 'intervention.search', familyId, recordType: 'family', recordId: familyId },
      { onlyIfFound: true },
    ),
    cachedCatalogue(db),
  ]);
  if (!family) throw access.familyNotFound('family.read', familyId);
  const facts = factsOf(family, ctx.families.consent(family));
  const intensity = query.intensity ?? facts.intensityInForce ?? 'any';
  const rule = relationshipRule(facts);
  const evidenceRank = (level: string) => EVIDENCE_LEVELS.indexOf(level as (typeof EVIDENCE_LEVELS)[number]);
  const results = catalogue
    .filter(({ definition }) => query.allPhases === 'true' || phaseFits(definition, facts))
    .filter(({ definition }) => intensity === 'any' || definition.intensity === intensity)
    .filter(({ definition }) => !query.worksOn || definition.worksOn.includes(query.worksOn))
    .map((entry) => {
      const { definition } = entry;
      const fits = definition.addresses.filter((code) => facts.stressCodes.includes(code));
      return {
        ...entry,
        fitsSignals: fits,
        phaseFits: phaseFits(definition, facts),
        proposed: isProposed(definition, facts),
        /** Why it is not proposed (entry criteria, the relationship rule); empty when it is. */
        notProposedBecause: notProposedBecause(definition, facts),
        shortestWaitWeeks: entry.offers.length ? Math.min(...entry.offers.map((o) => o.waitingWeeks)) : null,
      };
    })
    .sort(
      (a, b) =>
        Number(b.proposed) - Number(a.proposed) ||
        b.fitsSignals.length - a.fitsSignals.length ||
        evidenceRank(b.definition.evidence) - evidenceRank(a.definition.evidence) ||
        (a.shortestWaitWeeks ?? 999) - (b.shortestWaitWeeks ?? 999),
    );
  return {
    family: {
      phase: facts.phase,
      childAgeMonths: facts.childAgeMonths,
      stressFactors: facts.stressCodes.length,
      askedForHelp: facts.askedForHelp,
      intensityInForce: facts.intensityInForce,
    },
    intensity,
    relationshipRule: rule,
    interventions: results,
  };
}

import { z } from 'zod';
import { AudienceDecisionResponse } from '../access/family-audience.ts';
import { WGBO_OWN_CONSENT_AGE } from '../consent/consent-rules.ts';
import {
  CONSENT_CATEGORIES,
  CONTACT_KINDS,
  PERSON_ROLES,
  PERSON_SEXES,
  REFERRAL_STATUSES,
  REFERRAL_URGENCIES,
} from '../database/schema.ts';
import { isValidBsn } from './bsn.ts';
import { addDays, ageInYears, dueDateFromLmp, PHASES, todayIso } from './trajectory.ts';

export const IsoDate = z.iso.date('must be a date (YYYY-MM-DD)');

/** A pregnancy is dated by its due date or the first day of the last period: one of the two, said as such. */
export function oneOfDueDateOrLmp(pregnancy: { dueDate?: string; lmpDate?: string }, ctx: z.RefinementCtx) {
  if (pregnancy.dueDate && pregnancy.lmpDate) {
    ctx.addIssue({
      code: 'custom',
      path: ['dueDate'],
      message: 'give the due date or the last menstrual period, not both',
    });
  } else if (!pregnancy.dueDate && !pregnancy.lmpDate) {
    ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'give the due date or the last menstrual period' });
  }
}
const Name = z.string().trim().min(1, 'required').max(100);
const Bsn = z.string().trim().refine(isValidBsn, 'not a valid BSN (nine digits passing the elfproef)');

/** The latest due date Kring accepts: 44 weeks from today (a pregnancy just begun, with margin). */
export const MAX_WEEKS_AHEAD = 44;
/** The earliest: two years ago (a child's trajectory runs until its second birthday). */
const MAX_DAYS_PAST = 2 * 366;
/** Birth dates longer ago than this are a slip in the year (1099 for 1999): asked to be checked. */
const MAX_ADULT_AGE = 100;
/** Siblings are the family's children; an adult of the household is registered as a caregiver. */
const MAX_SIBLING_AGE = 25;

/*
 * Whether a date is plausible is checked on the field itself, so that a form gets every error
 * in one answer (a refinement on an object runs only once all its fields are valid).
 */
const BirthDate = (maxYears: number, { todayAllowed }: { todayAllowed: boolean }) =>
  // Piped: plausibility is asked only of a real date (a check after a failed one would still run).
  IsoDate.pipe(z.string()).superRefine((date, ctx) => {
    const now = todayIso();
    if (!todayAllowed && date >= now) ctx.addIssue({ code: 'custom', message: 'must be in the past' });
    else if (todayAllowed && date > now) ctx.addIssue({ code: 'custom', message: 'must not be in the future' });
    else if (ageInYears(date, now) > maxYears) {
      ctx.addIssue({ code: 'custom', message: `more than ${maxYears} years ago: check the year` });
    }
  });
/** A due date (or one worked out from the last period) within the span a trajectory can have. */
const PlausibleDue = (toDueDate: (date: string) => string) =>
  IsoDate.pipe(z.string()).superRefine((date, ctx) => {
    const due = toDueDate(date);
    const now = todayIso();
    if (due > addDays(now, MAX_WEEKS_AHEAD * 7)) {
      ctx.addIssue({ code: 'custom', message: `the due date is more than ${MAX_WEEKS_AHEAD} weeks ahead` });
    } else if (due < addDays(now, -MAX_DAYS_PAST)) {
      ctx.addIssue({ code: 'custom', message: 'the due date is more than two years ago' });
    }
  });

/** Born, and not yet 16: too young to hold parental authority or to consent alone (WGBO). */
const underOwnConsentAge = (birthDate: string) => {
  const now = todayIso();
  return birthDate < now && ageInYears(birthDate, now) < WGBO_OWN_CONSENT_AGE;
};

export const AdultInput = z
  .strictObject({
    givenName: Name,
    familyName: Name,
    birthDate: BirthDate(MAX_ADULT_AGE, { todayAllowed: false }),
    bsn: Bsn.optional(),
    parentalAuthority: z.boolean().default(true),
  })
  // A parent under 16 cannot hold parental authority (from 16 a court can grant it: BW 1:253ha).
  .refine((adult) => !adult.parentalAuthority || !underOwnConsentAge(adult.birthDate), {
    path: ['parentalAuthority'],
    message: 'a parent under 16 cannot hold parental authority',
  });

export const RegisterFamilyInput = z
  .strictObject({
    pregnantPerson: AdultInput,
    /**
     * Partner (father or co-mother) and other caregivers: full members of the family; foster
     * parents; and, for a parent who is a minor, her own parents (who consent with or for her).
     */
    caregivers: z
      .array(AdultInput.safeExtend({ role: z.enum(['partner', 'caregiver', 'foster_parent', 'parent_of_minor']) }))
      .max(4)
      .default([]),
    /** The pregnancy when known; without it the family is registered for preconception care. */
    pregnancy: z
      .strictObject({
        dueDate: PlausibleDue((due) => due).optional(),
        lmpDate: PlausibleDue(dueDateFromLmp).optional(),
        /** Twins are two expected children, each with a trajectory. */
        expectedChildren: z.number().int().min(1).max(4).default(1),
      })
      .superRefine(oneOfDueDateOrLmp)
      .nullable()
      .default(null),
    siblings: z
      .array(
        z.strictObject({
          givenName: Name,
          familyName: Name,
          birthDate: BirthDate(MAX_SIBLING_AGE, { todayAllowed: true }),
          sex: z.enum(PERSON_SEXES).optional(),
        }),
      )
      .max(10)
      .default([]),
    address: z.strictObject({
      street: z.string().trim().max(200).optional(),
      houseNumber: z.string().trim().max(20).optional(),
      postcode: z
        .string()
        .trim()
        .toUpperCase()
        .transform((v) => v.replace(/\s+/g, ''))
        .pipe(z.string().regex(/^\d{4}[A-Z]{2}$/, 'a Dutch postcode, like 9901 AB')),
      city: z.string().trim().max(100).optional(),
    }),
    language: z.string().trim().min(2).max(40).default('nl'),
    interpreterNeeded: z.boolean().default(false),
    /** Consent the parents gave the registering organisation, by category. */
    consent: z
      .strictObject({
        categories: z.array(z.enum(CONSENT_CATEGORIES)).max(3),
        givenHow: z.enum(['verbal', 'written']).optional(),
      })
      .refine((c) => c.categories.length === 0 || c.givenHow !== undefined, {
        path: ['givenHow'],
        message: 'say how the parents gave their consent',
      }),
  })
  // Across the form, checked in the same answer as the fields.
  .superRefine((form, ctx) => {
    if (
      underOwnConsentAge(form.pregnantPerson.birthDate) &&
      !form.caregivers.some((c) => c.role === 'parent_of_minor')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['caregivers'],
        message: 'a pregnant person under 16 consents together with her parents: register at least one of them',
      });
    }
    const bsns = [form.pregnantPerson, ...form.caregivers].map((person) => person.bsn).filter(Boolean);
    if (new Set(bsns).size !== bsns.length) {
      ctx.addIssue({ code: 'custom', path: ['caregivers'], message: 'the same BSN twice' });
    }
  });
export type RegisterFamilyInput = z.infer<typeof RegisterFamilyInput>;

export const RegisterFamilyResponse = z.object({ familyId: z.uuid() });

/** Identifying data for a duplicate check or a request to join: in a POST body, never a URL. */
export const IdentifyInput = z.strictObject({
  bsn: Bsn.optional(),
  familyName: Name.optional(),
  birthDate: IsoDate.optional(),
});

export const SearchFamiliesInput = z.strictObject({
  query: z.string().trim().min(2, 'at least two characters').max(100),
});

const Gestation = z.object({ weeks: z.number(), days: z.number() }).nullable();

export const TrajectoryResponse = z.object({
  id: z.uuid(),
  kind: z.enum(['preconception', 'child']),
  childPersonId: z.uuid().nullable(),
  status: z.enum(['open', 'closed']),
  dueDate: z.string().nullable(),
  lmpDate: z.string().nullable(),
  birthDate: z.string().nullable(),
  birthWeightGrams: z.number().nullable(),
  birthPlace: z.string().nullable(),
  pregnancyEndedOn: z.string().nullable(),
  version: z.number(),
  view: z
    .object({
      conception: z.string(),
      day: z.number().nullable(),
      phase: z.enum(PHASES),
      gestation: Gestation,
      gestationalAgeAtBirthDays: z.number().nullable(),
      preterm: z.boolean(),
      lowBirthWeight: z.boolean(),
      ageDays: z.number().nullable(),
      correctedAgeDays: z.number().nullable(),
      endsOn: z.string(),
    })
    .nullable(),
  /**
   * What happened on this trajectory, placed on the ribbon (day of 1001 and phase): contacts,
   * handovers, the birth, signals, conversations and care-intensity judgements (those the actor
   * may read).
   */
  events: z.array(
    z.object({
      date: z.string(),
      day: z.number().nullable(),
      phase: z.enum(PHASES),
      kind: z.enum(['contact', 'handover', 'birth', 'signal', 'judgement', 'guide', 'referral', 'goal']),
      what: z.string(),
      organisationName: z.string(),
      professionalName: z.string().nullable(),
    }),
  ),
  schedule: z.array(
    z.object({
      key: z.string(),
      targetDate: z.string(),
      status: z.enum(['done', 'due', 'overdue', 'upcoming']),
    }),
  ),
});

export const PersonResponse = z.object({
  id: z.uuid(),
  role: z.enum(PERSON_ROLES),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  birthDate: z.string().nullable(),
  bsn: z.string().nullable(),
  /** The children this adult holds parental authority (gezag) over (ids of the family's persons). */
  authorityOver: z.array(z.uuid()),
  childStatus: z.enum(['expected', 'born', 'pregnancy_ended']).nullable(),
  /** A child's sex as recorded; null when not recorded (never asked of adults). */
  sex: z.enum(PERSON_SEXES).nullable(),
  version: z.number(),
  /** The language a parent with their own Kring reads it in (null: no account of their own). */
  kringLanguage: z.string().nullable(),
  /** A child protection order on this child (ondertoezichtstelling), since when, by which institution. */
  protectionMeasure: z
    .object({ kind: z.literal('ots'), since: z.string(), organisationName: z.string().nullable() })
    .nullable(),
});

export const ContactResponse = z.object({
  id: z.uuid(),
  occurredOn: z.string(),
  kind: z.enum(CONTACT_KINDS),
  organisationId: z.uuid(),
  organisationName: z.string(),
  professionalName: z.string(),
  concernsPersonId: z.uuid().nullable(),
  presentPersonIds: z.array(z.uuid()),
  othersPresent: z.string().nullable(),
  /** An interpreter was there. */
  interpreterUsed: z.boolean(),
  note: z.string().nullable(),
  category: z.enum(CONSENT_CATEGORIES),
  /** Who in the family sees it in their own Kring, when a professional decided so (with the reason). */
  parentsAudience: AudienceDecisionResponse,
  version: z.number(),
});

export const FamilyRecordResponse = z.object({
  family: z.object({
    id: z.uuid(),
    status: z.enum(['open', 'closed']),
    version: z.number(),
    street: z.string().nullable(),
    houseNumber: z.string().nullable(),
    postcode: z.string(),
    city: z.string().nullable(),
    neighbourhood: z.string(),
    language: z.string(),
    interpreterNeeded: z.boolean(),
  }),
  persons: z.array(PersonResponse),
  trajectories: z.array(TrajectoryResponse),
  team: z.array(
    z.object({
      organisationId: z.uuid(),
      organisationName: z.string(),
      organisationType: z.string(),
      startedOn: z.string(),
      professionals: z.array(
        z.object({
          accountId: z.uuid(),
          name: z.string(),
          discipline: z.string().nullable(),
          isRegiehouder: z.boolean(),
          /** A legal role in the team: the family guardian of a certified institution under an OTS. */
          legalRole: z.enum(['gezinsvoogd']).nullable(),
        }),
      ),
    }),
  ),
  consent: z.object({
    /** For the actor's organisation: per category, complete or whose consent is missing. */
    mine: z.array(
      z.object({ category: z.enum(CONSENT_CATEGORIES), complete: z.boolean(), missing: z.array(z.uuid()) }),
    ),
    entries: z.array(
      z.object({
        id: z.uuid(),
        personId: z.uuid(),
        purpose: z.enum(['share', 'own_history', 'municipal_figures']),
        organisationId: z.uuid().nullable(),
        category: z.enum(CONSENT_CATEGORIES).nullable(),
        givenHow: z.enum(['verbal', 'written', 'portal']),
        recordedAt: z.string(),
      }),
    ),
  }),
  contacts: z.array(ContactResponse),
  /** Entries withheld from the actor for lack of consent (their number, nothing else). */
  withheldEntries: z.number(),
  handovers: z.array(
    z.object({
      id: z.uuid(),
      fromOrganisationName: z.string(),
      toOrganisationName: z.string(),
      status: z.enum(['pending', 'accepted', 'declined', 'withdrawn']),
      summary: z.string(),
      createdAt: z.string(),
    }),
  ),
  /** The actor reads this record under a break-the-glass access (read-only, time-limited). */
  emergency: z.boolean(),
  /** When the reader's break-the-glass access ends (emergency only). */
  emergencyUntil: z.string().nullable(),
  /** Referrals of the family: status for the whole team; the reason only for sender and receiver. */
  referrals: z.array(
    z.object({
      id: z.uuid(),
      fromOrganisationName: z.string(),
      toOrganisationName: z.string(),
      interventionKey: z.string().nullable(),
      status: z.enum(REFERRAL_STATUSES),
      urgency: z.enum(REFERRAL_URGENCIES),
      reason: z.string().nullable(),
      sentAt: z.string().nullable(),
      expectedStartOn: z.string().nullable(),
      helpReceived: z.boolean().nullable(),
      late: z.boolean(),
      mine: z.boolean(),
      parentsAudience: AudienceDecisionResponse,
      version: z.number(),
    }),
  ),
  /** Requests of other organisations to join the team, waiting for the actor's organisation. */
  joinRequests: z.array(
    z.object({
      taskId: z.uuid(),
      organisationName: z.string(),
      professionalName: z.string(),
      requestedAt: z.string(),
      version: z.number(),
    }),
  ),
  me: z.object({ isRegiehouder: z.boolean(), organisationId: z.uuid() }),
});
export type FamilyRecordResponse = z.infer<typeof FamilyRecordResponse>;

export const CaseloadQuery = z.strictObject({
  sort: z.enum(['day', 'name', 'next_contact']).default('day'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export const CaseloadResponse = z.object({
  families: z.array(
    z.object({
      familyId: z.uuid(),
      name: z.string(),
      neighbourhood: z.string(),
      isRegiehouder: z.boolean(),
      trajectories: z.array(
        z.object({ id: z.uuid(), childName: z.string().nullable(), day: z.number().nullable(), phase: z.enum(PHASES) }),
      ),
      nextDueContact: z.string().nullable(),
      nextMoment: z.object({ key: z.string(), status: z.enum(['due', 'overdue', 'upcoming']) }).nullable(),
      openTasks: z.number(),
      /** Referrals of the actor's organisation (or any, for the regiehouder) without an answer in time. */
      lateReferrals: z.number(),
      /** Goals of the plan whose evaluation date has come. */
      evaluationsDue: z.number(),
      /** Open Meldcode routes of the actor's organisation. */
      openMeldcode: z.number(),
    }),
  ),
  /** How many families the actor has in all, and which page of how many this is. */
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const FamilyIdParams = z.strictObject({ familyId: z.uuid('must be a UUID') });

import { ADULT_ROLES, type ConsentCategory, type PersonRole } from '../database/schema.ts';
import { ageInYears } from '../families/trajectory.ts';

/**
 * Whose consent counts (the family record issue's consent model):
 * - information about an adult: that adult's own consent — for a parent who is a minor, as the
 *   WGBO says by age: from 16 their own; from 12 to 15 their own and their parents'; under 12
 *   their parents' (the family's persons in the role `parent_of_minor`);
 * - about a child: everyone with parental authority (gezag) over that child — before birth, the
 *   pregnant person; foster parents only when they hold gezag;
 * - about the family as a whole: all adults with parental authority over one of its children, or, when nobody holds it yet
 *   (a preconception registration), the pregnant person, or else the adults of the household.
 * When they disagree the strictest answer wins. Meldcode and break-the-glass are recorded overrides
 * of this model (a later issue), never a second mechanism.
 */

export interface ConsentPerson {
  id: string;
  role: PersonRole;
  /** The children of the family this person holds parental authority (gezag) over. */
  authorityOver: readonly string[];
  birthDate: string | null;
  childStatus: 'expected' | 'born' | 'pregnancy_ended' | null;
}

export interface ActiveConsent {
  personId: string;
  organisationId: string;
  category: ConsentCategory;
}

/** Age from which a minor decides alone about their own care (WGBO art. 7:447). */
export const WGBO_OWN_CONSENT_AGE = 16;
/** Age from which a minor's own consent is needed beside their parents' (WGBO art. 7:450). */
const WGBO_SHARED_CONSENT_AGE = 12;

const isAdult = (p: ConsentPerson) => (ADULT_ROLES as readonly PersonRole[]).includes(p.role);

/** The persons who consent for information about one adult: the adult, and their parents while a minor. */
function forAdult(person: ConsentPerson, persons: ConsentPerson[], today: string): ConsentPerson[] {
  const age = person.birthDate ? ageInYears(person.birthDate, today) : WGBO_OWN_CONSENT_AGE;
  if (person.role === 'parent_of_minor' || age >= WGBO_OWN_CONSENT_AGE) return [person];
  const parents = persons.filter((p) => p.role === 'parent_of_minor');
  return age >= WGBO_SHARED_CONSENT_AGE ? [person, ...parents] : parents;
}

/** The persons whose consent is needed for information about the family as a whole. */
export function familyConsenters(persons: ConsentPerson[], today: string): ConsentPerson[] {
  const household = persons.filter((p) => isAdult(p) && p.role !== 'parent_of_minor');
  const withAuthority = persons.filter((p) => isAdult(p) && p.authorityOver.length > 0);
  const pregnant = household.filter((p) => p.role === 'pregnant_person');
  const base = withAuthority.length ? withAuthority : pregnant.length ? pregnant : household;
  return unique(base.flatMap((p) => forAdult(p, persons, today)));
}

/**
 * The persons whose consent is needed for information about `subjectId` (a person of the family),
 * or about the family as a whole when it is null.
 */
export function consentersFor(subjectId: string | null, persons: ConsentPerson[], today: string): ConsentPerson[] {
  const subject = subjectId ? persons.find((p) => p.id === subjectId) : undefined;
  if (!subject) return familyConsenters(persons, today);
  if (isAdult(subject)) return forAdult(subject, persons, today);
  const pregnant = persons.filter((p) => p.role === 'pregnant_person');
  if (subject.childStatus !== 'born' && pregnant.length) {
    return unique(pregnant.flatMap((p) => forAdult(p, persons, today)));
  }
  const gezag = persons.filter((p) => isAdult(p) && p.authorityOver.includes(subject.id));
  return gezag.length ? gezag : familyConsenters(persons, today);
}

/**
 * Whose consent counts for the municipality's figures (a region may require it): those who
 * consent for the family as a whole, and the pregnant person — the figures count her pregnancy.
 */
export function figuresConsenters(persons: ConsentPerson[], today: string): ConsentPerson[] {
  const pregnant = persons.filter((p) => p.role === 'pregnant_person');
  return unique([...familyConsenters(persons, today), ...pregnant.flatMap((p) => forAdult(p, persons, today))]);
}

/** Everyone whose consent counts for the family or for any of its members. */
export function everyoneWhoConsents(persons: ConsentPerson[], today: string): ConsentPerson[] {
  return unique([null, ...persons.map((p) => p.id)].flatMap((subject) => consentersFor(subject, persons, today)));
}

function unique(persons: ConsentPerson[]): ConsentPerson[] {
  return [...new Map(persons.map((p) => [p.id, p])).values()];
}

export interface CategoryConsent {
  category: ConsentCategory;
  complete: boolean;
  /** Persons whose consent is still missing. */
  missing: string[];
}

/** Per category: may this organisation see information about the subject, and whose consent is missing. */
export function consentFor(
  organisationId: string,
  persons: ConsentPerson[],
  consents: ActiveConsent[],
  categories: readonly ConsentCategory[],
  { subjectId = null, today }: { subjectId?: string | null; today: string },
): CategoryConsent[] {
  const needed = consentersFor(subjectId, persons, today);
  return categories.map((category) => {
    const missing = needed
      .filter(
        (person) =>
          !consents.some(
            (c) => c.personId === person.id && c.organisationId === organisationId && c.category === category,
          ),
      )
      .map((person) => person.id);
    return { category, complete: needed.length > 0 && missing.length === 0, missing };
  });
}

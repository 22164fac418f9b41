import type { ConsentCategory, PersonRole } from '../database/schema.ts';

/**
 * Whose consent counts (the family record issue's consent model):
 * - information about an adult: that adult's own consent;
 * - about a child: everyone with parental authority (gezag) over it — before birth, the pregnant person;
 * - about the family as a whole: all adults it concerns with parental authority, or all adults when
 *   nobody holds it (a preconception registration).
 * When they disagree the strictest answer wins. Meldcode and break-the-glass are recorded overrides
 * of this model (a later issue), never a second mechanism.
 */

export interface ConsentPerson {
  id: string;
  role: PersonRole;
  parentalAuthority: boolean;
}

export interface ActiveConsent {
  personId: string;
  organisationId: string;
  category: ConsentCategory;
}

const ADULT_ROLES: PersonRole[] = ['pregnant_person', 'partner', 'caregiver'];

/** The persons whose consent is needed for information about the family as a whole. */
export function familyConsenters(persons: ConsentPerson[]): ConsentPerson[] {
  const adults = persons.filter((p) => ADULT_ROLES.includes(p.role));
  const withAuthority = adults.filter((p) => p.parentalAuthority);
  if (withAuthority.length) return withAuthority;
  const pregnant = adults.filter((p) => p.role === 'pregnant_person');
  return pregnant.length ? pregnant : adults;
}

export interface CategoryConsent {
  category: ConsentCategory;
  complete: boolean;
  /** Persons whose consent is still missing. */
  missing: string[];
}

/** Per category: may this organisation see family-level information, and whose consent is missing. */
export function consentFor(
  organisationId: string,
  persons: ConsentPerson[],
  consents: ActiveConsent[],
  categories: readonly ConsentCategory[],
): CategoryConsent[] {
  const needed = familyConsenters(persons);
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

import { describe, expect, it } from 'vitest';
import { CONSENT_CATEGORIES } from '../database/schema.ts';
import { type ConsentPerson, consentersFor, consentFor, familyConsenters } from './consent-rules.ts';

const TODAY = '2026-11-22';
/** An adult; with parental authority, over the children 'c' and 'e' (unless named). */
const adult = (
  id: string,
  role: ConsentPerson['role'],
  parentalAuthority: boolean | string[],
  birthDate = '1990-01-01',
): ConsentPerson => ({
  id,
  role,
  authorityOver: parentalAuthority === true ? ['c', 'e'] : parentalAuthority === false ? [] : parentalAuthority,
  birthDate,
  childStatus: null,
});
const mother = adult('m', 'pregnant_person', true);
const father = adult('f', 'partner', true);
const partnerWithoutAuthority = adult('p', 'partner', false);
const child: ConsentPerson = { id: 'c', role: 'child', authorityOver: [], birthDate: null, childStatus: 'born' };
const expected: ConsentPerson = { ...child, id: 'e', childStatus: 'expected' };
const ids = (persons: ConsentPerson[]) => persons.map((p) => p.id);

describe('whose consent counts', () => {
  it('asks everyone with parental authority, not those without it, nor the child', () => {
    expect(ids(familyConsenters([mother, father, child], TODAY))).toEqual(['m', 'f']);
    expect(ids(familyConsenters([mother, partnerWithoutAuthority, child], TODAY))).toEqual(['m']);
  });

  it('falls back to the pregnant person, then all adults, when nobody holds authority yet', () => {
    const pregnant = { ...mother, authorityOver: [] };
    expect(ids(familyConsenters([pregnant, partnerWithoutAuthority], TODAY))).toEqual(['m']);
    expect(ids(familyConsenters([partnerWithoutAuthority], TODAY))).toEqual(['p']);
  });

  it('asks an adult alone about themselves, and the gezag holders about a born child', () => {
    const family = [mother, partnerWithoutAuthority, child];
    expect(ids(consentersFor('p', family, TODAY))).toEqual(['p']);
    expect(ids(consentersFor('c', family, TODAY))).toEqual(['m']);
  });

  it('asks about each child only those holding gezag over that child', () => {
    // The partner's son from an earlier relationship: the partner holds gezag over him, the mother does not.
    const son: ConsentPerson = { ...child, id: 's' };
    const motherOfBaby = adult('m', 'pregnant_person', ['c']);
    const fatherOfBoth = adult('f', 'partner', ['c', 's']);
    const family = [motherOfBaby, fatherOfBoth, child, son];
    expect(ids(consentersFor('s', family, TODAY))).toEqual(['f']);
    expect(ids(consentersFor('c', family, TODAY))).toEqual(['m', 'f']);
    expect(ids(familyConsenters(family, TODAY))).toEqual(['m', 'f']);
  });

  it('asks the pregnant person about the unborn child', () => {
    expect(ids(consentersFor('e', [mother, father, expected], TODAY))).toEqual(['m']);
  });

  it('follows the WGBO for a minor parent: from 16 alone, from 12 with her parents', () => {
    const grandmother = adult('g', 'parent_of_minor', true);
    const sixteen = adult('m16', 'pregnant_person', false, '2010-11-01');
    const fifteen = adult('m15', 'pregnant_person', false, '2011-11-23');
    expect(ids(consentersFor('m16', [sixteen, grandmother], TODAY))).toEqual(['m16']);
    expect(ids(consentersFor('m15', [fifteen, grandmother], TODAY))).toEqual(['m15', 'g']);
    // The grandmother, appointed guardian (voogd) of the baby, consents for the child.
    expect(ids(consentersFor('c', [fifteen, grandmother, child], TODAY))).toEqual(['g']);
  });

  it('does not let foster parents consent for the child unless they hold gezag', () => {
    const foster = adult('fp', 'foster_parent', false);
    expect(ids(consentersFor('c', [mother, foster, child], TODAY))).toEqual(['m']);
    expect(ids(consentersFor('fp', [mother, foster, child], TODAY))).toEqual(['fp']);
  });

  it('is complete only when all who count agreed; the strictest answer wins and the missing are named', () => {
    const consents = [
      { personId: 'm', organisationId: 'org', category: 'medical' as const },
      { personId: 'f', organisationId: 'org', category: 'medical' as const },
      { personId: 'm', organisationId: 'org', category: 'psychosocial' as const },
      { personId: 'f', organisationId: 'other', category: 'psychosocial' as const },
    ];
    expect(consentFor('org', [mother, father, child], consents, CONSENT_CATEGORIES, { today: TODAY })).toEqual([
      { category: 'medical', complete: true, missing: [] },
      { category: 'psychosocial', complete: false, missing: ['f'] },
      { category: 'social', complete: false, missing: ['m', 'f'] },
    ]);
    // About the mother herself, her own consent is enough.
    const aboutMother = consentFor('org', [mother, father, child], consents, CONSENT_CATEGORIES, {
      subjectId: 'm',
      today: TODAY,
    });
    expect(aboutMother.map((c) => c.complete)).toEqual([true, true, false]);
  });
});

import { describe, expect, it } from 'vitest';
import { CONSENT_CATEGORIES } from '../database/schema.ts';
import { consentFor, familyConsenters } from './consent-rules.ts';

const mother = { id: 'm', role: 'pregnant_person' as const, parentalAuthority: true };
const father = { id: 'f', role: 'partner' as const, parentalAuthority: true };
const partnerWithoutAuthority = { id: 'p', role: 'partner' as const, parentalAuthority: false };
const child = { id: 'c', role: 'child' as const, parentalAuthority: false };

describe('whose consent counts', () => {
  it('asks everyone with parental authority, not those without it, nor the child', () => {
    expect(familyConsenters([mother, father, child]).map((p) => p.id)).toEqual(['m', 'f']);
    expect(familyConsenters([mother, partnerWithoutAuthority, child]).map((p) => p.id)).toEqual(['m']);
  });

  it('falls back to the pregnant person, then all adults, when nobody holds authority yet', () => {
    const pregnant = { ...mother, parentalAuthority: false };
    expect(familyConsenters([pregnant, partnerWithoutAuthority]).map((p) => p.id)).toEqual(['m']);
    expect(familyConsenters([partnerWithoutAuthority]).map((p) => p.id)).toEqual(['p']);
  });

  it('is complete only when all who count agreed; the strictest answer wins and the missing are named', () => {
    const consents = [
      { personId: 'm', organisationId: 'org', category: 'medical' as const },
      { personId: 'f', organisationId: 'org', category: 'medical' as const },
      { personId: 'm', organisationId: 'org', category: 'psychosocial' as const },
      { personId: 'f', organisationId: 'other', category: 'psychosocial' as const },
    ];
    expect(consentFor('org', [mother, father, child], consents, CONSENT_CATEGORIES)).toEqual([
      { category: 'medical', complete: true, missing: [] },
      { category: 'psychosocial', complete: false, missing: ['f'] },
      { category: 'social', complete: false, missing: ['m', 'f'] },
    ]);
  });
});

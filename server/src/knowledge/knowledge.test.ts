import { describe, expect, it } from 'vitest';
import { guides } from '../guides/guide-definitions.ts';
import { signalCodes } from '../signals/signal-codes.ts';
import { knowledgeCards, knowledgeKeys } from './knowledge.ts';

describe('knowledge cards', () => {
  it('ships the cards the issue asks for, each with a source, in Dutch and English', () => {
    expect([...knowledgeKeys()].sort()).toEqual(
      [
        'ace_early_life_stress',
        'first_1001_days',
        'intergenerational_transmission',
        'parent_blaming',
        'poverty_family_stress',
        'prenatal_attachment',
        'prenatal_stress',
        'relational_ptsd',
        'toxic_stress',
        'what_works_for_whom',
        'why_not_checklists',
      ].sort(),
    );
    for (const card of knowledgeCards().cards) {
      expect(card.sources.length).toBeGreaterThan(0);
      expect(card.body.nl.length).toBeGreaterThan(200);
    }
    expect(knowledgeCards().cards.find((c) => c.key === 'why_not_checklists')?.body.nl).toMatch(/R4U.*0,6/s);
  });

  it('is linked from the signal codes and guide questions it explains, and every link leads to a card', () => {
    const keys = knowledgeKeys();
    const fromCodes = signalCodes().codes.flatMap((c) => (c.knowledge ? [c.knowledge] : []));
    const fromQuestions = [...guides().values()].flatMap((g) =>
      g.items.flatMap((i) => (i.knowledge ? [i.knowledge] : [])),
    );
    expect(fromCodes.length).toBeGreaterThan(10);
    expect(fromQuestions.length).toBeGreaterThan(5);
    for (const key of [...fromCodes, ...fromQuestions]) expect(keys.has(key)).toBe(true);
    expect(signalCodes().byKey.get('ace_separation')?.knowledge).toBe('ace_early_life_stress');
  });
});

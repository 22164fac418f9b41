import { describe, expect, it } from 'vitest';
import { guides } from '../guides/guide-definitions.ts';
import { signalCodes } from '../signals/signal-codes.ts';
import { knowledgeCards, knowledgeKeys } from './knowledge.ts';
import { parentInformation } from './parent-information.ts';

describe('knowledge cards', () => {
  it('ships the cards the issue asks for, each with a source, in Dutch and English', () => {
    expect([...knowledgeKeys()].sort()).toEqual(
      [
        'ace_early_life_stress',
        'child_maltreatment',
        'first_1001_days',
        'meldcode',
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
    expect(knowledgeCards().cards.find((c) => c.key === 'why_not_checklists')?.body.nl).toMatch(/R4U.*0,58/s);
  });

  it('cites each source in full (authors or publisher, year, title) or marks it "te controleren"', () => {
    for (const card of knowledgeCards().cards) {
      for (const source of card.sources) {
        const full = /\(\d{4}[a-z]?(, [^)]*)?\)\.? .{10,}/.test(source);
        expect(full || /te controleren/.test(source), `${card.key}: ${source}`).toBe(true);
      }
    }
    // Checked against the sources (issue 24): what R4U predicts, and Felitti's seven kinds of adversity.
    const body = (key: string) => knowledgeCards().cards.find((c) => c.key === key)?.body.nl ?? '';
    expect(body('why_not_checklists')).toMatch(/vroeggeboorte/);
    expect(body('ace_early_life_stress')).toMatch(/zeven soorten/);
    expect(body('what_works_for_whom')).toMatch(/2018/);
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
    // And every card is reached from at least one code or question.
    const linked = new Set([...fromCodes, ...fromQuestions]);
    expect([...keys].filter((key) => !linked.has(key))).toEqual([]);
    expect(signalCodes().byKey.get('ace_separation')?.knowledge).toBe('ace_early_life_stress');
  });

  it('gives parents three information pages in Dutch and English, each with its sources', () => {
    const pages = parentInformation().pages;
    expect(pages.map((p) => p.key)).toEqual(['stress_in_pregnancy', 'crying_baby', 'where_to_find_help']);
    for (const page of pages) {
      expect(page.sources.length, page.key).toBeGreaterThan(0);
      expect(page.body.en.length, page.key).toBeGreaterThan(200);
    }
    // The numbers a parent may dial, as checked on 7 December 2026.
    const help = pages.find((p) => p.key === 'where_to_find_help')?.body.nl ?? '';
    expect(help).toMatch(/0800-2000/);
    expect(help).toMatch(/113 \(of 0800-0113\)/);
    expect(help).toMatch(/112/);
    expect(pages.find((p) => p.key === 'crying_baby')?.body.nl).toMatch(/Schud je baby nooit/);
  });
});

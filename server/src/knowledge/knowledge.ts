import { z } from 'zod';
import { readContentFile } from '../content/content-file.ts';

/** Knowledge cards (content/knowledge.json): short texts in our own words, with their sources. */
const Text = z.strictObject({ nl: z.string().min(1), en: z.string().min(1) });

export const KnowledgeCards = z
  .strictObject({
    version: z.number().int().positive(),
    description: z.string(),
    cards: z.array(
      z.strictObject({
        key: z.string().regex(/^[a-z0-9_]+$/),
        title: Text,
        body: Text,
        sources: z.array(z.string().min(1)).min(1),
      }),
    ),
  })
  .refine((list) => new Set(list.cards.map((c) => c.key)).size === list.cards.length, {
    message: 'each card key once',
    path: ['cards'],
  });
export type KnowledgeCards = z.infer<typeof KnowledgeCards>;

let cached: KnowledgeCards | undefined;

/** The knowledge cards as shipped in content/knowledge.json; the error names the place at fault. */
export function shippedKnowledgeCards(): KnowledgeCards {
  return readContentFile('knowledge.json', KnowledgeCards, 'knowledge cards');
}

/** Put cards in force in this process: published ones, or (undefined) the shipped ones. */
export function setKnowledgeCardsInForce(cards: KnowledgeCards | undefined): void {
  cached = cards;
}

export function knowledgeCards(): KnowledgeCards {
  cached ??= shippedKnowledgeCards();
  return cached;
}

export function knowledgeKeys(): Set<string> {
  return new Set(knowledgeCards().cards.map((c) => c.key));
}

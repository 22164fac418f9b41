import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

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

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../content/knowledge.json');
let cached: KnowledgeCards | undefined;

/** The knowledge cards as shipped in content/knowledge.json; the error names the place at fault. */
export function shippedKnowledgeCards(): KnowledgeCards {
  const result = KnowledgeCards.safeParse(JSON.parse(fs.readFileSync(FILE, 'utf8')));
  if (!result.success) {
    const first = result.error.issues[0];
    throw new Error(`knowledge cards: ${first?.path.join('.')}: ${first?.message}`);
  }
  return result.data;
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

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Language } from '../accounts/languages.ts';
import { CONSENT_CATEGORIES } from '../database/schema.ts';
import { knowledgeKeys } from '../knowledge/knowledge.ts';

/**
 * The signal code list: what can stand between parent and child, and what protects. Content as
 * data (content/signal-codes.json), versioned, validated when loaded: a broken definition is
 * refused with the place at fault.
 */
const Domain = z.strictObject({
  key: z.string().regex(/^[a-z_]+$/),
  kind: z.enum(['stress', 'protective']),
  nl: z.string().min(1),
  en: z.string().min(1),
});

const Code = z.strictObject({
  key: z.string().regex(/^[a-z0-9_]+$/),
  domain: z.string(),
  category: z.enum(CONSENT_CATEGORIES),
  /** Whom the code can concern: an adult of the family, a child, or the family as a whole. */
  subjects: z.array(z.enum(['adult', 'child', 'family'])).min(1),
  nl: z.string().min(1),
  en: z.string().min(1),
  /** Plain words for parents (the parents' portal). */
  parentNl: z.string().min(1),
  parentEn: z.string().min(1),
  /** The same plain words in the parents' other languages (for a professional translator to check). */
  parentIn: z.partialRecord(z.enum(['ar', 'tr', 'pl', 'uk']), z.string().min(1)).optional(),
  /** The knowledge card that explains it (content/knowledge.json). */
  knowledge: z.string().optional(),
  /**
   * A code of the safety class (domestic violence): in the parents' Kring, no parent sees it about
   * the family until a professional decides, and only the adult it concerns sees it about an adult
   * (access/family-audience.ts; PRODUCT.md point 10).
   */
  safety: z.boolean().optional(),
});

export const SignalCodeList = z
  .strictObject({
    version: z.number().int().positive(),
    description: z.string(),
    domains: z.array(Domain).min(1),
    codes: z.array(Code).min(1),
  })
  .superRefine((list, ctx) => {
    const domains = new Set(list.domains.map((d) => d.key));
    const cards = knowledgeKeys();
    const seen = new Set<string>();
    list.codes.forEach((code, i) => {
      if (!domains.has(code.domain)) {
        ctx.addIssue({ code: 'custom', path: ['codes', i, 'domain'], message: `unknown domain "${code.domain}"` });
      }
      if (code.knowledge && !cards.has(code.knowledge)) {
        ctx.addIssue({
          code: 'custom',
          path: ['codes', i, 'knowledge'],
          message: `unknown knowledge card "${code.knowledge}"`,
        });
      }
      if (seen.has(code.key)) {
        ctx.addIssue({ code: 'custom', path: ['codes', i, 'key'], message: `code "${code.key}" appears twice` });
      }
      seen.add(code.key);
    });
  });
export type SignalCodeList = z.infer<typeof SignalCodeList>;
export type SignalCode = SignalCodeList['codes'][number];

/** A text for parents in every language Kring has it in: Dutch and English always, the others where translated. */
export const ParentText = z.object({
  nl: z.string(),
  en: z.string(),
  ar: z.string().optional(),
  tr: z.string().optional(),
  pl: z.string().optional(),
  uk: z.string().optional(),
});
export type ParentText = z.infer<typeof ParentText>;

/** A code's plain words for parents, in all their languages (the code itself when it is no longer in the list). */
export function parentText(code: SignalCode | undefined, key: string): ParentText {
  return code ? { nl: code.parentNl, en: code.parentEn, ...code.parentIn } : { nl: key, en: key };
}

/** A text for parents in one language; Dutch where it has not been translated. */
export function inLanguage(text: ParentText, language: Language): string {
  return text[language] ?? text.nl;
}

/** The domain of a parent's own childhood history: recorded only with that parent's own consent. */
export const OWN_HISTORY_DOMAIN = 'own_history';

/** Parse a code list; the error names the place at fault ("codes.3.domain: unknown domain …"). */
export function parseSignalCodes(text: string): SignalCodeList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`signal code list: not valid JSON (${(error as Error).message})`);
  }
  const result = SignalCodeList.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new Error(`signal code list: ${first?.path.join('.')}: ${first?.message}`);
  }
  return result.data;
}

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../content/signal-codes.json');
let cached:
  | (SignalCodeList & { byKey: Map<string, SignalCode>; kindOf: Map<string, 'stress' | 'protective'> })
  | undefined;

/** The code list as shipped in content/signal-codes.json. */
export function shippedSignalCodes(): SignalCodeList {
  return parseSignalCodes(fs.readFileSync(FILE, 'utf8'));
}

/** Put a code list in force in this process: one an administrator published, or (undefined) the shipped one. */
export function setSignalCodesInForce(list: SignalCodeList | undefined): void {
  cached = undefined;
  if (list) index(list);
}

function index(list: SignalCodeList) {
  const kinds = new Map(list.domains.map((d) => [d.key, d.kind]));
  cached = {
    ...list,
    byKey: new Map(list.codes.map((c) => [c.key, c])),
    kindOf: new Map(list.codes.map((c) => [c.key, kinds.get(c.domain) ?? 'stress'])),
  };
  return cached;
}

export function signalCodes() {
  return cached ?? index(shippedSignalCodes());
}

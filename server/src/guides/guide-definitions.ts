import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { knowledgeKeys } from '../knowledge/knowledge.ts';
import { signalCodes } from '../signals/signal-codes.ts';

/**
 * Conversation guides as data (content/guides/*.json): versioned question sets, each question with
 * a code shared across guides (so the chain knows it was asked before), its type, and why it is
 * asked. Instruments (PHQ, GAD) carry their source and scoring as published; an organisation that
 * holds a licence for another instrument (EPDS, ASQ, SDQ) can add it in the same format.
 */
const Text = z.strictObject({ nl: z.string().min(1), en: z.string().min(1) });

export const QUESTION_KINDS = ['factual', 'reflective', 'current'] as const;

const Option = z.strictObject({
  value: z.string().min(1),
  nl: z.string().min(1),
  en: z.string().min(1),
  score: z.number().int().min(0).optional(),
});

const Item = z
  .strictObject({
    code: z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/, 'a code like "area.question"'),
    type: z.enum(['text', 'choice', 'scale', 'yesno']),
    /**
     * What kind of question it is. Only a factual one (a parent's own childhood, an earlier loss,
     * the people around) is not asked again: an earlier answer in the chain is confirmed instead.
     * A reflective one (how a parent sees the baby) is asked again, with who asked it before, because
     * the conversation is the point; one about now (sleep, the last two weeks) is asked again too.
     */
    kind: z.enum(QUESTION_KINDS),
    text: Text,
    why: Text,
    options: z.array(Option).min(2).optional(),
    signalCodes: z.array(z.string()).optional(),
    knowledge: z.string().optional(),
    /** For a scored item: an answer scoring at least this asks for attention straight away. */
    attentionFrom: z.number().int().min(0).optional(),
    /** What to do next when the answer asks for attention (shown to the professional at once). */
    attentionAdvice: Text.optional(),
    /** About the parent's own childhood: recorded only with that parent's own consent for it. */
    ownHistory: z.boolean().optional(),
  })
  .refine((item) => (item.type === 'choice' || item.type === 'scale') === Boolean(item.options), {
    message: 'choice and scale questions have options; others none',
    path: ['options'],
  })
  .refine((item) => item.type !== 'scale' || (item.options ?? []).every((o) => o.score !== undefined), {
    message: 'every option of a scale question has a score',
    path: ['options'],
  });

export const GuideDefinition = z
  .strictObject({
    key: z.string().regex(/^[a-z0-9_]+$/),
    version: z.number().int().positive(),
    title: Text,
    intro: Text,
    /** Whom the guide is taken with: an adult of the family, or the family as a whole. */
    for: z.enum(['adult', 'family']),
    instrument: z
      .strictObject({
        source: z.string().min(1),
        translationToCheck: z.boolean(),
        translationNote: Text.optional(),
        scoring: z.strictObject({
          method: z.literal('sum'),
          bands: z.array(
            z.strictObject({
              min: z.number().int(),
              max: z.number().int(),
              nl: z.string(),
              en: z.string(),
              /** The next step for a score in this band, when there is one to give. */
              advice: Text.optional(),
            }),
          ),
          cutoff: z.strictObject({ value: z.number().int() }).optional(),
        }),
      })
      .nullable(),
    items: z.array(Item).min(1).max(60),
  })
  .superRefine((guide, ctx) => {
    const codes = signalCodes().byKey;
    const cards = knowledgeKeys();
    const seen = new Set<string>();
    guide.items.forEach((item, i) => {
      if (seen.has(item.code)) {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'code'], message: `question "${item.code}" appears twice` });
      }
      seen.add(item.code);
      (item.signalCodes ?? []).forEach((code, j) => {
        if (!codes.has(code)) {
          ctx.addIssue({
            code: 'custom',
            path: ['items', i, 'signalCodes', j],
            message: `unknown signal code "${code}"`,
          });
        }
      });
      if (item.knowledge && !cards.has(item.knowledge)) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', i, 'knowledge'],
          message: `unknown knowledge card "${item.knowledge}"`,
        });
      }
      if (guide.instrument && item.type !== 'scale') {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'type'], message: 'an instrument has scale questions only' });
      }
    });
  });
export type GuideDefinition = z.infer<typeof GuideDefinition>;
export type GuideItem = GuideDefinition['items'][number];

/** Parse one guide; the error names the file and the place at fault ("items.2.options: …"). */
export function parseGuide(name: string, text: string): GuideDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`guide ${name}: not valid JSON (${(error as Error).message})`);
  }
  const result = GuideDefinition.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new Error(`guide ${name}: ${first?.path.join('.')}: ${first?.message}`);
  }
  return result.data;
}

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../content/guides');
let cached: Map<string, GuideDefinition> | undefined;

function readGuides(dir: string): GuideDefinition[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => parseGuide(file, fs.readFileSync(path.join(dir, file), 'utf8')));
}

/** The organisation's own guides (loadExtraGuides), kept beside Kring's whichever are in force. */
let extras: GuideDefinition[] = [];

/** Kring's guides as shipped in content/guides/. */
export function shippedGuides(): GuideDefinition[] {
  return readGuides(DIR);
}

/** Put Kring's guides in force in this process: published ones, or (undefined) the shipped ones. */
export function setGuidesInForce(published: GuideDefinition[] | undefined): void {
  cached = new Map([...(published ?? shippedGuides()), ...extras].map((guide) => [guide.key, guide]));
}

/** Every guide Kring ships (or an administrator published), and those an organisation added, by key. */
export function guides(): Map<string, GuideDefinition> {
  if (!cached) setGuidesInForce(undefined);
  return cached as Map<string, GuideDefinition>;
}

/**
 * Load an organisation's own guide definitions (for instance licensed instruments such as the
 * EPDS) from a folder, beside Kring's: validated like Kring's own; a broken one stops the start
 * with the file and place at fault; a key Kring already uses is refused.
 */
export function loadExtraGuides(dir: string): void {
  const all = guides();
  const kring = new Set([...all.keys()].filter((key) => !extras.some((extra) => extra.key === key)));
  const own = readGuides(dir);
  for (const guide of own) {
    if (kring.has(guide.key)) throw new Error(`guide ${guide.key}: the key is already used by a guide Kring ships`);
    all.set(guide.key, guide);
  }
  extras = own;
}

export type AnswerValue = string | number | boolean;

/** Does the value fit the question's type? Returns the problem, or null. */
export function answerProblem(item: GuideItem, value: AnswerValue): string | null {
  if (item.type === 'text') return typeof value === 'string' && value.trim() && value.length <= 4000 ? null : 'a text';
  if (item.type === 'yesno') return typeof value === 'boolean' ? null : 'yes or no (true or false)';
  return (item.options ?? []).some((o) => o.value === value)
    ? null
    : `one of ${(item.options ?? []).map((o) => o.value).join(', ')}`;
}

/**
 * An instrument's score as published: the sum of its items — only when every item was answered.
 * A missing item makes the score incomplete (null), never zero.
 */
export function scoreOf(guide: GuideDefinition, answers: Map<string, AnswerValue>) {
  const scoreOfItem = (item: GuideItem) => item.options?.find((o) => o.value === answers.get(item.code))?.score;
  const attention = guide.items.some(
    (item) => item.attentionFrom !== undefined && (scoreOfItem(item) ?? -1) >= item.attentionFrom,
  );
  if (!guide.instrument) return { score: null, complete: guide.items.every((i) => answers.has(i.code)), attention };
  const scores = guide.items.map(scoreOfItem);
  const complete = scores.every((s) => s !== undefined);
  return { score: complete ? scores.reduce<number>((sum, s) => sum + (s ?? 0), 0) : null, complete, attention };
}

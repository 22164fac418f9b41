import { z } from 'zod';
import { readContentFile } from '../content/content-file.ts';

/**
 * Information pages for parents in their own Kring (content/parent-information.json): short texts
 * in our own words, at B1, each with the sources its facts were checked against.
 */
const Text = z.strictObject({
  nl: z.string().min(1),
  en: z.string().min(1),
  /** The parents' other languages, where translated (each marked for a professional translator's check). */
  ar: z.string().min(1).optional(),
  tr: z.string().min(1).optional(),
  pl: z.string().min(1).optional(),
  uk: z.string().min(1).optional(),
});

export const ParentInformation = z
  .strictObject({
    version: z.number().int().positive(),
    description: z.string(),
    pages: z.array(
      z.strictObject({
        key: z.string().regex(/^[a-z0-9_]+$/),
        title: Text,
        body: Text,
        sources: z.array(z.string().min(1)).min(1),
      }),
    ),
  })
  .refine((file) => new Set(file.pages.map((p) => p.key)).size === file.pages.length, {
    message: 'each page key once',
    path: ['pages'],
  });
export type ParentInformation = z.infer<typeof ParentInformation>;

let cached: ParentInformation | undefined;

/** The pages as shipped; a broken file stops the start with the place at fault. */
export function parentInformation(): ParentInformation {
  cached ??= readContentFile('parent-information.json', ParentInformation, 'parent information');
  return cached;
}

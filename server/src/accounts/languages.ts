/**
 * The languages Kring speaks. Professionals, analysts and administrators work in Dutch or English;
 * the parents' Kring (its pages, its mails and the parents' wording of codes) also speaks Arabic,
 * Turkish, Polish and Ukrainian — languages many parents in the first 1001 days read better than
 * Dutch. The translations for parents live in web/src/i18n/parents/ and
 * server/src/mail/parent-languages.json, each marked for a professional translator's check.
 */
export const PROFESSIONAL_LANGUAGES = ['nl', 'en'] as const;
export const PARENT_LANGUAGES = ['nl', 'en', 'ar', 'tr', 'pl', 'uk'] as const;
export type Language = (typeof PARENT_LANGUAGES)[number];
/** The languages only the parents' Kring speaks (a page or text without them falls back to Dutch). */
export type ParentOnlyLanguage = Exclude<Language, (typeof PROFESSIONAL_LANGUAGES)[number]>;

export function isProfessionalLanguage(language: string): language is 'nl' | 'en' {
  return (PROFESSIONAL_LANGUAGES as readonly string[]).includes(language);
}

export function isParentLanguage(language: string): language is Language {
  return (PARENT_LANGUAGES as readonly string[]).includes(language);
}

import type { ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { isProfessionalLanguage } from '../../../server/src/accounts/languages.ts';
import type { ParentText } from '../../../server/src/signals/signal-codes.ts';
import i18next, { dutch, type Language } from './i18n.ts';
import { missingTexts } from './parent-texts.ts';

const completeness = new Map<Language, boolean>();
function complete(language: Language): boolean {
  if (isProfessionalLanguage(language)) return true;
  let known = completeness.get(language);
  if (known === undefined) {
    known = missingTexts(i18next.getResourceBundle(language, 'translation') ?? {}).length === 0;
    completeness.set(language, known);
  }
  return known;
}

/**
 * A page of the parents' Kring: in the parent's language when Kring has all its texts — the
 * interface and the content it shows (`content`: the signal wordings, a guide's questions) — in
 * that language; otherwise the whole page in Dutch, with a line saying so. Never half a page
 * translated and half not.
 */
export function ParentPage({
  content = [],
  children,
}: {
  content?: (ParentText | null | undefined)[];
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const whole = complete(language) && content.every((text) => !text || text[language] !== undefined);
  if (whole) return children;
  return (
    <>
      <p className="utrecht-paragraph">{t('language.pageInDutch')}</p>
      <div lang="nl" dir="ltr">
        <I18nextProvider i18n={dutch}>{children}</I18nextProvider>
      </div>
    </>
  );
}

/** A text for parents in the reader's language (Dutch where it has none: the page then falls back as a whole). */
export function useParentText() {
  const { i18n } = useTranslation();
  const language = i18n.language as Language;
  return (text: ParentText) => text[language] ?? text.nl;
}

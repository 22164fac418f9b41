import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isParentLanguage, isProfessionalLanguage, type Language } from '../../../server/src/accounts/languages.ts';
import en from './en.json' with { type: 'json' };
import nl from './nl.json' with { type: 'json' };
import ar from './parents/ar.json' with { type: 'json' };
import pl from './parents/pl.json' with { type: 'json' };
import tr from './parents/tr.json' with { type: 'json' };
import uk from './parents/uk.json' with { type: 'json' };

export type { Language };

const STORAGE_KEY = 'kring.language';

/**
 * Each language by its own name (a person looking for theirs reads it in their own script), its
 * writing direction and the locale for dates and numbers (Arabic with Western digits, as phone
 * numbers and dates in Dutch letters have them).
 */
export const LANGUAGES: Record<Language, { name: string; dir: 'ltr' | 'rtl'; locale: string }> = {
  nl: { name: 'Nederlands', dir: 'ltr', locale: 'nl-NL' },
  en: { name: 'English', dir: 'ltr', locale: 'en-GB' },
  ar: { name: 'العربية', dir: 'rtl', locale: 'ar-u-nu-latn' },
  tr: { name: 'Türkçe', dir: 'ltr', locale: 'tr-TR' },
  pl: { name: 'Polski', dir: 'ltr', locale: 'pl-PL' },
  uk: { name: 'Українська', dir: 'ltr', locale: 'uk-UA' },
};

/** The locale for dates and numbers in a language (Dutch for one Kring does not know). */
export function localeOf(language: string): string {
  return isParentLanguage(language) ? LANGUAGES[language].locale : LANGUAGES.nl.locale;
}

/** Dutch by default; the language the person chose (remembered on this device and in the account). */
export function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY) ?? 'nl';
  return isParentLanguage(stored) ? stored : 'nl';
}

/** The page's language and writing direction follow the chosen language. */
function markDocument(language: Language): void {
  document.documentElement.lang = language;
  document.documentElement.dir = LANGUAGES[language].dir;
}

export function rememberLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  markDocument(language);
}

/**
 * Texts asked for that no language has (the key would show as such), and texts of a parents'
 * language that fell back to Dutch string by string (a half-translated page): kept on the page for
 * the browser tests, which fail on any. Keys only, never personal data.
 */
const missingKeys: string[] = [];
const fallbackKeys: string[] = [];
Object.assign(window as unknown as object, { kringMissingKeys: missingKeys, kringFallbackKeys: fallbackKeys });

await i18next
  .use(initReactI18next)
  .use({
    type: 'postProcessor',
    name: 'noteFallback',
    process(
      value: string,
      key: string[] | string,
      options: { i18nResolved?: { usedLng?: string } },
      translator: { language?: string },
    ) {
      const asked = translator.language;
      const used = options.i18nResolved?.usedLng;
      if (asked && used && used !== asked && !isProfessionalLanguage(asked)) {
        const name = Array.isArray(key) ? key[0] : key;
        if (!fallbackKeys.includes(`${asked}:${name}`)) fallbackKeys.push(`${asked}:${name}`);
      }
      return value;
    },
  })
  .init({
    resources: {
      nl: { translation: nl },
      en: { translation: en },
      ar: { translation: ar },
      tr: { translation: tr },
      pl: { translation: pl },
      uk: { translation: uk },
    },
    lng: initialLanguage(),
    fallbackLng: 'nl',
    postProcess: ['noteFallback'],
    postProcessPassResolved: true,
    interpolation: { escapeValue: false },
    saveMissing: true,
    missingKeyHandler: (_languages, _namespace, key) => {
      if (!missingKeys.includes(key)) missingKeys.push(key);
    },
  });
markDocument(initialLanguage());

/** The same texts held in Dutch: for a page whose texts a parents' language does not (yet) have in full. */
export const dutch = i18next.cloneInstance({ lng: 'nl' });

export default i18next;

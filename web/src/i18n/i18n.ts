import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json' with { type: 'json' };
import nl from './nl.json' with { type: 'json' };

const STORAGE_KEY = 'kring.language';

/** Dutch by default; English when the person chose it (remembered on this device and in the account). */
export function initialLanguage(): 'nl' | 'en' {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'nl';
}

export function rememberLanguage(language: 'nl' | 'en'): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}

/**
 * Texts asked for that no language has (the key would show as such): kept on the page for the
 * browser tests, which fail on any. Keys only, never personal data.
 */
const missingKeys: string[] = [];
(window as unknown as { kringMissingKeys: string[] }).kringMissingKeys = missingKeys;

await i18next.use(initReactI18next).init({
  resources: { nl: { translation: nl }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'nl',
  interpolation: { escapeValue: false },
  saveMissing: true,
  missingKeyHandler: (_languages, _namespace, key) => {
    if (!missingKeys.includes(key)) missingKeys.push(key);
  },
});
document.documentElement.lang = i18next.language;

export default i18next;

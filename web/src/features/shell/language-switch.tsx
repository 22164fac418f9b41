import { useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { PARENT_LANGUAGES } from '../../../../server/src/accounts/languages.ts';
import { api, type Me } from '../../api.ts';
import { LANGUAGES, type Language, rememberLanguage } from '../../i18n/i18n.ts';
import { queryKeys } from '../../query-keys.ts';

/** Switch the interface language: remembered on the device and, signed in, in the account. */
function useSwitch(signedIn: boolean) {
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  return (language: Language) => {
    rememberLanguage(language);
    void i18n.changeLanguage(language);
    if (!signedIn) return;
    queryClient.setQueryData<Me | null>(queryKeys.me(), (me) =>
      me ? { ...me, actor: { ...me.actor, language } } : me,
    );
    api('PUT', '/api/me/language', { language }).catch(() => {});
  };
}

/**
 * The language switch. Professionals, analysts and administrators: one button between Dutch and
 * English. Parents (and anyone before signing in, who may be a parent): a choice of the parents'
 * languages, each named in its own language and script.
 */
export function LanguageSwitch({ signedIn = true, parents }: { signedIn?: boolean; parents: boolean }) {
  const { t, i18n } = useTranslation();
  const switchTo = useSwitch(signedIn);
  const id = useId();
  if (parents) {
    return (
      <span className="kring-language-choice">
        <label htmlFor={id} className="visually-hidden">
          {t('language.label')}
        </label>
        <select
          id={id}
          className="utrecht-select kring-language-select"
          value={i18n.language}
          onChange={(e) => switchTo(e.target.value as Language)}
        >
          {PARENT_LANGUAGES.map((language) => (
            <option key={language} value={language} lang={language}>
              {LANGUAGES[language].name}
            </option>
          ))}
        </select>
      </span>
    );
  }
  const other = i18n.language === 'en' ? 'nl' : 'en';
  return (
    <button
      type="button"
      className="utrecht-button utrecht-button--subtle kring-language-button"
      lang={other}
      aria-label={t('language.switchToLabel')}
      onClick={() => switchTo(other)}
    >
      {t('language.switchTo')}
    </button>
  );
}

import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { rememberLanguage } from '../../i18n/i18n.ts';

/** One button that switches between Dutch and English (remembered on the device and, signed in, the account). */
export function LanguageSwitch({ signedIn = true }: { signedIn?: boolean }) {
  const { t, i18n } = useTranslation();
  const other = i18n.language === 'en' ? 'nl' : 'en';
  return (
    <button
      type="button"
      className="utrecht-button utrecht-button--subtle kring-language-button"
      lang={other}
      aria-label={t('language.switchToLabel')}
      onClick={() => {
        rememberLanguage(other);
        void i18n.changeLanguage(other);
        if (signedIn) api('PUT', '/api/me/language', { language: other }).catch(() => {});
      }}
    >
      {t('language.switchTo')}
    </button>
  );
}

import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';

/** The person-facing sentence for an API error, by its code. */
export function useErrorText() {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown): string => {
      if (!(error instanceof ApiError)) return t('errors.unknown');
      if (error.code === 'TOO_MANY_ATTEMPTS') {
        const seconds = Number(error.body.retryAfterSeconds ?? 900);
        return t('errors.TOO_MANY_ATTEMPTS', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
      }
      const key = `errors.${error.code}`;
      const text = t(key);
      return text === key ? t('errors.unknown') : text;
    },
    [t],
  );
}

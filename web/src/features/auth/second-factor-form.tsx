import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, TextField } from '../../components/nlds.tsx';
import { useErrorText } from './use-error-text.ts';

/** The six-digit code form, shared by the sign-in step and the enrolment screens. */
export function SecondFactorForm({ onSubmit }: { onSubmit: (code: string) => Promise<unknown> }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!/^\d{6}$/.test(code)) {
      setFieldError(t('errors.code'));
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      await onSubmit(code);
    } catch (caught) {
      setError(errorText(caught));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate className="kring-stack">
      {error && <Alert type="error">{error}</Alert>}
      <TextField
        label={t('secondFactor.code')}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        error={fieldError}
        onChange={(event) => setCode(event.target.value.trim())}
        required
      />
      <Button type="submit" busy={busy} disabled={busy}>
        {t('secondFactor.submit')}
      </Button>
    </form>
  );
}

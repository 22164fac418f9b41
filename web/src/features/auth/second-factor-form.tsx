import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnrolmentStart } from '../../api.ts';
import { Alert, Button, Paragraph, TextField } from '../../components/nlds.tsx';
import { useErrorText } from './use-error-text.ts';

/** A one-field code form: checked in the browser first, then sent; a refusal clears the field. */
export function CodeForm({
  label,
  name,
  isValid,
  invalidText,
  onSubmit,
  numeric = false,
}: {
  label: string;
  name: string;
  isValid: (code: string) => boolean;
  invalidText: string;
  onSubmit: (code: string) => Promise<unknown>;
  numeric?: boolean;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!isValid(code)) {
      setFieldError(invalidText);
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
        label={label}
        name={name}
        spellCheck={false}
        {...(numeric ? { inputMode: 'numeric', autoComplete: 'one-time-code', maxLength: 6 } : { autoComplete: 'off' })}
        value={code}
        error={fieldError}
        onChange={(event) => setCode(numeric ? event.target.value.trim() : event.target.value)}
        required
      />
      <Button type="submit" busy={busy} disabled={busy}>
        {t('secondFactor.submit')}
      </Button>
    </form>
  );
}

/** The six-digit code form, shared by the sign-in step and the enrolment screens. */
export function SecondFactorForm({ onSubmit }: { onSubmit: (code: string) => Promise<unknown> }) {
  const { t } = useTranslation();
  return (
    <CodeForm
      label={t('secondFactor.code')}
      name="code"
      numeric
      isValid={(code) => /^\d{6}$/.test(code)}
      invalidText={t('errors.code')}
      onSubmit={onSubmit}
    />
  );
}

/** The QR code and manual key of an authenticator-app enrolment. */
export function EnrolmentInstructions({ enrolment }: { enrolment: EnrolmentStart }) {
  const { t } = useTranslation();
  return (
    <>
      <Paragraph>{t('secondFactor.enrolIntro')}</Paragraph>
      <img className="kring-qr" src={enrolment.qrCodeDataUrl} alt={t('secondFactor.qrAlt')} />
      <Paragraph muted>
        {t('secondFactor.manualKey')} <code>{enrolment.secret}</code>
      </Paragraph>
    </>
  );
}

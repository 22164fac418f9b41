import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Actor, api, type EnrolmentStart, type LoginResult } from '../../api.ts';
import { Alert, Button, Heading, Link, Paragraph, TextField } from '../../components/nlds.tsx';
import { OrganisationSignIn } from './identity-provider.tsx';
import { RecoveryCodeForm, RecoveryCodeList } from './recovery-codes.tsx';
import { EnrolmentInstructions, SecondFactorForm } from './second-factor-form.tsx';
import { useErrorText } from './use-error-text.ts';

type Step =
  | { name: 'password' }
  | { name: 'code' }
  | { name: 'recovery' }
  | { name: 'enrol'; enrolment: EnrolmentStart }
  | { name: 'codes'; codes: string[]; actor: Actor };

/** Sign-in: e-mail and password, then the second factor (or its enrolment) where it applies. */
export function LoginPage({ onSignedIn }: { onSignedIn: (actor: Actor) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [step, setStep] = useState<Step>({ name: 'password' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const next = async (result: LoginResult) => {
    if (result.status === 'signed_in' && result.recoveryCodes) {
      setStep({ name: 'codes', codes: result.recoveryCodes, actor: result.actor });
    } else if (result.status === 'signed_in') onSignedIn(result.actor);
    else if (result.status === 'second_factor_required') setStep({ name: 'code' });
    else setStep({ name: 'enrol', enrolment: await api<EnrolmentStart>('POST', '/api/auth/second-factor/enrolment') });
  };

  const submitPassword = async (event: FormEvent) => {
    event.preventDefault();
    const errors = {
      email: !email.trim() ? t('errors.required') : !email.includes('@') ? t('errors.email') : undefined,
      password: !password ? t('errors.required') : undefined,
    };
    setFieldErrors(errors);
    if (errors.email || errors.password) return;
    setError(undefined);
    setBusy(true);
    try {
      await next(await api<LoginResult>('POST', '/api/auth/login', { email, password }));
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="kring-narrow kring-card kring-stack">
      {step.name === 'password' && (
        <>
          <Heading level={1}>{t('login.title')}</Heading>
          <Paragraph>{t('login.intro')}</Paragraph>
          <form onSubmit={submitPassword} noValidate className="kring-stack">
            {error && <Alert type="error">{error}</Alert>}
            <TextField
              label={t('login.email')}
              name="email"
              type="email"
              autoComplete="username"
              value={email}
              error={fieldErrors.email}
              onChange={(event) => setEmail(event.target.value)}
              required
            />
            <TextField
              label={t('login.password')}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              error={fieldErrors.password}
              onChange={(event) => setPassword(event.target.value)}
              required
            />
            <Button type="submit" busy={busy} disabled={busy}>
              {busy ? t('login.busy') : t('login.submit')}
            </Button>
          </form>
          <Link href="/wachtwoord-vergeten">{t('passwordReset.forgot')}</Link>
          <OrganisationSignIn />
        </>
      )}
      {step.name === 'code' && (
        <>
          <Heading level={1}>{t('secondFactor.title')}</Heading>
          <Paragraph>{t('secondFactor.intro')}</Paragraph>
          <SecondFactorForm
            onSubmit={async (code) => next(await api<LoginResult>('POST', '/api/auth/second-factor', { code }))}
          />
          <div>
            <Button appearance="subtle" onClick={() => setStep({ name: 'recovery' })}>
              {t('recovery.useCode')}
            </Button>
          </div>
        </>
      )}
      {step.name === 'recovery' && (
        <>
          <Heading level={1}>{t('recovery.signInTitle')}</Heading>
          <Paragraph>{t('recovery.signInIntro')}</Paragraph>
          <RecoveryCodeForm onResult={next} />
        </>
      )}
      {step.name === 'codes' && (
        <>
          <Alert type="ok">{t('recovery.enrolled')}</Alert>
          <RecoveryCodeList codes={step.codes} />
          <div>
            <Button onClick={() => onSignedIn(step.actor)}>{t('recovery.kept')}</Button>
          </div>
        </>
      )}
      {step.name === 'enrol' && (
        <>
          <Heading level={1}>{t('secondFactor.enrolTitle')}</Heading>
          <EnrolmentInstructions enrolment={step.enrolment} />
          <SecondFactorForm
            onSubmit={async (code) =>
              next(await api<LoginResult>('POST', '/api/auth/second-factor/enrolment/confirm', { code }))
            }
          />
        </>
      )}
    </main>
  );
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { authRoutes } from '../../../../server/src/accounts/auth.routes.ts';
import { type Answer, api, type EnrolmentStart } from '../../api.ts';
import { Alert, Heading, Link } from '../../components/nlds.tsx';
import { RecoveryCodeList } from './recovery-codes.tsx';
import { EnrolmentInstructions, SecondFactorForm } from './second-factor-form.tsx';
import { useErrorText } from './use-error-text.ts';

/**
 * The one-time enrolment link that `npm run admin:create` prints: /enrol#<token>. The token sits in
 * the fragment, which browsers never send to a server, so it appears in no access log.
 */
export function EnrolLinkPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const token = window.location.hash.slice(1);
  const [enrolment, setEnrolment] = useState<EnrolmentStart>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string[]>();

  useEffect(() => {
    api<EnrolmentStart>('POST', '/api/auth/enrolment-link', { token }).then(setEnrolment, (caught) =>
      setError(errorText(caught)),
    );
  }, [token, errorText]);

  return (
    <main id="main" className="kring-narrow kring-card kring-stack">
      <Heading level={1}>{t('secondFactor.enrolTitle')}</Heading>
      {error && <Alert type="error">{error}</Alert>}
      {done && (
        <>
          <Alert type="ok">{t('secondFactor.linkDone')}</Alert>
          <RecoveryCodeList codes={done} />
          <Link href="/">{t('secondFactor.toLogin')}</Link>
        </>
      )}
      {enrolment && !done && (
        <>
          <EnrolmentInstructions enrolment={enrolment} />
          <SecondFactorForm
            onSubmit={async (code) => {
              const confirmed = await api<Answer<typeof authRoutes, 'POST /api/auth/enrolment-link/confirm'>>(
                'POST',
                '/api/auth/enrolment-link/confirm',
                {
                  token,
                  code,
                },
              );
              setDone(confirmed.recoveryCodes);
            }}
          />
        </>
      )}
    </main>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { authRoutes } from '../../../../server/src/accounts/auth.routes.ts';
import type { invitationRoutes } from '../../../../server/src/accounts/invitation.routes.ts';
import { type Answer, ApiError, api, type EnrolmentStart } from '../../api.ts';
import { Alert, Button, Heading, Link, TextField } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { fieldMessage } from '../families/families-api.ts';
import { RecoveryCodeList } from './recovery-codes.tsx';
import { EnrolmentInstructions, SecondFactorForm } from './second-factor-form.tsx';
import { useErrorText } from './use-error-text.ts';

/**
 * The invitation link from the e-mail: /uitnodiging#<token> (the token in the fragment, which
 * browsers never send to a server). Choose a password, then connect the authenticator app.
 */
export function InvitationPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const token = window.location.hash.slice(1);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [enrolment, setEnrolment] = useState<{ token: string; start: EnrolmentStart }>();
  const [done, setDone] = useState<string[]>();
  const mismatch = repeat !== '' && repeat !== password;

  const choosePassword = async () => {
    if (mismatch) return;
    setBusy(true);
    setError(undefined);
    try {
      const { enrolmentToken } = await api<Answer<typeof invitationRoutes, 'POST /api/auth/invitation'>>(
        'POST',
        '/api/auth/invitation',
        {
          token,
          password,
        },
      );
      const start = await api<EnrolmentStart>('POST', '/api/auth/enrolment-link', { token: enrolmentToken });
      setEnrolment({ token: enrolmentToken, start });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="kring-narrow kring-card kring-stack">
      <Heading level={1}>{t('invitation.title')}</Heading>
      {error instanceof ApiError && error.code !== 'VALIDATION_FAILED' ? (
        <Alert type="error">{errorText(error)}</Alert>
      ) : null}
      {!enrolment && (
        <form
          className="kring-stack"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void choosePassword();
          }}
        >
          <TextField
            type="password"
            autoComplete="new-password"
            label={t('invitation.password')}
            description={t('invitation.passwordHint')}
            value={password}
            error={fieldMessage(error, 'body.password')}
            onChange={(e) => setPassword(e.target.value)}
          />
          <TextField
            type="password"
            autoComplete="new-password"
            label={t('invitation.repeat')}
            value={repeat}
            error={mismatch ? t('invitation.mismatch') : undefined}
            onChange={(e) => setRepeat(e.target.value)}
          />
          <div>
            <Button type="submit" busy={busy}>
              {t('invitation.choose')}
            </Button>
          </div>
        </form>
      )}
      {enrolment && !done && (
        <>
          <Alert type="ok">{t('invitation.passwordSet')}</Alert>
          <EnrolmentInstructions enrolment={enrolment.start} />
          <SecondFactorForm
            onSubmit={async (code) => {
              const confirmed = await api<Answer<typeof authRoutes, 'POST /api/auth/enrolment-link/confirm'>>(
                'POST',
                '/api/auth/enrolment-link/confirm',
                {
                  token: enrolment.token,
                  code,
                },
              );
              setDone(confirmed.recoveryCodes);
            }}
          />
        </>
      )}
      {done && (
        <>
          <Alert type="ok">{t('secondFactor.linkDone')}</Alert>
          <RecoveryCodeList codes={done} />
          <Link href="/">{t('secondFactor.toLogin')}</Link>
        </>
      )}
    </main>
  );
}

/** Demo mode: the mails Kring would have sent, so a visitor can follow an invitation link. */
export function DemoOutboxPage() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const outbox = useQuery({
    queryKey: queryKeys.demoOutbox(),
    queryFn: () => api<Answer<typeof invitationRoutes, 'GET /api/demo/outbox'>>('GET', '/api/demo/outbox'),
  });
  const mails = outbox.data?.mails;
  const error = outbox.error;
  return (
    <main id="main" className="kring-stack kring-narrow">
      <Heading level={1}>{t('outbox.title')}</Heading>
      <Alert type="info">{t('outbox.intro')}</Alert>
      {error ? (
        <Alert type="error">
          {error instanceof ApiError && (error.status === 401 || error.status === 403)
            ? t('outbox.adminOnly')
            : errorText(error)}
        </Alert>
      ) : null}
      {mails?.length === 0 && <p>{t('outbox.empty')}</p>}
      {mails?.map((mail) => (
        <article key={mail.id} className="kring-card kring-stack" aria-label={mail.subject}>
          <Heading level={2}>{mail.subject}</Heading>
          <p className="kring-muted">
            {t('outbox.to', { to: mail.to })} · {new Date(mail.createdAt).toLocaleString(i18n.language)}
          </p>
          <MailBody body={mail.body ?? ''} />
        </article>
      ))}
      <Link href="/">{t('secondFactor.toLogin')}</Link>
    </main>
  );
}

/** A mail's text with its links made clickable. */
function MailBody({ body }: { body: string }) {
  return (
    <div className="kring-mail">
      {body.split('\n').map((line, i) => {
        const url = /^https?:\/\/\S+$/.test(line.trim()) ? line.trim() : null;
        const key = `${i}-${line.slice(0, 20)}`;
        if (!url) return <p key={key}>{line}</p>;
        const local = new URL(url);
        return (
          <p key={key}>
            <Link href={`${local.pathname}${local.hash}`}>{url}</Link>
          </p>
        );
      })}
    </div>
  );
}

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import { Alert, Button, Heading, Link, Paragraph, TextField } from '../../components/nlds.tsx';
import { fieldMessage } from '../families/families-api.ts';

/** Ask for a new password: the same answer whether or not the address is known. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const ask = useMutation({ mutationFn: () => api('POST', '/api/auth/password-reset', { email }) });
  return (
    <main id="main" className="kring-narrow kring-card kring-stack">
      <Heading level={1}>{t('passwordReset.title')}</Heading>
      <Paragraph>{t('passwordReset.intro')}</Paragraph>
      <ActionForm action={ask} saved={t('passwordReset.sent')}>
        <TextField
          type="email"
          autoComplete="username"
          label={t('login.email')}
          value={email}
          error={fieldMessage(ask.error, 'body.email')}
          onChange={(e) => setEmail(e.target.value)}
        />
        <div>
          <Button type="submit" busy={ask.isPending}>
            {t('passwordReset.send')}
          </Button>
        </div>
      </ActionForm>
      <Link href="/">{t('secondFactor.toLogin')}</Link>
    </main>
  );
}

/** The link from the e-mail: /wachtwoord#<token> (the token in the fragment, never sent to a server log). */
export function NewPasswordPage() {
  const { t } = useTranslation();
  const token = window.location.hash.slice(1);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat !== '' && repeat !== password;
  const save = useMutation({
    mutationFn: async () => {
      if (mismatch) throw new ApiError(400, { code: 'VALIDATION_FAILED', fields: [] });
      return api('POST', '/api/auth/password-reset/confirm', { token, password });
    },
  });
  return (
    <main id="main" className="kring-narrow kring-card kring-stack">
      <Heading level={1}>{t('passwordReset.newTitle')}</Heading>
      {save.isSuccess ? (
        <>
          <Alert type="ok">{t('passwordReset.done')}</Alert>
          <Link href="/">{t('secondFactor.toLogin')}</Link>
        </>
      ) : (
        <ActionForm action={save}>
          <TextField
            type="password"
            autoComplete="new-password"
            label={t('invitation.password')}
            description={t('invitation.passwordHint')}
            value={password}
            error={fieldMessage(save.error, 'body.password')}
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
            <Button type="submit" busy={save.isPending}>
              {t('passwordReset.save')}
            </Button>
          </div>
        </ActionForm>
      )}
    </main>
  );
}

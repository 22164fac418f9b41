import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { authRoutes } from '../../../../server/src/accounts/auth.routes.ts';
import { type Answer, api, type EnrolmentStart, type LoginResult } from '../../api.ts';
import { Alert, Button, Heading, Paragraph } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { CodeForm, EnrolmentInstructions, SecondFactorForm } from './second-factor-form.tsx';
import { useErrorText } from './use-error-text.ts';

/** Recovery codes, shown once: what they are for and how to keep them. */
export function RecoveryCodeList({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  return (
    <section className="kring-stack" aria-labelledby="recovery-codes-title">
      <Heading level={2} id="recovery-codes-title">
        {t('recovery.title')}
      </Heading>
      <Paragraph>{t('recovery.keep')}</Paragraph>
      <ol className="kring-recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The second sign-in step with a recovery code, for a lost or broken phone. */
export function RecoveryCodeForm({ onResult }: { onResult: (result: LoginResult) => Promise<void> | void }) {
  const { t } = useTranslation();
  return (
    <CodeForm
      label={t('recovery.code')}
      name="recoveryCode"
      isValid={(code) => code.replace(/[\s-]/g, '').length >= 10}
      invalidText={t('recovery.codeFormat')}
      onSubmit={async (code) => onResult(await api<LoginResult>('POST', '/api/auth/second-factor/recovery', { code }))}
    />
  );
}

/** On the start page: how many recovery codes are left, and a new set when needed. */
export function RecoveryCodesPanel() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const left = useQuery({
    queryKey: queryKeys.recoveryCodes(),
    queryFn: () => api<Answer<typeof authRoutes, 'GET /api/me/recovery-codes'>>('GET', '/api/me/recovery-codes'),
  });
  const renew = useMutation({
    mutationFn: () => api<Answer<typeof authRoutes, 'POST /api/me/recovery-codes'>>('POST', '/api/me/recovery-codes'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.recoveryCodes() }),
  });
  const count = left.data?.recoveryCodesLeft;
  return (
    <section className="kring-card kring-stack" aria-labelledby="recovery-panel-title">
      <Heading level={2} id="recovery-panel-title">
        {t('recovery.panelTitle')}
      </Heading>
      {count !== undefined && (
        <Paragraph>
          {t('recovery.left', { count })} {count <= 3 && t('recovery.renewSoon')}
        </Paragraph>
      )}
      {renew.error && <Alert type="error">{errorText(renew.error)}</Alert>}
      {renew.data ? (
        <RecoveryCodeList codes={renew.data.recoveryCodes} />
      ) : (
        <div>
          <Button appearance="secondary" busy={renew.isPending} onClick={() => renew.mutate()}>
            {t('recovery.renew')}
          </Button>
        </div>
      )}
    </section>
  );
}

/** Connect an authenticator app from "Mijn account" (a parent who wants a second factor, or anyone). */
export function EnableSecondFactorPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [enrolment, setEnrolment] = useState<EnrolmentStart>();
  const [codes, setCodes] = useState<string[]>();
  const start = useMutation({
    mutationFn: () => api<EnrolmentStart>('POST', '/api/auth/second-factor/enrolment'),
    onSuccess: setEnrolment,
  });
  return (
    <section className="kring-card kring-stack" aria-labelledby="enable-second-factor">
      <Heading level={2} id="enable-second-factor">
        {t('home.enableSecondFactor')}
      </Heading>
      {codes ? (
        <>
          <Alert type="ok">{t('recovery.enrolled')}</Alert>
          <RecoveryCodeList codes={codes} />
          <div>
            <Button onClick={() => queryClient.invalidateQueries({ queryKey: queryKeys.me() })}>
              {t('recovery.kept')}
            </Button>
          </div>
        </>
      ) : enrolment ? (
        <>
          <EnrolmentInstructions enrolment={enrolment} />
          <SecondFactorForm
            onSubmit={async (code) => {
              const result = await api<LoginResult>('POST', '/api/auth/second-factor/enrolment/confirm', { code });
              if (result.status === 'signed_in') setCodes(result.recoveryCodes ?? []);
            }}
          />
        </>
      ) : (
        <>
          <Paragraph>{t('secondFactor.optionalIntro')}</Paragraph>
          <div>
            <Button appearance="secondary" busy={start.isPending} onClick={() => start.mutate()}>
              {t('home.enableSecondFactor')}
            </Button>
          </div>
        </>
      )}
    </section>
  );
}

import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Actor, api } from '../../api.ts';
import { Alert, Button, Heading, Paragraph } from '../../components/nlds.tsx';
import { actorRole } from './shell.tsx';

interface VerifyResult {
  chains: number;
  events: number;
  ok: boolean;
  broken: string[];
}

/** The start page: who you are here, and what this part of Kring will hold for your role. */
export function HomePage({ actor }: { actor: Actor }) {
  const { t } = useTranslation();
  return (
    <>
      <Heading level={1}>{t('shell.welcome', { name: actor.displayName })}</Heading>
      <div className="kring-card kring-stack">
        <Paragraph>{t(`home.${actor.kind}`)}</Paragraph>
        <dl>
          {actor.organisationName && (
            <>
              <dt>{t('home.organisation')}</dt>
              <dd>{actor.organisationName}</dd>
            </>
          )}
          <dt>{t('home.role')}</dt>
          <dd>{actorRole(actor, t)}</dd>
          <dt>{t('home.secondFactor')}</dt>
          <dd>{actor.secondFactorEnabled ? t('home.secondFactorOn') : t('home.secondFactorOff')}</dd>
        </dl>
      </div>
      {actor.kind === 'admin' && <AuditVerifyPanel />}
    </>
  );
}

function AuditVerifyPanel() {
  const { t } = useTranslation();
  const verify = useMutation({ mutationFn: () => api<VerifyResult>('POST', '/api/audit-events/verify') });
  return (
    <section className="kring-card kring-stack" aria-labelledby="audit-verify">
      <Heading level={2} id="audit-verify">
        {t('home.auditTitle')}
      </Heading>
      <Paragraph>{t('home.auditIntro')}</Paragraph>
      <Button appearance="secondary" busy={verify.isPending} onClick={() => verify.mutate()}>
        {t('home.auditRun')}
      </Button>
      {verify.data?.ok && (
        <Alert type="ok">{t('home.auditOk', { chains: verify.data.chains, events: verify.data.events })}</Alert>
      )}
      {verify.data && !verify.data.ok && (
        <Alert type="error">
          {t('home.auditBroken')}
          <ul>
            {verify.data.broken.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </Alert>
      )}
    </section>
  );
}

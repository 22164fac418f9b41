import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { Alert, Button, Heading, Link, Paragraph } from '../../components/nlds.tsx';
import { useErrorText } from '../auth/use-error-text.ts';
import { formatDate } from '../families/families-api.ts';

interface Incoming {
  id: string;
  familyId: string;
  familyName: string;
  fromOrganisationName: string;
  summary: string;
  createdAt: string;
  version: number;
}

/** Handovers waiting for the actor's organisation: the sender's summary, then accept or decline. */
export function HandoversPage() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const incoming = useQuery({
    queryKey: ['handovers'],
    queryFn: () => api<{ handovers: Incoming[] }>('GET', '/api/handovers/incoming'),
  });
  const decide = useMutation({
    mutationFn: ({ handover, decision }: { handover: Incoming; decision: 'accept' | 'decline' }) =>
      api<{ familyId: string; status: string }>('POST', `/api/handovers/${handover.id}/${decision}`, {
        version: handover.version,
      }),
    onSettled: () => queryClient.invalidateQueries(),
  });
  return (
    <div className="kring-stack">
      <Heading level={1}>{t('handovers.title')}</Heading>
      {decide.error && <Alert type="error">{errorText(decide.error)}</Alert>}
      {decide.data?.status === 'accepted' && (
        <Alert type="ok">
          {t('handovers.accepted')} <Link href={`/gezinnen/${decide.data.familyId}`}>{t('nav.caseload')}</Link>
        </Alert>
      )}
      {incoming.data?.handovers.length === 0 && <Paragraph>{t('handovers.empty')}</Paragraph>}
      {incoming.data?.handovers.map((handover) => (
        <article key={handover.id} className="kring-card kring-stack" aria-labelledby={`handover-${handover.id}`}>
          <Heading level={2} id={`handover-${handover.id}`}>
            {handover.familyName}
          </Heading>
          <Paragraph muted>
            {t('handovers.from', { organisation: handover.fromOrganisationName })} ·{' '}
            {formatDate(handover.createdAt.slice(0, 10), i18n.language)}
          </Paragraph>
          <Paragraph>{handover.summary}</Paragraph>
          <div className="kring-row kring-search">
            <Button busy={decide.isPending} onClick={() => decide.mutate({ handover, decision: 'accept' })}>
              {t('handovers.accept')}
            </Button>
            <Button appearance="secondary" onClick={() => decide.mutate({ handover, decision: 'decline' })}>
              {t('handovers.decline')}
            </Button>
          </div>
        </article>
      ))}
    </div>
  );
}

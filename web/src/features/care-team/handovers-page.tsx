import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { familyRoutes } from '../../../../server/src/families/family.routes.ts';
import { type Answer, api } from '../../api.ts';
import { Alert, Button, Fieldset, Heading, Link, Paragraph, SelectField, TextField } from '../../components/nlds.tsx';
import { Pager } from '../../components/pager.tsx';
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { formatDate } from '../families/families-api.ts';
import { SentBySwitch } from './sent-by-switch.tsx';

type Incoming = Answer<typeof familyRoutes, 'GET /api/handovers/incoming'>['handovers'][number];

/**
 * Handovers waiting for the actor's organisation (the sender's summary, then accept or decline),
 * and the ones the actor or their organisation sent, with the answer.
 */
const HANDOVERS_PER_PAGE = 10;

export function HandoversPage() {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<'incoming' | 'sent'>('incoming');
  const [search, setSearch] = useState('');
  const [newestFirst, setNewestFirst] = useState(true);
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const incoming = useQuery({
    queryKey: queryKeys.handovers(),
    queryFn: () => api<Answer<typeof familyRoutes, 'GET /api/handovers/incoming'>>('GET', '/api/handovers/incoming'),
  });
  const decide = useMutation({
    mutationFn: ({ handover, decision }: { handover: Incoming; decision: 'accept' | 'decline' }) =>
      api<Answer<typeof familyRoutes, 'POST /api/handovers/:handoverId/accept'>>(
        'POST',
        `/api/handovers/${handover.id}/${decision}`,
        {
          version: handover.version,
        },
      ),
    onSettled: () => queryClient.invalidateQueries(),
  });
  // A new handover first by default, found by family or sending organisation.
  const words = search.trim().toLowerCase();
  const found = [...(incoming.data?.handovers ?? [])]
    .filter((h) => !words || `${h.familyName} ${h.fromOrganisationName}`.toLowerCase().includes(words))
    .sort((a, b) => (newestFirst ? b.createdAt.localeCompare(a.createdAt) : a.createdAt.localeCompare(b.createdAt)));
  // Ten at a time: a long inbox stays a page a person can take in.
  const [page, setPage] = useState(1);
  const pages = Math.max(1, Math.ceil(found.length / HANDOVERS_PER_PAGE));
  const current = Math.min(page, pages);
  const shown = found.slice((current - 1) * HANDOVERS_PER_PAGE, current * HANDOVERS_PER_PAGE);
  return (
    <div className="kring-stack">
      <Heading level={1}>{t('handovers.title')}</Heading>
      <Fieldset legend={t('handovers.viewLabel')}>
        <div className="kring-toggle">
          {(['incoming', 'sent'] as const).map((v) => (
            <Button
              key={v}
              appearance={view === v ? 'primary' : 'secondary'}
              aria-pressed={view === v}
              onClick={() => setView(v)}
            >
              {v === 'incoming'
                ? t('handovers.views.incoming', { count: incoming.data?.handovers.length ?? 0 })
                : t('handovers.views.sent')}
            </Button>
          ))}
        </div>
      </Fieldset>
      {view === 'sent' ? <SentHandovers /> : null}
      {view === 'incoming' && (incoming.data?.handovers.length ?? 0) > 1 && (
        <div className="kring-grid">
          <TextField
            label={t('handovers.search')}
            description={t('handovers.searchHint')}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
          />
          <SelectField
            label={t('handovers.order')}
            value={newestFirst ? 'newest' : 'oldest'}
            onChange={(e) => setNewestFirst(e.target.value === 'newest')}
            options={[
              { value: 'newest', label: t('handovers.newest') },
              { value: 'oldest', label: t('handovers.oldest') },
            ]}
          />
        </div>
      )}
      {view === 'incoming' && decide.error && <Alert type="error">{errorText(decide.error)}</Alert>}
      {view === 'incoming' && decide.data?.status === 'accepted' && (
        <Alert type="ok">
          {t('handovers.accepted')} <Link href={`/gezinnen/${decide.data.familyId}`}>{t('nav.caseload')}</Link>
        </Alert>
      )}
      {view === 'incoming' && incoming.data?.handovers.length === 0 && <Paragraph>{t('handovers.empty')}</Paragraph>}
      {view === 'incoming' &&
        shown.map((handover) => (
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
      {view === 'incoming' && <Pager page={current} pages={pages} onChange={setPage} />}
    </div>
  );
}

/** What was handed over, by me or my organisation: to whom, when, and the answer. */
function SentHandovers() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [by, setBy] = useState<'me' | 'organisation'>('me');
  const sent = useQuery({
    queryKey: queryKeys.handoversSent(by),
    queryFn: () => api<Answer<typeof familyRoutes, 'GET /api/handovers/sent'>>('GET', `/api/handovers/sent?by=${by}`),
  });
  const date = (iso: string) => formatDate(iso.slice(0, 10), i18n.language);
  return (
    <section className="kring-card kring-stack" aria-labelledby="sent-handovers">
      <Heading level={2} id="sent-handovers">
        {t('handovers.sentTitle')}
      </Heading>
      <SentBySwitch by={by} onChange={setBy} />
      {sent.error && <Alert type="error">{errorText(sent.error)}</Alert>}
      {sent.data?.handovers.length === 0 && <Paragraph>{t('handovers.sentEmpty')}</Paragraph>}
      <ul className="kring-timeline">
        {sent.data?.handovers.map((h) => (
          <li key={h.id}>
            <strong>{h.familyName ?? t('handovers.familyNotVisible')}</strong> → {h.toOrganisationName} ·{' '}
            {date(h.sentAt)} · <span className="kring-badge">{t(`record.handoverStatus.${h.status}`)}</span>
            {h.decidedAt &&
              h.decidedBy &&
              ` ${t('handovers.decidedBy', { name: h.decidedBy, date: date(h.decidedAt) })}`}
            {h.familyName && (
              <>
                {' '}
                <Link href={`/gezinnen/${h.familyId}`}>{t('handovers.openRecord')}</Link>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

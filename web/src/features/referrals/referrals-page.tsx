import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import {
  Alert,
  Button,
  Fieldset,
  Heading,
  Link,
  Paragraph,
  SelectField,
  TextAreaField,
  TextField,
} from '../../components/nlds.tsx';
import { Pager, pageCount } from '../../components/pager.tsx';
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { SentBySwitch } from '../care-team/sent-by-switch.tsx';
import { fieldMessage, formatDate, useOrganisations } from '../families/families-api.ts';
import { SharedRecord } from '../families/shared-record.tsx';
import { type InboxResponse, type ReferralResponse, type SentResponse, useCatalogue } from './referrals-api.ts';

const OUTCOME_REASONS = [
  'family_not_reached',
  'waiting_list',
  'not_eligible',
  'family_declined',
  'no_capacity',
  'other',
];

/** The organisation's referral inbox: open referrals (urgent and oldest first) or closed ones, a page at a time. */
export function ReferralsPage() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const { nameOf } = useCatalogue();
  const [view, setView] = useState<'open' | 'closed' | 'sent'>('open');
  const [page, setPage] = useState(1);
  const [urgency, setUrgency] = useState('');
  const [from, setFrom] = useState('');
  const organisations = useOrganisations();
  const inbox = useQuery({
    enabled: view !== 'sent',
    queryKey: queryKeys.referralInbox(view, page, urgency, from),
    queryFn: () =>
      api<InboxResponse>(
        'GET',
        `/api/referrals/inbox?${new URLSearchParams({ view, page: String(page), ...(urgency && { urgency }), ...(from && { from }) })}`,
      ),
    placeholderData: (previous) => previous,
  });
  const data = inbox.data;
  const pages = pageCount(data);
  return (
    <div className="kring-stack">
      <Heading level={1}>{t('referrals.inbox')}</Heading>
      <Paragraph>{t('referrals.inboxIntro')}</Paragraph>
      <Fieldset legend={t('referrals.view')}>
        <div className="kring-toggle">
          {(['open', 'closed', 'sent'] as const).map((v) => (
            <Button
              key={v}
              appearance={view === v ? 'primary' : 'secondary'}
              aria-pressed={view === v}
              onClick={() => {
                setView(v);
                setPage(1);
              }}
            >
              {t(`referrals.views.${v}`)}
            </Button>
          ))}
        </div>
      </Fieldset>
      {view !== 'sent' && (
        <div className="kring-filters">
          <SelectField
            label={t('referrals.urgency')}
            value={urgency}
            onChange={(e) => {
              setUrgency(e.target.value);
              setPage(1);
            }}
            options={[
              { value: '', label: t('referrals.anyUrgency') },
              ...(['urgent', 'soon', 'routine'] as const).map((u) => ({
                value: u,
                label: t(`referrals.urgencies.${u}`),
              })),
            ]}
          />
          <SelectField
            label={t('referrals.from')}
            value={from}
            onChange={(e) => {
              setFrom(e.target.value);
              setPage(1);
            }}
            options={[
              { value: '', label: t('referrals.anyOrganisation') },
              ...(organisations.data?.organisations ?? []).map((o) => ({ value: o.id, label: o.name })),
            ]}
          />
        </div>
      )}
      {view === 'sent' && <SentReferrals />}
      {inbox.error && <Alert type="error">{errorText(inbox.error)}</Alert>}
      {view !== 'sent' && data?.referrals.length === 0 && <Paragraph>{t('referrals.inboxEmpty')}</Paragraph>}
      {view !== 'sent' && data && data.referrals.length > 0 && (
        <table className="utrecht-table">
          <caption className="utrecht-table__caption">{t('referrals.count', { count: data.total })}</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th className="utrecht-table__header-cell" scope="col">
                {t('referrals.family')}
              </th>
              <th className="utrecht-table__header-cell" scope="col">
                {t('referrals.intervention')}
              </th>
              <th className="utrecht-table__header-cell" scope="col">
                {t('referrals.from')}
              </th>
              <th className="utrecht-table__header-cell" scope="col">
                {t('referrals.urgency')}
              </th>
              <th className="utrecht-table__header-cell" scope="col">
                {t('referrals.statusLabel')}
              </th>
              <th className="utrecht-table__header-cell" scope="col">
                {t('referrals.sent')}
              </th>
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {data.referrals.map((r) => (
              <tr key={r.id} className="utrecht-table__row">
                <td className="utrecht-table__cell">
                  <Link href={`/verwijzingen/${r.id}`}>{r.familyName}</Link>
                </td>
                <td className="utrecht-table__cell">
                  {r.interventionKey ? nameOf(r.interventionKey) : t('referrals.assessment')}
                </td>
                <td className="utrecht-table__cell">{r.fromOrganisationName}</td>
                <td className="utrecht-table__cell">{t(`referrals.urgencies.${r.urgency}`)}</td>
                <td className="utrecht-table__cell">
                  {t(`referrals.status.${r.status}`)}
                  {r.late && (
                    <>
                      {' '}
                      <span className="kring-badge kring-badge--warning">{t('referrals.late')}</span>
                    </>
                  )}
                </td>
                <td className="utrecht-table__cell">
                  {r.sentAt ? formatDate(r.sentAt.slice(0, 10), i18n.language) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view !== 'sent' && <Pager page={page} pages={pages} onChange={setPage} />}
    </div>
  );
}

/** What was referred, by me or my organisation: to whom, its status, lateness and answer. */
function SentReferrals() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const { nameOf } = useCatalogue();
  const [by, setBy] = useState<'me' | 'organisation'>('me');
  const [page, setPage] = useState(1);
  const sent = useQuery({
    queryKey: queryKeys.referralsSent(by, page),
    queryFn: () => api<SentResponse>('GET', `/api/referrals/sent?by=${by}&page=${page}`),
  });
  const data = sent.data;
  const pages = pageCount(data);
  return (
    <section className="kring-stack" aria-labelledby="sent-referrals">
      <Heading level={2} id="sent-referrals">
        {t('referrals.sentTitle')}
      </Heading>
      <SentBySwitch
        by={by}
        onChange={(value) => {
          setBy(value);
          setPage(1);
        }}
      />
      {sent.error && <Alert type="error">{errorText(sent.error)}</Alert>}
      {data?.referrals.length === 0 && <Paragraph>{t('referrals.sentEmpty')}</Paragraph>}
      {data && data.referrals.length > 0 && (
        <ul className="kring-timeline">
          {data.referrals.map((r) => (
            <li key={r.id}>
              <strong>{r.familyName ?? t('handovers.familyNotVisible')}</strong> ·{' '}
              {r.interventionKey ? nameOf(r.interventionKey) : t('referrals.assessment')} → {r.toOrganisationName} ·{' '}
              <span className="kring-badge">{t(`referrals.status.${r.status}`)}</span>
              {r.late && (
                <>
                  {' '}
                  <span className="kring-badge kring-badge--warning">{t('referrals.late')}</span>
                </>
              )}
              {r.sentAt && ` · ${t('referrals.sentOn', { date: formatDate(r.sentAt.slice(0, 10), i18n.language) })}`}
              {by === 'organisation' && ` · ${r.fromProfessionalName}`}{' '}
              <Link href={`/verwijzingen/${r.id}`}>{t('referrals.open')}</Link>
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} pages={pages} onChange={setPage} />
    </section>
  );
}

/** One referral: the request, what went along, its history, and the next steps for this side. */
export function ReferralPage({ referralId }: { referralId: string }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const { nameOf } = useCatalogue();
  const referral = useQuery({
    queryKey: queryKeys.referral(referralId),
    queryFn: () => api<ReferralResponse>('GET', `/api/referrals/${referralId}`),
  });
  if (referral.error) return <Alert type="error">{errorText(referral.error)}</Alert>;
  const r = referral.data;
  if (!r) return <Paragraph>{t('app.loading')}</Paragraph>;
  return (
    <div className="kring-stack">
      <Link href={r.side === 'receiver' ? '/verwijzingen' : `/gezinnen/${r.familyId}`}>{t('referrals.back')}</Link>
      <Heading level={1}>
        {t('referrals.title', { what: r.interventionKey ? nameOf(r.interventionKey) : t('referrals.assessment') })}
      </Heading>
      <Paragraph>
        <span className="kring-badge">{t(`referrals.status.${r.status}`)}</span>
        {r.late && (
          <>
            {' '}
            <span className="kring-badge kring-badge--warning">{t('referrals.late')}</span>
          </>
        )}
      </Paragraph>
      <section className="kring-card kring-stack" aria-labelledby="request">
        <Heading level={2} id="request">
          {t('referrals.request')}
        </Heading>
        <dl className="kring-details">
          <dt>{t('referrals.from')}</dt>
          <dd>
            {r.fromProfessionalName}, {r.fromOrganisationName}
          </dd>
          <dt>{t('referrals.to')}</dt>
          <dd>{r.toOrganisationName}</dd>
          <dt>{t('referrals.urgency')}</dt>
          <dd>{t(`referrals.urgencies.${r.urgency}`)}</dd>
          <dt>{t('referrals.reason')}</dt>
          <dd>{r.reason}</dd>
          {r.reasonToProceed && (
            <>
              <dt>{t('referrals.reasonToProceed')}</dt>
              <dd>{r.reasonToProceed}</dd>
            </>
          )}
          <dt>{t('referrals.shared')}</dt>
          <dd>{r.sharedCategories.map((c) => t(`categories.${c}`)).join(', ')}</dd>
          {r.expectedStartOn && (
            <>
              <dt>{t('referrals.expectedStartLabel')}</dt>
              <dd>{formatDate(r.expectedStartOn, i18n.language)}</dd>
            </>
          )}
          {r.helpReceived !== null && (
            <>
              <dt>{t('referrals.helpReceived')}</dt>
              <dd>
                {r.helpReceived ? t('referrals.yes') : t('referrals.no')}
                {r.outcomeReason && ` · ${t(`referrals.outcomeReasons.${r.outcomeReason}`)}`}
                {r.outcomeNote && ` · ${r.outcomeNote}`}
                {r.alternative && ` · ${t('referrals.alternative')}: ${r.alternative}`}
              </dd>
            </>
          )}
        </dl>
      </section>
      {r.shared && (
        <section className="kring-card kring-stack" aria-labelledby="shared">
          <Heading level={2} id="shared">
            {t('referrals.whatWentAlong')}
          </Heading>
          <SharedRecord shared={r.shared} />
        </section>
      )}
      <NextSteps referral={r} />
      <section className="kring-card" aria-labelledby="history">
        <Heading level={2} id="history">
          {t('referrals.history')}
        </Heading>
        <ul className="kring-timeline">
          {r.events.map((e) => (
            <li key={`${e.status}-${e.at}`}>
              <strong>{t(`referrals.status.${e.status}`)}</strong> · {formatDate(e.at.slice(0, 10), i18n.language)} ·{' '}
              {e.professionalName}, {e.organisationName}
              {e.note && <div>{e.note}</div>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** The moves this side may make now, each a small form. */
function NextSteps({ referral }: { referral: ReferralResponse }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    expectedStartOn: '',
    reason: '',
    alternative: '',
    note: '',
    // Answered, not assumed: did the family really get the help?
    helpReceived: '' as '' | 'yes' | 'no',
    outcome: '',
  });
  const move = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api('POST', `/api/referrals/${referral.id}/status`, { version: referral.version, ...body }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  // Several small forms share the one move: each shows the error of its own submission only.
  const [active, setActive] = useState('');
  const errorText = useErrorText();
  const formAction = (name: string, body: () => Record<string, unknown>) => ({
    mutate: () => {
      setActive(name);
      move.mutate(body());
    },
    error: active === name ? move.error : null,
    isSuccess: false,
  });
  const status = referral.status;
  const receiver = referral.side === 'receiver';
  const answering = receiver && (status === 'sent' || status === 'received');
  const closed = status === 'declined' || status === 'completed' || status === 'cancelled';
  if (closed) return null;
  const field = (name: string) => fieldMessage(move.error, `body.${name}`);
  return (
    <section className="kring-card kring-stack" aria-labelledby="next-steps">
      <Heading level={2} id="next-steps">
        {t('referrals.nextSteps')}
      </Heading>
      {answering && (
        <>
          <ActionForm
            action={formAction('accept', () => ({ status: 'accepted', expectedStartOn: form.expectedStartOn }))}
            heading={<Heading level={3}>{t('referrals.accept')}</Heading>}
          >
            <TextField
              type="date"
              label={t('referrals.expectedStartLabel')}
              value={form.expectedStartOn}
              error={field('expectedStartOn')}
              onChange={(e) => setForm({ ...form, expectedStartOn: e.target.value })}
            />
            <div>
              <Button type="submit">{t('referrals.accept')}</Button>
            </div>
          </ActionForm>
          <ActionForm
            action={formAction('decline', () => ({
              status: 'declined',
              reason: form.reason,
              alternative: form.alternative,
            }))}
            heading={<Heading level={3}>{t('referrals.decline')}</Heading>}
          >
            <OutcomeReason
              value={form.reason}
              onChange={(reason) => setForm({ ...form, reason })}
              error={field('reason')}
            />
            <TextAreaField
              label={t('referrals.alternative')}
              description={t('referrals.alternativeHint')}
              value={form.alternative}
              error={field('alternative')}
              onChange={(e) => setForm({ ...form, alternative: e.target.value })}
            />
            <div>
              <Button type="submit" appearance="secondary">
                {t('referrals.decline')}
              </Button>
            </div>
          </ActionForm>
        </>
      )}
      {(active === 'start' || active === 'send') && move.error ? (
        <Alert type="error">{errorText(move.error)}</Alert>
      ) : null}
      {receiver && status === 'accepted' && (
        <div>
          <Button onClick={() => formAction('start', () => ({ status: 'started' })).mutate()}>
            {t('referrals.start')}
          </Button>
        </div>
      )}
      {receiver && status === 'started' && (
        <ActionForm
          action={formAction('complete', () => ({
            status: 'completed',
            ...(form.helpReceived ? { helpReceived: form.helpReceived === 'yes' } : {}),
            outcome: form.outcome,
            ...(form.helpReceived === 'no' ? { reason: form.reason } : {}),
          }))}
          heading={<Heading level={3}>{t('referrals.complete')}</Heading>}
        >
          <SelectField
            label={t('referrals.helpReceivedQuestion')}
            value={form.helpReceived}
            error={field('helpReceived')}
            onChange={(e) => setForm({ ...form, helpReceived: e.target.value as '' | 'yes' | 'no' })}
            options={[
              { value: '', label: t('meldcode.choose') },
              { value: 'yes', label: t('referrals.yes') },
              { value: 'no', label: t('referrals.no') },
            ]}
          />
          {form.helpReceived === 'no' && (
            <OutcomeReason
              value={form.reason}
              onChange={(reason) => setForm({ ...form, reason })}
              error={field('reason')}
            />
          )}
          <TextAreaField
            label={t('referrals.outcome')}
            value={form.outcome}
            error={field('outcome')}
            onChange={(e) => setForm({ ...form, outcome: e.target.value })}
          />
          <div>
            <Button type="submit">{t('referrals.complete')}</Button>
          </div>
        </ActionForm>
      )}
      {!receiver && status === 'draft' && (
        <div>
          <Button onClick={() => formAction('send', () => ({ status: 'sent' })).mutate()}>{t('referrals.send')}</Button>
        </div>
      )}
      {/* Either side may close it early: the sender withdraws it, the receiver ends it. */}
      <details>
        <summary>{t(receiver ? 'referrals.end' : 'referrals.cancel')}</summary>
        <ActionForm
          action={formAction('cancel', () => ({ status: 'cancelled', reason: form.reason, note: form.note }))}
        >
          <OutcomeReason
            value={form.reason}
            onChange={(reason) => setForm({ ...form, reason })}
            error={field('reason')}
          />
          <TextAreaField
            label={t('referrals.cancelNote')}
            value={form.note}
            error={field('note')}
            onChange={(e) => setForm({ ...form, note: e.target.value })}
          />
          <div>
            <Button type="submit" appearance="secondary">
              {t(receiver ? 'referrals.end' : 'referrals.cancel')}
            </Button>
          </div>
        </ActionForm>
      </details>
    </section>
  );
}

/** Why a referral was declined or did not help: nothing chosen beforehand, the professional says. */
function OutcomeReason({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (reason: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <SelectField
      label={t('referrals.outcomeReason')}
      value={value}
      error={error}
      onChange={(e) => onChange(e.target.value)}
      options={[
        { value: '', label: t('referrals.chooseReason') },
        ...OUTCOME_REASONS.map((r) => ({ value: r, label: t(`referrals.outcomeReasons.${r}`) })),
      ]}
    />
  );
}

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { portalRoutes } from '../../../../server/src/portal/portal.routes.ts';
import { type Answer, api } from '../../api.ts';
import { Button, Heading, Paragraph } from '../../components/nlds.tsx';
import { localeOf } from '../../i18n/i18n.ts';
import { queryKeys } from '../../query-keys.ts';
import { formatDate } from '../families/families-api.ts';
import { PortalUnavailable } from './portal.tsx';

type OurData = Answer<typeof portalRoutes, 'GET /api/portal/export'>;
type Value = string | number | boolean | null | undefined;

/** How many lines of the access log the readable page shows (the file holds them all). */
const LOG_LINES = 20;

/**
 * Onze gegevens (AVG art. 15): everything Kring keeps about the family, as a document a parent can
 * read on a phone and print or save as PDF — labelled parts, Dutch dates, the wording of every code
 * and no ids — and the same answer as a file (JSON, stable keys with their wording beside them).
 */
export function OurDataPage() {
  const { t, i18n } = useTranslation();
  const data = useQuery({
    // The export speaks the account's language: ask again when the parent switches.
    queryKey: queryKeys.ourData(i18n.language),
    queryFn: () => api<OurData>('GET', '/api/portal/export'),
  });
  if (data.isError) return <PortalUnavailable error={data.error} />;
  if (!data.data) return <Paragraph>{t('app.loading')}</Paragraph>;
  const all = data.data;
  const label = (key: string) => all.labels[key] ?? key;
  const day = (iso: Value) => (typeof iso === 'string' ? formatDate(iso.slice(0, 10), i18n.language) : null);
  const moment = (iso: Value) =>
    typeof iso === 'string'
      ? new Date(iso).toLocaleString(localeOf(i18n.language), {
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        })
      : null;
  const yesNo = (value: Value) => (typeof value === 'boolean' ? t(`portal.dataValues.${value ? 'yes' : 'no'}`) : null);
  const download = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(all, null, 2)], { type: 'application/json' }));
    link.download = 'kring-onze-gegevens.json';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  const parts: { key: string; items: { key: string; fields: [string, ReactNode][] }[] }[] = [
    {
      key: 'family',
      items: [
        {
          key: 'family',
          fields: [
            ['family.street', [all.family.street, all.family.house_number].filter(Boolean).join(' ')],
            ['family.postcode', all.family.postcode],
            ['family.city', all.family.city],
            ['family.language', all.family.language_label],
            ['family.interpreter_needed', yesNo(all.family.interpreter_needed)],
            ['family.created_at', day(all.family.created_at)],
          ],
        },
      ],
    },
    {
      key: 'persons',
      items: all.persons.map((p) => ({
        key: p.id,
        fields: [
          ['persons.given_name', [p.given_name, p.family_name].filter(Boolean).join(' ')],
          ['persons.role', p.role_label],
          ['persons.birth_date', day(p.birth_date)],
          ['persons.bsn', p.bsn],
          ['persons.child_status', p.child_status_label],
          ['persons.sex', p.sex_label],
        ],
      })),
    },
    {
      key: 'trajectories',
      items: all.trajectories.map((tr, i) => ({
        key: String(i),
        fields: [
          ['trajectories.due_date', day(tr.due_date)],
          ['trajectories.birth_date', day(tr.birth_date)],
          ['trajectories.birth_weight_grams', tr.birth_weight_grams],
          ['trajectories.pregnancy_ended_on', day(tr.pregnancy_ended_on)],
        ],
      })),
    },
    {
      key: 'contacts',
      items: all.contacts.map((c, i) => ({
        key: String(i),
        fields: [
          ['contacts.occurred_on', day(c.occurred_on)],
          ['contacts.kind', c.kind_label],
          ['contacts.organisation', c.organisation],
          ['contacts.note', c.note],
        ],
      })),
    },
    {
      key: 'signals',
      items: all.signals.map((s, i) => ({
        key: String(i),
        fields: [
          ['signals.textForParents', s.textForParents],
          ['signals.concerns', s.concerns],
          ['signals.since', day(s.since)],
          ['signals.status', s.status_label],
          ['signals.source', s.source_label],
          ['signals.note', s.note],
          ['signals.organisation', s.organisation],
          ['signals.created_at', day(s.created_at)],
          [
            'signals.myView',
            s.myView && `${s.myView.view}${s.myView.shownToFamily ? ` ${t('portal.dataValues.viewShared')}` : ''}`,
          ],
        ],
      })),
    },
    {
      key: 'judgements',
      items: all.judgements.map((j, i) => ({
        key: String(i),
        fields: [
          ['judgements.intensity', j.intensity_label],
          ['judgements.rationale', j.rationale],
          ['judgements.organisation', j.organisation],
          ['judgements.created_at', day(j.created_at)],
          ['signals.myView', j.myView?.view],
        ],
      })),
    },
    {
      key: 'goals',
      items: all.plan.goals.map((g, i) => ({
        key: String(i),
        fields: [
          ['goals.goal', g.goal],
          ['goals.evaluate_on', day(g.evaluate_on)],
          ['goals.status', g.status_label],
          ['goals.evaluation', g.evaluation],
        ],
      })),
    },
    {
      key: 'actions',
      items: all.plan.actions.map((a, i) => ({
        key: String(i),
        fields: [
          ['actions.action', a.action],
          ['actions.due_on', day(a.due_on)],
          ['actions.status', a.status_label],
        ],
      })),
    },
    {
      key: 'referrals',
      items: all.referrals.map((r, i) => ({
        key: String(i),
        fields: [
          ['referrals.intervention', r.intervention],
          ['referrals.to_organisation', r.to_organisation],
          ['referrals.reason', r.reason],
          ['referrals.status', r.status_label],
          ['referrals.created_at', day(r.created_at)],
        ],
      })),
    },
    {
      key: 'consents',
      items: all.consents.map((c, i) => ({
        key: String(i),
        fields: [
          ['consents.person', c.person],
          ['consents.purpose', c.purpose_label],
          ['consents.category', c.category_label],
          ['consents.organisation', c.organisation],
          ['consents.given_how', c.given_how_label],
          ['consents.recorded_at', day(c.recorded_at)],
          ['consents.withdrawn_at', day(c.withdrawn_at)],
        ],
      })),
    },
    {
      key: 'requests',
      items: all.correctionAndDeletionRequests.map((r, i) => ({
        key: String(i),
        fields: [
          ['requests.kind', r.kind_label],
          ['requests.record_type', r.record_type_label],
          ['requests.request_text', r.request_text],
          ['requests.status', r.status_label],
          ['requests.decision_reason', r.decision_reason],
          ['requests.created_at', day(r.created_at)],
          ['requests.decided_at', day(r.decided_at)],
        ],
      })),
    },
  ];
  const newest = [...all.accessLog].reverse().slice(0, LOG_LINES);
  return (
    <div className="kring-stack kring-portal">
      <Heading level={1}>{t('portal.dataTitle')}</Heading>
      <Paragraph>{t('portal.dataIntro')}</Paragraph>
      <div className="kring-actions kring-no-print">
        <Button onClick={() => window.print()}>{t('portal.print')}</Button>
        <Button appearance="secondary" onClick={download}>
          {t('portal.downloadJson')}
        </Button>
      </div>
      <nav className="kring-no-print" aria-label={t('portal.dataContents')}>
        <ul className="kring-data-contents">
          {[...parts.map((p) => p.key), 'accessLog'].map((key) => (
            <li key={key}>
              <a className="utrecht-link" href={`#data-${key}`}>
                {label(key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {parts.map((part) => (
        <section
          key={part.key}
          className="kring-card kring-stack kring-print-section"
          aria-labelledby={`data-${part.key}`}
        >
          <Heading level={2} id={`data-${part.key}`}>
            {label(part.key)}
          </Heading>
          {part.items.length === 0 && <Paragraph muted>{t('portal.dataValues.nothing')}</Paragraph>}
          {part.items.map((item) => (
            <dl key={item.key} className="kring-data-item">
              {item.fields
                .filter(([, value]) => value !== null && value !== undefined && value !== '')
                .map(([field, value]) => (
                  <div key={field} className="kring-data-field">
                    <dt>{label(field)}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
            </dl>
          ))}
        </section>
      ))}
      <section className="kring-card kring-stack kring-print-section" aria-labelledby="data-accessLog">
        <Heading level={2} id="data-accessLog">
          {label('accessLog')}
        </Heading>
        <Paragraph>
          {t('portal.dataValues.logSummary', { count: all.accessLog.length, shown: newest.length })}
        </Paragraph>
        <ul className="kring-list-plain kring-stack">
          {newest.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no id in the export
            <li key={i}>
              <span className="kring-muted">{moment(e.occurred_at)}</span> · {e.organisation ?? t('portal.kring')} ·{' '}
              {e.what_label}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

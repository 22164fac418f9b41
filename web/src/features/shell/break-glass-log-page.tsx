import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { auditRoutes } from '../../../../server/src/audit/audit.routes.ts';
import { type Answer, api } from '../../api.ts';
import { Alert, Heading, Paragraph, TextField } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';

/**
 * The privacy officer's list of every break-the-glass access in a period: who, when, why, whether
 * the parents are told, and the regiehouder's review — with the family's audit trail one click away.
 */
export function BreakGlassLogPage() {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState({ from: '', to: '' });
  const query = new URLSearchParams(Object.entries(period).filter(([, value]) => value !== ''));
  const log = useQuery({
    queryKey: queryKeys.breakGlassLog(period),
    queryFn: () =>
      api<Answer<typeof auditRoutes, 'GET /api/admin/break-glass'>>('GET', `/api/admin/break-glass?${query}`),
  });
  const when = (iso: string) =>
    new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const accesses = log.data?.accesses ?? [];
  const toReview = accesses.filter((a) => a.reviewStatus === 'to_review').length;
  return (
    <div className="kring-stack">
      <Heading level={1}>{t('breakGlassLog.title')}</Heading>
      <Paragraph>{t('breakGlassLog.intro')}</Paragraph>
      <div className="kring-grid">
        <TextField
          type="date"
          label={t('home.from')}
          value={period.from}
          onChange={(e) => setPeriod({ ...period, from: e.target.value })}
        />
        <TextField
          type="date"
          label={t('home.to')}
          value={period.to}
          onChange={(e) => setPeriod({ ...period, to: e.target.value })}
        />
      </div>
      {log.isError && <Alert type="error">{t('breakGlassLog.error')}</Alert>}
      {log.data && (
        <Paragraph>
          {t('breakGlassLog.summary', {
            count: accesses.length,
            toReview,
            from: new Date(log.data.from).toLocaleDateString(i18n.language),
            to: new Date(log.data.to).toLocaleDateString(i18n.language),
          })}
        </Paragraph>
      )}
      <ul className="kring-list-plain kring-stack">
        {accesses.map((access) => (
          <li key={access.id} className="kring-card kring-stack">
            <Heading level={2}>
              {t('breakGlassLog.who', {
                when: when(access.createdAt),
                professional: access.professional,
                organisation: access.organisation,
              })}
            </Heading>
            <blockquote className="kring-quote">{access.reason}</blockquote>
            <dl className="kring-details">
              <dt>{t('breakGlassLog.parents')}</dt>
              <dd>{access.parentsInformed ? t('breakGlassLog.parentsTold') : t('breakGlassLog.parentsNotTold')}</dd>
              <dt>{t('breakGlassLog.review')}</dt>
              <dd>
                {access.reviewStatus === 'reviewed'
                  ? t('breakGlassLog.reviewed', {
                      by: access.reviewedBy ?? '',
                      when: access.reviewedAt ? when(access.reviewedAt) : '',
                      note: access.reviewNote ?? '',
                    })
                  : t('breakGlassLog.notReviewed')}
              </dd>
            </dl>
            <p>
              <a
                className="utrecht-link utrecht-link--html-a"
                href={`/api/audit-events/export?familyId=${access.familyId}`}
                download="kring-audit-gezin.csv"
              >
                {t('breakGlassLog.familyTrail')}
              </a>
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}

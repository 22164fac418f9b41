import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SafetyMeasuresResponse } from '../../../../server/src/safety/safety.routes.ts';
import { api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import { Button, Heading, Paragraph, SelectField, TextAreaField, TextField } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { type FamilyRecord, fieldMessage, formatDate } from '../families/families-api.ts';

const ADULT_ROLES = ['pregnant_person', 'partner', 'caregiver', 'foster_parent', 'parent_of_minor'];

/**
 * Safety measures on the record: a parent's own Kring paused, or a confidential address — each with
 * its reason and a colleague's review. Never shown in the parents' Kring.
 */
export function SafetyMeasuresSection({
  familyId,
  record,
  nameOf,
  open,
}: {
  familyId: string;
  record: FamilyRecord;
  nameOf: (personId: string) => string;
  open: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const measures = useQuery({
    queryKey: queryKeys.safetyMeasures(familyId),
    queryFn: () => api<SafetyMeasuresResponse>('GET', `/api/families/${familyId}/safety-measures`),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.safetyMeasures(familyId) });
  const adults = record.persons.filter((p) => ADULT_ROLES.includes(p.role));
  const [form, setForm] = useState({ kind: 'portal_paused', personId: adults[0]?.id ?? '', reason: '', address: '' });
  const [note, setNote] = useState('');
  const record_ = useMutation({
    mutationFn: () =>
      api('POST', `/api/families/${familyId}/safety-measures`, {
        kind: form.kind,
        personId: form.personId,
        reason: form.reason,
        ...(form.kind === 'confidential_address' ? { address: form.address } : {}),
      }),
    onSuccess: () => {
      setForm({ ...form, reason: '', address: '' });
      void refresh();
    },
  });
  const review = useMutation({
    mutationFn: (id: string) => api('POST', `/api/families/${familyId}/safety-measures/${id}/review`, { note }),
    onSuccess: () => {
      setNote('');
      void refresh();
    },
  });
  const list = measures.data?.measures ?? [];
  return (
    <section className="kring-card kring-stack" aria-labelledby="safety-measures">
      <Heading level={2} id="safety-measures">
        {t('safety.title')}
      </Heading>
      <Paragraph muted>{t('safety.intro')}</Paragraph>
      {list.length > 0 && (
        <ul className="kring-timeline">
          {list.map((m) => (
            <li key={m.id} className="kring-stack">
              <div>
                <strong>{t(`safety.kinds.${m.kind}`, { name: nameOf(m.personId) })}</strong> ·{' '}
                {formatDate(m.recordedAt.slice(0, 10), i18n.language)} · {m.recordedBy} ({m.organisationName})
                {m.endedAt && ` · ${t('safety.ended', { date: formatDate(m.endedAt.slice(0, 10), i18n.language) })}`}
              </div>
              <div>{m.reason}</div>
              {m.address && <div>{t('safety.address', { address: m.address })}</div>}
              {m.addressWithheld && <div className="kring-muted">{t('safety.addressWithheld')}</div>}
              <div className="kring-muted">
                {m.reviewStatus === 'reviewed'
                  ? t('safety.reviewed', { name: m.reviewedBy ?? '', note: m.reviewNote ?? '' })
                  : t('safety.toReview')}
              </div>
              {open && m.mayReview && (
                <ActionForm action={{ ...review, mutate: () => review.mutate(m.id) }}>
                  <TextAreaField
                    label={t('safety.reviewNote')}
                    value={note}
                    error={fieldMessage(review.error, 'body.note')}
                    onChange={(e) => setNote(e.target.value)}
                  />
                  <div>
                    <Button type="submit" appearance="secondary">
                      {t('safety.review')}
                    </Button>
                  </div>
                </ActionForm>
              )}
            </li>
          ))}
        </ul>
      )}
      {open && adults.length > 0 && (
        <details>
          <summary>{t('safety.record')}</summary>
          <ActionForm action={record_} saved={t('record.saved')}>
            <div className="kring-grid">
              <SelectField
                label={t('safety.kind')}
                value={form.kind}
                onChange={(e) => setForm({ ...form, kind: e.target.value })}
                options={[
                  { value: 'portal_paused', label: t('safety.kindOptions.portal_paused') },
                  { value: 'confidential_address', label: t('safety.kindOptions.confidential_address') },
                ]}
              />
              <SelectField
                label={t('safety.person')}
                value={form.personId}
                error={fieldMessage(record_.error, 'body.personId')}
                onChange={(e) => setForm({ ...form, personId: e.target.value })}
                options={adults.map((p) => ({ value: p.id, label: nameOf(p.id) }))}
              />
            </div>
            {form.kind === 'confidential_address' && (
              <TextField
                label={t('safety.addressLabel')}
                value={form.address}
                error={fieldMessage(record_.error, 'body.address')}
                onChange={(e) => setForm({ ...form, address: e.target.value })}
              />
            )}
            <TextAreaField
              label={t('safety.reason')}
              description={t('safety.reasonHint')}
              rows={2}
              value={form.reason}
              error={fieldMessage(record_.error, 'body.reason')}
              onChange={(e) => setForm({ ...form, reason: e.target.value })}
            />
            <div>
              <Button type="submit" busy={record_.isPending}>
                {t('safety.save')}
              </Button>
            </div>
          </ActionForm>
        </details>
      )}
    </section>
  );
}

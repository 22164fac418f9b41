import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  ConsultationsResponse,
  FamilyConsultationsResponse,
} from '../../../../server/src/consultations/consultation.routes.ts';
import { api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Heading,
  Paragraph,
  SelectField,
  TextAreaField,
} from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { CategoryCheckboxes, GivenHowSelect } from '../families/consent-fields.tsx';
import { type FamilyRecord, fieldMessage, formatDate, roleLabel, useOrganisations } from '../families/families-api.ts';
import { SharedRecord } from '../families/shared-record.tsx';

/** Ask another organisation a question: anonymously, or — with the parents' consent — with the record. */
export function AskForm({ familyId, onAsked }: { familyId?: string; onAsked?: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const organisations = useOrganisations();
  const choices = (organisations.data?.organisations ?? []).filter((o) => o.type !== 'gemeente');
  const [form, setForm] = useState({
    consultedOrganisationId: '',
    question: '',
    withRecord: false,
    sharedCategories: [] as string[],
    consentNow: false,
    givenHow: '',
    consentedBy: [] as string[],
  });
  const record = useQuery({
    queryKey: queryKeys.family(familyId),
    queryFn: () => api<FamilyRecord>('GET', `/api/families/${familyId}`),
    enabled: familyId !== undefined,
  });
  const persons = record.data?.persons ?? [];
  // Who can give consent: the pregnant person, whoever holds gezag, and a minor mother's parent.
  const consenters = persons.filter(
    (p) => p.role === 'pregnant_person' || p.role === 'parent_of_minor' || p.authorityOver.length > 0,
  );
  const ask = useMutation({
    mutationFn: () =>
      api('POST', '/api/consultations', {
        consultedOrganisationId: form.consultedOrganisationId || choices[0]?.id,
        question: form.question,
        ...(familyId ? { familyId } : {}),
        withRecord: form.withRecord,
        ...(form.withRecord ? { sharedCategories: form.sharedCategories } : {}),
        ...(form.withRecord && form.consentNow
          ? { consentGivenHow: form.givenHow, consentedBy: form.consentedBy }
          : {}),
      }),
    onSuccess: () => {
      setForm({ ...form, question: '', consentNow: false, givenHow: '', consentedBy: [] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.consultations() });
      onAsked?.();
    },
  });
  return (
    <ActionForm action={ask} saved={t('consultations.asked')}>
      <SelectField
        label={t('consultations.whom')}
        value={form.consultedOrganisationId || choices[0]?.id || ''}
        error={fieldMessage(ask.error, 'body.consultedOrganisationId')}
        onChange={(e) => setForm({ ...form, consultedOrganisationId: e.target.value })}
        options={choices.map((o) => ({ value: o.id, label: o.name }))}
      />
      {familyId && (
        <Checkbox
          label={t('consultations.withRecord')}
          checked={form.withRecord}
          onChange={(e) => setForm({ ...form, withRecord: e.target.checked })}
        />
      )}
      {form.withRecord ? (
        <>
          <Fieldset legend={t('referrals.shared')} error={fieldMessage(ask.error, 'body.sharedCategories')}>
            <CategoryCheckboxes
              value={form.sharedCategories}
              onChange={(sharedCategories) => setForm({ ...form, sharedCategories })}
            />
          </Fieldset>
          <Checkbox
            label={t('referrals.consentNow')}
            checked={form.consentNow}
            onChange={(e) => setForm({ ...form, consentNow: e.target.checked })}
          />
          {form.consentNow && (
            <>
              <Fieldset legend={t('consultations.consentedBy')} error={fieldMessage(ask.error, 'body.consentedBy')}>
                {consenters.map((p) => (
                  <Checkbox
                    key={p.id}
                    label={`${[p.givenName, p.familyName].filter(Boolean).join(' ')} (${roleLabel(p, persons)})`}
                    checked={form.consentedBy.includes(p.id)}
                    onChange={(e) =>
                      setForm({
                        ...form,
                        consentedBy: e.target.checked
                          ? [...form.consentedBy, p.id]
                          : form.consentedBy.filter((id) => id !== p.id),
                      })
                    }
                  />
                ))}
              </Fieldset>
              <GivenHowSelect
                value={form.givenHow}
                onChange={(givenHow) => setForm({ ...form, givenHow })}
                error={fieldMessage(ask.error, 'body.consentGivenHow')}
              />
            </>
          )}
        </>
      ) : (
        <Alert type="info">{t('consultations.anonymousHint')}</Alert>
      )}
      <TextAreaField
        label={t('consultations.question')}
        rows={4}
        value={form.question}
        error={fieldMessage(ask.error, 'body.question')}
        onChange={(e) => setForm({ ...form, question: e.target.value })}
      />
      <div>
        <Button type="submit" busy={ask.isPending}>
          {t('consultations.ask')}
        </Button>
      </div>
    </ActionForm>
  );
}

/** On the family record: the consultations kept with the family, and asking a new one. */
export function ConsultationsSection({ familyId, open }: { familyId: string; open: boolean }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const kept = useQuery({
    queryKey: queryKeys.consultations(familyId),
    queryFn: () => api<FamilyConsultationsResponse>('GET', `/api/families/${familyId}/consultations`),
  });
  return (
    <section className="kring-card kring-stack" aria-labelledby="consultations">
      <Heading level={2} id="consultations">
        {t('consultations.title')}
      </Heading>
      {kept.error && <Alert type="error">{errorText(kept.error)}</Alert>}
      {kept.data && kept.data.withheld > 0 && (
        <Alert type="info">{t('consultations.withheld', { count: kept.data.withheld })}</Alert>
      )}
      {kept.data?.consultations.length === 0 && <Paragraph>{t('consultations.none')}</Paragraph>}
      <ul className="kring-timeline">
        {kept.data?.consultations.map((c) => (
          <li key={c.id}>
            <strong>{formatDate(c.createdAt.slice(0, 10), i18n.language)}</strong> · {c.askedByName} (
            {c.askedByOrganisationName}) → {c.consultedOrganisationName}
            <div>{c.question}</div>
            {c.answer ? (
              <div>
                <strong>{t('consultations.answer')}:</strong> {c.answer}
              </div>
            ) : (
              <div className="kring-muted">{t('consultations.waiting')}</div>
            )}
          </li>
        ))}
      </ul>
      {open && (
        <details>
          <summary>{t('consultations.askTitle')}</summary>
          <AskForm familyId={familyId} />
        </details>
      )}
    </section>
  );
}

/** The consultations page: asked of my organisation (to answer), and asked by me. */
export function ConsultationsPage() {
  const { t, i18n } = useTranslation();
  const list = useQuery({
    queryKey: queryKeys.consultations(),
    queryFn: () => api<ConsultationsResponse>('GET', '/api/consultations'),
  });
  const consulted = list.data?.consultations.filter((c) => c.side === 'consulted') ?? [];
  const mine = list.data?.consultations.filter((c) => c.side === 'asker') ?? [];
  return (
    <div className="kring-stack">
      <Heading level={1}>{t('consultations.pageTitle')}</Heading>
      <Paragraph>{t('consultations.intro')}</Paragraph>
      <section className="kring-card kring-stack" aria-labelledby="consulted">
        <Heading level={2} id="consulted">
          {t('consultations.ofUs')}
        </Heading>
        {list.data && consulted.length === 0 && <Paragraph>{t('consultations.none')}</Paragraph>}
        {consulted.map((c) => (
          <article
            key={c.id}
            className="kring-card kring-stack"
            aria-label={t('consultations.from', { name: c.askedByName })}
          >
            <Paragraph muted>
              {formatDate(c.createdAt.slice(0, 10), i18n.language)} ·{' '}
              {t('consultations.from', { name: `${c.askedByName} (${c.askedByOrganisationName})` })} ·{' '}
              {c.anonymous ? t('consultations.anonymous') : t('consultations.withRecordShort')}
            </Paragraph>
            <Paragraph>{c.question}</Paragraph>
            {c.shared && <SharedRecord shared={c.shared} />}
            {c.status === 'open' ? <AnswerForm id={c.id} version={c.version} /> : <Paragraph>{c.answer}</Paragraph>}
          </article>
        ))}
      </section>
      <section className="kring-card kring-stack" aria-labelledby="mine">
        <Heading level={2} id="mine">
          {t('consultations.byMe')}
        </Heading>
        {list.data && mine.length === 0 && <Paragraph>{t('consultations.none')}</Paragraph>}
        <ul className="kring-timeline">
          {mine.map((c) => (
            <li key={c.id}>
              <strong>{formatDate(c.createdAt.slice(0, 10), i18n.language)}</strong> → {c.consultedOrganisationName} ·{' '}
              {c.anonymous ? t('consultations.anonymous') : t('consultations.withRecordShort')}
              <div>{c.question}</div>
              {c.answer ? (
                <div>
                  <strong>{t('consultations.answer')}</strong> ({c.answeredByName}): {c.answer}
                </div>
              ) : (
                <div className="kring-muted">{t('consultations.waiting')}</div>
              )}
            </li>
          ))}
        </ul>
        <details>
          <summary>{t('consultations.askGeneral')}</summary>
          <AskForm />
        </details>
      </section>
    </div>
  );
}

function AnswerForm({ id, version }: { id: string; version: number }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState('');
  const send = useMutation({
    mutationFn: () => api('POST', `/api/consultations/${id}/answer`, { answer, version }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.consultations() }),
  });
  return (
    <ActionForm action={send}>
      <TextAreaField
        label={t('consultations.yourAnswer')}
        rows={4}
        value={answer}
        error={fieldMessage(send.error, 'body.answer')}
        onChange={(e) => setAnswer(e.target.value)}
      />
      <div>
        <Button type="submit" busy={send.isPending}>
          {t('consultations.sendAnswer')}
        </Button>
      </div>
    </ActionForm>
  );
}

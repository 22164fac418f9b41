import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DataRequestsResponse } from '../../../../server/src/data-requests/data-request.routes.ts';
import type { signalRoutes } from '../../../../server/src/signals/signal.routes.ts';
import { type Answer, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import { Alert, Button, Heading, Paragraph, SelectField, TextField } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { type FamilyRecord, fieldMessage, formatDate } from '../families/families-api.ts';
import { useCodes } from '../signals/picture-section.tsx';

type DataRequest = DataRequestsResponse['requests'][number];
type PictureSignals = Answer<typeof signalRoutes, 'GET /api/families/:familyId/picture'>;

const GROUNDS = {
  deletion: ['interest_of_other', 'legal_obligation'],
  correction: ['accurate', 'professional_judgement'],
} as const;

/**
 * The parents' requests to correct or delete what is recorded: recorded here on their behalf,
 * decided by the organisation that owns the entry within a month, with the ground and reason.
 */
export function DataRequestsSection({
  familyId,
  record,
  nameOf,
}: {
  familyId: string;
  record: FamilyRecord;
  nameOf: (personId: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const codes = useCodes();
  const requests = useQuery({
    queryKey: queryKeys.dataRequests(familyId),
    queryFn: () => api<DataRequestsResponse>('GET', `/api/families/${familyId}/data-requests`),
  });
  const picture = useQuery({
    queryKey: queryKeys.picture(familyId),
    queryFn: () => api<PictureSignals>('GET', `/api/families/${familyId}/picture`),
  });
  const signals = (picture.data?.domains ?? []).flatMap((d) => d.signals);
  const entries = [
    { value: 'other:', label: t('dataRequests.otherEntry') },
    ...signals.map((s) => ({
      value: `signal:${s.id}`,
      label: t('dataRequests.signalEntry', { code: codes.codeLabel(s.code), organisation: s.organisationName }),
    })),
    ...record.contacts.map((c) => ({
      value: `contact:${c.id}`,
      label: t('dataRequests.contactEntry', {
        date: formatDate(c.occurredOn, i18n.language),
        kind: t(`contactKinds.${c.kind}`),
        organisation: c.organisationName,
      }),
    })),
  ];
  const describe = (request: DataRequest) =>
    entries.find((e) => e.value === `${request.recordType}:${request.recordId ?? ''}`)?.label ??
    t(`dataRequests.recordTypes.${request.recordType}`);

  return (
    <section className="kring-card kring-stack" aria-labelledby="data-requests">
      <Heading level={2} id="data-requests">
        {t('dataRequests.title')}
      </Heading>
      <Paragraph muted>{t('dataRequests.intro')}</Paragraph>
      <ul className="kring-timeline">
        {(requests.data?.requests ?? []).map((request) => (
          <li key={request.id} className="kring-stack">
            <div>
              <strong>{t(`dataRequests.kinds.${request.kind}`)}</strong> · {describe(request)}
            </div>
            <div>“{request.text}”</div>
            {request.requestedByPersonId &&
              request.concernsPersonId &&
              request.concernsPersonId !== request.requestedByPersonId && (
                <Alert type="warning">
                  {t('dataRequests.notTheSubject', {
                    requester: nameOf(request.requestedByPersonId),
                    subject: nameOf(request.concernsPersonId),
                  })}
                </Alert>
              )}
            <div className="kring-muted">
              {request.requestedByPersonId &&
                `${t('dataRequests.askedBy', { name: nameOf(request.requestedByPersonId) })} · `}
              {t('dataRequests.recorded', {
                name: request.recordedBy,
                date: formatDate(request.createdAt.slice(0, 10), i18n.language),
              })}{' '}
              · {t('dataRequests.owner', { organisation: request.ownerName })}
            </div>
            <div>
              <strong>{t(`dataRequests.statuses.${request.status}`)}</strong>
              {request.status === 'open'
                ? ` · ${t('dataRequests.due', { date: formatDate(request.answerDueOn, i18n.language) })}`
                : ` · ${request.decidedBy ?? ''}${request.ground ? ` · ${t(`dataRequests.grounds.${request.ground}`)}` : ''}: ${request.reason ?? ''}`}
            </div>
            {request.mayDecide && <DecisionForm familyId={familyId} request={request} />}
          </li>
        ))}
      </ul>
      <RequestForm familyId={familyId} record={record} entries={entries} nameOf={nameOf} />
    </section>
  );
}

function RequestForm({
  familyId,
  record,
  entries,
  nameOf,
}: {
  familyId: string;
  record: FamilyRecord;
  entries: { value: string; label: string }[];
  nameOf: (personId: string) => string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const parents = record.persons.filter((p) => p.role !== 'child' && p.role !== 'sibling');
  const [form, setForm] = useState({ kind: 'correction', entry: 'other:', person: '', text: '' });
  const record_ = useMutation({
    mutationFn: () => {
      const [recordType, recordId] = form.entry.split(':');
      return api('POST', `/api/families/${familyId}/data-requests`, {
        kind: form.kind,
        recordType,
        recordId: recordId || undefined,
        requestedByPersonId: form.person || undefined,
        text: form.text,
      });
    },
    onSuccess: () => {
      setForm({ kind: 'correction', entry: 'other:', person: '', text: '' });
      return queryClient.invalidateQueries({ queryKey: queryKeys.dataRequests(familyId) });
    },
  });
  return (
    <details>
      <summary>{t('dataRequests.add')}</summary>
      <ActionForm action={record_} saved={t('dataRequests.saved')}>
        <SelectField
          label={t('dataRequests.kind')}
          value={form.kind}
          error={fieldMessage(record_.error, 'body.kind')}
          onChange={(e) => setForm({ ...form, kind: e.target.value })}
          options={(['correction', 'deletion'] as const).map((k) => ({
            value: k,
            label: t(`dataRequests.kinds.${k}`),
          }))}
        />
        <SelectField
          label={t('dataRequests.entry')}
          value={form.entry}
          error={fieldMessage(record_.error, 'body.recordId')}
          onChange={(e) => setForm({ ...form, entry: e.target.value })}
          options={entries}
        />
        <SelectField
          label={t('dataRequests.person')}
          value={form.person}
          onChange={(e) => setForm({ ...form, person: e.target.value })}
          options={[
            { value: '', label: t('dataRequests.parents') },
            ...parents.map((p) => ({ value: p.id, label: nameOf(p.id) })),
          ]}
        />
        <TextField
          label={t('dataRequests.text')}
          description={t('dataRequests.textHint')}
          value={form.text}
          error={fieldMessage(record_.error, 'body.text')}
          onChange={(e) => setForm({ ...form, text: e.target.value })}
        />
        <div>
          <Button type="submit" busy={record_.isPending}>
            {t('dataRequests.submit')}
          </Button>
        </div>
      </ActionForm>
    </details>
  );
}

function DecisionForm({ familyId, request }: { familyId: string; request: DataRequest }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState('granted');
  const [ground, setGround] = useState('');
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: () =>
      api('POST', `/api/families/${familyId}/data-requests/${request.id}/decision`, {
        decision,
        ground: decision === 'granted' ? undefined : ground || undefined,
        reason,
        version: request.version,
      }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.dataRequests(familyId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.picture(familyId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.family(familyId) }),
      ]),
  });
  return (
    <ActionForm action={decide} className="kring-stack">
      <Paragraph>{t(`dataRequests.rule.${request.kind}`)}</Paragraph>
      <SelectField
        label={t('dataRequests.decision')}
        value={decision}
        onChange={(e) => setDecision(e.target.value)}
        options={(['granted', 'partly_granted', 'refused'] as const).map((d) => ({
          value: d,
          label: t(`dataRequests.statuses.${d}`),
        }))}
      />
      {decision !== 'granted' && (
        <SelectField
          label={t('dataRequests.ground')}
          value={ground}
          error={fieldMessage(decide.error, 'body.ground')}
          onChange={(e) => setGround(e.target.value)}
          options={[
            { value: '', label: t('dataRequests.chooseGround') },
            ...GROUNDS[request.kind].map((g) => ({ value: g, label: t(`dataRequests.grounds.${g}`) })),
          ]}
        />
      )}
      <TextField
        label={t('dataRequests.reason')}
        value={reason}
        error={fieldMessage(decide.error, 'body.reason')}
        onChange={(e) => setReason(e.target.value)}
      />
      <div>
        <Button type="submit" busy={decide.isPending}>
          {t('dataRequests.decide')}
        </Button>
      </div>
    </ActionForm>
  );
}

import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { PictureResult, signalRoutes } from '../../../../server/src/signals/signal.routes.ts';
import type { SignalCodeList } from '../../../../server/src/signals/signal-codes.ts';
import { type Answer, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import { Alert, Button, Heading, Paragraph, SelectField, TextAreaField, TextField } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { CATEGORIES } from '../families/consent-fields.tsx';
import { type FamilyRecord, fieldMessage, formatDate } from '../families/families-api.ts';
import {
  type AudienceDecision,
  AudienceDecisionForm,
  AudienceNote,
  ParentsAudienceField,
} from '../families/parents-audience-field.tsx';
import { KnowledgeLink } from '../knowledge/knowledge-page.tsx';

type Codes = z.infer<typeof SignalCodeList>;
type Picture = PictureResult;
type PictureSignal = Picture['domains'][number]['signals'][number];
type Judgement = Picture['judgements'][number];

const today = () => new Date().toISOString().slice(0, 10);

/** After a change: the picture and the record (whose ribbon shows signals and judgements) again. */
export function refreshFamily(queryClient: QueryClient, familyId: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.picture(familyId) }),
    queryClient.invalidateQueries({ queryKey: queryKeys.family(familyId) }),
  ]);
}

/** The code list, with labels in the interface's language. */
export function useCodes() {
  const { i18n } = useTranslation();
  const codes = useQuery({
    queryKey: queryKeys.signalCodes(),
    queryFn: () => api<Codes>('GET', '/api/signal-codes'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const en = i18n.language === 'en';
  return {
    data: codes.data,
    codeLabel: (key: string) => {
      const code = codes.data?.codes.find((c) => c.key === key);
      return code ? (en ? code.en : code.nl) : key;
    },
    domainLabel: (key: string) => {
      const domain = codes.data?.domains.find((d) => d.key === key);
      return domain ? (en ? domain.en : domain.nl) : key;
    },
  };
}

/**
 * What stands between parent and child: the current signals by domain (what protects first), the
 * number of stress factors beside the protective ones, and their course — a picture, not a verdict.
 */
export function PictureSection({
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
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const codes = useCodes();
  const picture = useQuery({
    queryKey: queryKeys.picture(familyId),
    queryFn: () => api<Picture>('GET', `/api/families/${familyId}/picture`),
  });
  const refresh = () => refreshFamily(queryClient, familyId);
  const act = useMutation({
    mutationFn: ({ signal, action }: { signal: PictureSignal; action: 'end' | 'confirm' }) =>
      api('POST', `/api/families/${familyId}/signals/${signal.id}/${action}`, { version: signal.version }),
    onSettled: refresh,
  });
  const date = (iso: string | null) => formatDate(iso, i18n.language);
  const data = picture.data;
  return (
    <section className="kring-card kring-stack" aria-labelledby="picture">
      <Heading level={2} id="picture">
        {t('picture.title')}
      </Heading>
      <Paragraph muted>{t('picture.intro')}</Paragraph>
      {picture.error && <Alert type="error">{errorText(picture.error)}</Alert>}
      {act.error && <Alert type="error">{errorText(act.error)}</Alert>}
      {data && (
        <>
          <Paragraph>
            <strong>{t('picture.protectiveCount', { count: data.counts.protective })}</strong> ·{' '}
            <strong>{t('picture.stressCount', { count: data.counts.stress })}</strong>
          </Paragraph>
          {data.withheld > 0 && <Alert type="info">{t('picture.withheld', { count: data.withheld })}</Alert>}
          {data.domains.length === 0 && <Paragraph>{t('picture.none')}</Paragraph>}
          {data.domains.map((domain) => (
            <div key={domain.domain} className="kring-stack">
              <Heading level={3}>{codes.domainLabel(domain.domain)}</Heading>
              <ul className="kring-timeline">
                {domain.signals.map((signal) => (
                  <li key={signal.id}>
                    <strong>{codes.codeLabel(signal.code)}</strong>
                    <KnowledgeLink cardKey={codes.data?.codes.find((c) => c.key === signal.code)?.knowledge} />
                    {' · '}
                    {signal.concernsPersonId ? nameOf(signal.concernsPersonId) : t('record.wholeFamily')}
                    {signal.status === 'unknown' ? ` · ${t('picture.status.unknown')}` : ''}
                    {signal.since ? ` · ${t('picture.since', { date: date(signal.since) })}` : ''}
                    {' · '}
                    {t(`picture.source.${signal.source}`)} · {signal.organisationName} ({signal.professionalName})
                    {signal.reviewDue && (
                      <>
                        {' '}
                        <span className="kring-badge">{t('picture.reviewDue')}</span>
                      </>
                    )}
                    {signal.note && <div>“{signal.note}”</div>}
                    <AudienceNote
                      decision={signal.parentsAudience}
                      safetyAboutFamily={
                        !signal.concernsPersonId &&
                        Boolean(codes.data?.codes.find((c) => c.key === signal.code)?.safety)
                      }
                      nameOf={nameOf}
                    />
                    <ParentViews views={signal.parentsViews} nameOf={nameOf} />
                    {open && signal.mine && (
                      <div className="kring-row">
                        {signal.status === 'present' && (
                          <Button appearance="subtle" onClick={() => act.mutate({ signal, action: 'confirm' })}>
                            {t('picture.confirm')}
                            <span className="visually-hidden"> {codes.codeLabel(signal.code)}</span>
                          </Button>
                        )}
                        <Button appearance="subtle" onClick={() => act.mutate({ signal, action: 'end' })}>
                          {t('picture.end')}
                          <span className="visually-hidden"> {codes.codeLabel(signal.code)}</span>
                        </Button>
                      </div>
                    )}
                    {open && signal.mine && (
                      <SignalCorrection familyId={familyId} signal={signal} label={codes.codeLabel(signal.code)} />
                    )}
                    {open && (
                      <AudienceDecisionForm
                        familyId={familyId}
                        recordType="signal"
                        recordId={signal.id}
                        concernsPersonId={signal.concernsPersonId}
                        code={signal.code}
                        label={codes.codeLabel(signal.code)}
                        current={signal.parentsAudience}
                      />
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ))}
          {data.ended.length > 0 && (
            <details>
              <summary>{t('picture.ended', { count: data.ended.length })}</summary>
              <ul>
                {data.ended.map((signal) => (
                  <li key={signal.id}>
                    {codes.codeLabel(signal.code)} · {date(signal.since)} – {date(signal.endedOn)} ·{' '}
                    {signal.organisationName}
                  </li>
                ))}
              </ul>
            </details>
          )}
          {data.history.length > 1 && (
            <details>
              <summary>{t('picture.course')}</summary>
              <table className="utrecht-table">
                <caption className="visually-hidden">{t('picture.course')}</caption>
                <thead className="utrecht-table__header">
                  <tr className="utrecht-table__row">
                    <th className="utrecht-table__header-cell" scope="col">
                      {t('picture.month')}
                    </th>
                    <th className="utrecht-table__header-cell" scope="col">
                      {t('picture.phase')}
                    </th>
                    <th className="utrecht-table__header-cell" scope="col">
                      {t('picture.protectiveColumn')}
                    </th>
                    <th className="utrecht-table__header-cell" scope="col">
                      {t('picture.stressColumn')}
                    </th>
                  </tr>
                </thead>
                <tbody className="utrecht-table__body">
                  {data.history.map((row) => (
                    <tr className="utrecht-table__row" key={row.month}>
                      <th className="utrecht-table__header-cell" scope="row">
                        {row.month}
                      </th>
                      <td className="utrecht-table__cell">{t(`phases.${row.phase}`)}</td>
                      <td className="utrecht-table__cell">{row.protective}</td>
                      <td className="utrecht-table__cell">{row.stress}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
        </>
      )}
      {open && codes.data && <SignalForm familyId={familyId} record={record} nameOf={nameOf} codes={codes.data} />}
      {data && <Judgements familyId={familyId} record={record} picture={data} open={open} />}
    </section>
  );
}

/**
 * The care-intensity judgement: where the family stands on the stress continuum and the matching
 * intensity, with the rationale and the parents' own view; raising it waits for a colleague.
 */
function Judgements({
  familyId,
  record,
  picture,
  open,
}: {
  familyId: string;
  record: FamilyRecord;
  picture: Picture;
  open: boolean;
}) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const me = queryClient.getQueryData<{ actor: { accountId: string } }>(['me']);
  const colleagues = record.team.flatMap((member) =>
    member.professionals
      .filter((p) => p.accountId !== me?.actor.accountId)
      .map((p) => ({ value: p.accountId, label: `${p.name} (${member.organisationName})` })),
  );
  const [form, setForm] = useState({
    stressLevel: 'normal',
    intensity: 'ordinary',
    rationale: '',
    parentsView: '',
    parentsAskForHelp: '',
    reviewer: '',
  });
  const [comment, setComment] = useState('');
  const refresh = () => refreshFamily(queryClient, familyId);
  const [audience, setAudience] = useState<AudienceDecision>(null);
  const save = useMutation({
    mutationFn: () =>
      api<Answer<typeof signalRoutes, 'POST /api/families/:familyId/judgements'>>(
        'POST',
        `/api/families/${familyId}/judgements`,
        {
          stressLevel: form.stressLevel,
          intensity: form.intensity,
          rationale: form.rationale,
          ...(form.parentsView.trim() ? { parentsView: form.parentsView.trim() } : {}),
          parentsAskForHelp: form.parentsAskForHelp === '' ? null : form.parentsAskForHelp === 'yes',
          ...(form.reviewer || colleagues[0] ? { reviewerAccountId: form.reviewer || colleagues[0]?.value } : {}),
          ...(audience ? { parentsAudience: audience } : {}),
        },
      ),
    onSuccess: () => {
      setForm({ ...form, rationale: '', parentsView: '' });
      setAudience(null);
      void refresh();
    },
  });
  const look = useMutation({
    mutationFn: ({ judgement, decision }: { judgement: Judgement; decision: 'agree' | 'comment' }) =>
      api('POST', `/api/families/${familyId}/judgements/${judgement.id}/second-look`, {
        decision,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        version: judgement.version,
      }),
    onSuccess: () => {
      setComment('');
      void refresh();
    },
  });
  const label = (j: { stressLevel: string; intensity: string }) =>
    `${t(`judgement.stress.${j.stressLevel}`)} · ${t(`judgement.intensity.${j.intensity}`)}`;
  return (
    <div className="kring-stack">
      <Heading level={3}>{t('judgement.title')}</Heading>
      <Paragraph>
        {picture.inForce ? t('judgement.inForce', { judgement: label(picture.inForce) }) : t('judgement.none')}
      </Paragraph>
      {look.error && <Alert type="error">{errorText(look.error)}</Alert>}
      {picture.judgements.length > 0 && (
        <ul className="kring-timeline">
          {picture.judgements.map((j) => (
            <li key={j.id}>
              <strong>{label(j)}</strong> <span className="kring-badge">{t(`judgement.status.${j.status}`)}</span>
              {' · '}
              {formatDate(j.createdAt.slice(0, 10), i18n.language)} · {j.organisationName} ({j.professionalName})
              <div>
                {t('judgement.why')}: “{j.rationale}”
              </div>
              {(j.parentsView || j.parentsAskForHelp !== null) && (
                <div>
                  {t('judgement.parents')}: {j.parentsView ? `“${j.parentsView}”` : ''}
                  {j.parentsAskForHelp ? ` (${t('judgement.asksForHelp')})` : ''}
                </div>
              )}
              <AudienceNote
                decision={j.parentsAudience}
                safetyAboutFamily={false}
                nameOf={(id) => personName(record, id)}
              />
              <ParentViews views={j.parentsViews} nameOf={(id) => personName(record, id)} />
              {open && (
                <AudienceDecisionForm
                  familyId={familyId}
                  recordType="judgement"
                  recordId={j.id}
                  concernsPersonId={null}
                  label={label(j)}
                  current={j.parentsAudience}
                />
              )}
              {j.status === 'proposed' && j.reviewerName && (
                <div>{t('judgement.waitingFor', { name: j.reviewerName })}</div>
              )}
              {j.reviewedByName && (
                <div>
                  {t('judgement.reviewedBy', { name: j.reviewedByName })}
                  {j.reviewComment ? `: “${j.reviewComment}”` : ''}
                </div>
              )}
              {open && j.mayReview && (
                <div className="kring-stack">
                  <TextAreaField
                    label={t('judgement.comment')}
                    value={comment}
                    error={fieldMessage(look.error, 'body.comment')}
                    onChange={(e) => setComment(e.target.value)}
                  />
                  <div className="kring-row">
                    <Button busy={look.isPending} onClick={() => look.mutate({ judgement: j, decision: 'agree' })}>
                      {t('judgement.agree')}
                    </Button>
                    <Button appearance="secondary" onClick={() => look.mutate({ judgement: j, decision: 'comment' })}>
                      {t('judgement.sendComment')}
                    </Button>
                  </div>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {open && (
        <details>
          <summary>{t('judgement.record')}</summary>
          <ActionForm action={save}>
            <Paragraph muted>{t('judgement.intro')}</Paragraph>
            {save.data && <Alert type="ok">{t(`judgement.saved.${save.data.status}`)}</Alert>}
            <div className="kring-grid">
              <SelectField
                label={t('judgement.stressLabel')}
                value={form.stressLevel}
                onChange={(e) => setForm({ ...form, stressLevel: e.target.value })}
                options={['normal', 'toxic', 'traumatic'].map((value) => ({
                  value,
                  label: t(`judgement.stress.${value}`),
                }))}
              />
              <SelectField
                label={t('judgement.intensityLabel')}
                value={form.intensity}
                onChange={(e) => setForm({ ...form, intensity: e.target.value })}
                options={['ordinary', 'specific', 'treatment'].map((value) => ({
                  value,
                  label: t(`judgement.intensity.${value}`),
                }))}
              />
              <SelectField
                label={t('judgement.askHelpLabel')}
                value={form.parentsAskForHelp}
                onChange={(e) => setForm({ ...form, parentsAskForHelp: e.target.value })}
                options={[
                  { value: '', label: t('judgement.unknown') },
                  { value: 'yes', label: t('judgement.yes') },
                  { value: 'no', label: t('judgement.no') },
                ]}
              />
              <SelectField
                label={t('judgement.reviewer')}
                description={t('judgement.reviewerHint')}
                value={form.reviewer || colleagues[0]?.value || ''}
                error={fieldMessage(save.error, 'body.reviewerAccountId')}
                onChange={(e) => setForm({ ...form, reviewer: e.target.value })}
                options={colleagues}
              />
            </div>
            <TextAreaField
              label={t('judgement.rationale')}
              description={t('judgement.rationaleHint')}
              value={form.rationale}
              error={fieldMessage(save.error, 'body.rationale')}
              onChange={(e) => setForm({ ...form, rationale: e.target.value })}
            />
            <TextAreaField
              label={t('judgement.parentsViewLabel')}
              value={form.parentsView}
              onChange={(e) => setForm({ ...form, parentsView: e.target.value })}
            />
            <ParentsAudienceField
              familyId={familyId}
              concernsPersonId={null}
              value={audience}
              onChange={setAudience}
              error={save.error}
            />
            <Button type="submit" busy={save.isPending}>
              {t('judgement.save')}
            </Button>
          </ActionForm>
        </details>
      )}
    </div>
  );
}

/** A signal's status, since when, source and consent category: the same fields to record and to correct. */
interface SignalState {
  status: string;
  since: string;
  source: string;
  category: string;
}

/** Each parent's own view beside an entry, with who wrote it (one parent's is not the other's). */
function ParentViews({
  views,
  nameOf,
}: {
  views: PictureSignal['parentsViews'];
  nameOf: (personId: string) => string;
}) {
  const { t } = useTranslation();
  return views.map((v) => (
    <div key={v.personId} className="kring-parents-view">
      {t('picture.parentView', { name: nameOf(v.personId) })} “{v.view}”
    </div>
  ));
}

export const personName = (record: FamilyRecord, personId: string) => {
  const person = record.persons.find((p) => p.id === personId);
  return person ? [person.givenName, person.familyName].filter(Boolean).join(' ') : '';
};

function SignalStateFields({
  state,
  onChange,
  error,
}: {
  state: SignalState;
  onChange: (changed: Partial<SignalState>) => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  return (
    <>
      <SelectField
        label={t('picture.statusLabel')}
        value={state.status}
        onChange={(e) => onChange({ status: e.target.value })}
        options={['present', 'unknown', 'no_longer_present'].map((value) => ({
          value,
          label: t(`picture.status.${value}`),
        }))}
      />
      <TextField
        label={t('picture.sinceLabel')}
        type="date"
        max={today()}
        value={state.since}
        error={fieldMessage(error, 'body.since')}
        onChange={(e) => onChange({ since: e.target.value })}
      />
      <SelectField
        label={t('picture.sourceLabel')}
        value={state.source}
        onChange={(e) => onChange({ source: e.target.value })}
        options={['observed', 'told_by_parent', 'told_by_other'].map((value) => ({
          value,
          label: t(`picture.source.${value}`),
        }))}
      />
      <SelectField
        label={t('record.category')}
        value={state.category}
        onChange={(e) => onChange({ category: e.target.value })}
        options={CATEGORIES.map((value) => ({ value, label: t(`categories.${value}`) }))}
      />
    </>
  );
}

/** Correct a signal of one's own organisation: status, since when, source, own words, category. */
function SignalCorrection({ familyId, signal, label }: { familyId: string; signal: PictureSignal; label: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    status: signal.status as string,
    since: signal.since ?? '',
    source: signal.source as string,
    note: signal.note ?? '',
    category: signal.category as string,
  });
  const save = useMutation({
    mutationFn: () =>
      api('PUT', `/api/families/${familyId}/signals/${signal.id}`, {
        concernsPersonId: signal.concernsPersonId,
        status: form.status,
        source: form.source,
        category: form.category,
        ...(form.since ? { since: form.since } : {}),
        ...(form.note.trim() ? { note: form.note.trim() } : {}),
        version: signal.version,
      }),
    onSuccess: () => refreshFamily(queryClient, familyId),
  });
  return (
    <details>
      <summary>
        {t('picture.correct')}
        <span className="visually-hidden"> {label}</span>
      </summary>
      <ActionForm action={save}>
        <div className="kring-grid">
          <SignalStateFields state={form} onChange={(changed) => setForm({ ...form, ...changed })} error={save.error} />
        </div>
        <TextAreaField
          label={t('picture.note')}
          value={form.note}
          onChange={(e) => setForm({ ...form, note: e.target.value })}
        />
        <Button type="submit" appearance="secondary" busy={save.isPending}>
          {t('picture.saveCorrection')}
        </Button>
      </ActionForm>
    </details>
  );
}

function SignalForm({
  familyId,
  record,
  nameOf,
  codes,
}: {
  familyId: string;
  record: FamilyRecord;
  nameOf: (personId: string) => string;
  codes: Codes;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const en = i18n.language === 'en';
  const [form, setForm] = useState({
    domain: codes.domains[0]?.key ?? '',
    code: '',
    concerns: '',
    status: 'present',
    since: '',
    source: 'observed',
    note: '',
    category: '',
  });
  const [audience, setAudience] = useState<AudienceDecision>(null);
  const inDomain = codes.codes.filter((c) => c.domain === form.domain);
  const code = inDomain.find((c) => c.key === form.code) ?? inDomain[0];
  const save = useMutation({
    mutationFn: () =>
      api('POST', `/api/families/${familyId}/signals`, {
        code: code?.key,
        concernsPersonId: form.concerns || null,
        status: form.status,
        source: form.source,
        ...(form.since ? { since: form.since } : {}),
        ...(form.note.trim() ? { note: form.note.trim() } : {}),
        ...(form.category ? { category: form.category } : {}),
        ...(audience ? { parentsAudience: audience } : {}),
      }),
    onSuccess: () => {
      setForm({ ...form, note: '', since: '' });
      setAudience(null);
      void refreshFamily(queryClient, familyId);
    },
  });
  return (
    <details>
      <summary>{t('picture.record')}</summary>
      <ActionForm action={save} saved={t('record.saved')}>
        <div className="kring-grid">
          <SelectField
            label={t('picture.domain')}
            value={form.domain}
            onChange={(e) => setForm({ ...form, domain: e.target.value, code: '' })}
            options={codes.domains.map((d) => ({ value: d.key, label: en ? d.en : d.nl }))}
          />
          <SelectField
            label={t('picture.code')}
            value={code?.key ?? ''}
            error={fieldMessage(save.error, 'body.code')}
            onChange={(e) => setForm({ ...form, code: e.target.value })}
            options={inDomain.map((c) => ({ value: c.key, label: en ? c.en : c.nl }))}
          />
          <SelectField
            label={t('record.concerns')}
            value={form.concerns}
            error={fieldMessage(save.error, 'body.concernsPersonId')}
            onChange={(e) => setForm({ ...form, concerns: e.target.value })}
            options={[
              { value: '', label: t('record.wholeFamily') },
              ...record.persons.map((p) => ({ value: p.id, label: nameOf(p.id) })),
            ]}
          />
          <SignalStateFields
            state={{ ...form, category: form.category || code?.category || '' }}
            onChange={(changed) => setForm({ ...form, ...changed })}
            error={save.error}
          />
        </div>
        <TextAreaField
          label={t('picture.note')}
          description={t('picture.noteHint')}
          value={form.note}
          onChange={(e) => setForm({ ...form, note: e.target.value })}
        />
        <ParentsAudienceField
          familyId={familyId}
          concernsPersonId={form.concerns || null}
          code={code?.key}
          value={audience}
          onChange={setAudience}
          error={save.error}
        />
        <Button type="submit" busy={save.isPending}>
          {t('picture.save')}
        </Button>
      </ActionForm>
    </details>
  );
}

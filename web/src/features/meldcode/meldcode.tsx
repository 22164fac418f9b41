import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OverrideForReview, OverridesResponse } from '../../../../server/src/consent/override.routes.ts';
import type { ConsultationsResponse } from '../../../../server/src/consultations/consultation.routes.ts';
import type {
  FamilyMeldcodeResponse,
  MeldcodeRouteResponse,
  meldcodeRoutes,
} from '../../../../server/src/meldcode/meldcode.routes.ts';
import type { MeldcodeDefinition } from '../../../../server/src/meldcode/meldcode.ts';
import type { PictureResult, signalRoutes } from '../../../../server/src/signals/signal.routes.ts';
import { type Answer, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Heading,
  Link,
  navigate,
  Paragraph,
  SelectField,
  TextAreaField,
  TextField,
} from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { type FamilyRecord, fieldMessage, formatDate, roleLabel, useOrganisations } from '../families/families-api.ts';
import { useCodes } from '../signals/picture-section.tsx';

const today = () => new Date().toISOString().slice(0, 10);

function useMeldcode() {
  return useQuery({
    queryKey: queryKeys.meldcodeDefinition(),
    queryFn: () => api<MeldcodeDefinition>('GET', '/api/meldcode'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** On the family record: this organisation's Meldcode routes, and starting one. */
export function MeldcodeSection({ familyId, open }: { familyId: string; open: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const routes = useQuery({
    queryKey: queryKeys.meldcode(familyId),
    queryFn: () => api<FamilyMeldcodeResponse>('GET', `/api/families/${familyId}/meldcode`),
  });
  const [reason, setReason] = useState('');
  const start = useMutation({
    mutationFn: () =>
      api<Answer<typeof meldcodeRoutes, 'POST /api/families/:familyId/meldcode'>>(
        'POST',
        `/api/families/${familyId}/meldcode`,
        { reason },
      ),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.meldcode(familyId) });
      navigate(`/meldcode/${result.routeId}`);
    },
  });
  const hasOpen = routes.data?.routes.some((r) => r.status === 'open');
  return (
    <section className="kring-card kring-stack" aria-labelledby="meldcode">
      <Heading level={2} id="meldcode">
        {t('meldcode.title')}
      </Heading>
      <Paragraph muted>{t('meldcode.ownOrganisation')}</Paragraph>
      {routes.data?.routes.length === 0 && <Paragraph>{t('meldcode.none')}</Paragraph>}
      <ul>
        {routes.data?.routes.map((r) => (
          <li key={r.id}>
            <Link href={`/meldcode/${r.id}`}>
              {t('meldcode.routeFrom', { date: formatDate(r.startedAt.slice(0, 10), i18n.language) })}
            </Link>{' '}
            ·{' '}
            {r.status === 'open'
              ? t('meldcode.stepsSigned', { count: r.stepsSigned })
              : t(`meldcode.outcomes.${r.outcome}`)}
          </li>
        ))}
      </ul>
      {open && !hasOpen && (
        <details>
          <summary>{t('meldcode.start')}</summary>
          <ActionForm action={start}>
            <TextAreaField
              label={t('meldcode.startReason')}
              value={reason}
              error={fieldMessage(start.error, 'body.reason')}
              onChange={(e) => setReason(e.target.value)}
            />
            <div>
              <Button type="submit" busy={start.isPending}>
                {t('meldcode.start')}
              </Button>
            </div>
          </ActionForm>
        </details>
      )}
    </section>
  );
}

/** On the family record: what was shared without the parents' consent, and its review. */
export function OverridesSection({ familyId }: { familyId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const overrides = useQuery({
    queryKey: queryKeys.overrides(familyId),
    queryFn: () => api<OverridesResponse>('GET', `/api/families/${familyId}/consent-overrides`),
  });
  const [note, setNote] = useState('');
  const review = useMutation({
    mutationFn: (id: string) => api('POST', `/api/families/${familyId}/consent-overrides/${id}/review`, { note }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.overrides(familyId) }),
  });
  const [informReason, setInformReason] = useState('');
  const inform = useMutation({
    mutationFn: (id: string) =>
      api('POST', `/api/families/${familyId}/consent-overrides/${id}/inform-parents`, { reason: informReason }),
    onSuccess: () => {
      setInformReason('');
      void queryClient.invalidateQueries({ queryKey: queryKeys.overrides(familyId) });
    },
  });
  if (!overrides.data || overrides.data.overrides.length === 0) return null;
  return (
    <section className="kring-card kring-stack" aria-labelledby="overrides">
      <Heading level={2} id="overrides">
        {t('overrides.title')}
      </Heading>
      <ul className="kring-timeline">
        {overrides.data.overrides.map((o) => (
          <li key={o.id} className="kring-stack">
            <div>
              <strong>{t(`overrides.kinds.${o.kind}`)}</strong> · {formatDate(o.at.slice(0, 10), i18n.language)} ·{' '}
              {o.byName} ({o.organisationName})
              {o.expiresAt &&
                ` · ${t('overrides.until', { time: new Date(o.expiresAt).toLocaleString(i18n.language) })}`}
            </div>
            <div>{o.reason}</div>
            <div className="kring-muted">
              {o.parentsInformed ? t('overrides.parentsInformed') : t('overrides.parentsNotInformed')} ·{' '}
              {o.reviewStatus === 'reviewed'
                ? t('overrides.reviewed', { name: o.reviewedByName ?? '', note: o.reviewNote ?? '' })
                : t('overrides.toReview')}
            </div>
            {o.mayInformParents && (
              <details>
                <summary>{t('overrides.informParents')}</summary>
                <ActionForm action={{ ...inform, mutate: () => inform.mutate(o.id) }}>
                  <TextAreaField
                    label={t('overrides.informReason')}
                    value={informReason}
                    error={fieldMessage(inform.error, 'body.reason')}
                    onChange={(e) => setInformReason(e.target.value)}
                  />
                  <div>
                    <Button type="submit" appearance="secondary">
                      {t('overrides.informParents')}
                    </Button>
                  </div>
                </ActionForm>
              </details>
            )}
            {o.mayReview && (
              <ActionForm action={{ ...review, mutate: () => review.mutate(o.id) }}>
                <TextAreaField
                  label={t('overrides.reviewNote')}
                  value={note}
                  error={fieldMessage(review.error, 'body.note')}
                  onChange={(e) => setNote(e.target.value)}
                />
                <div>
                  <Button type="submit">{t('overrides.review')}</Button>
                </div>
              </ActionForm>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A Meldcode route read back as one document, with the form for its next step. */
/**
 * A Meldcode route, read back as one document that prints (or saves as PDF) on its own: the
 * family, the signals it rests on, each step with its date and signer, and to whom it was
 * reported — and, while it is open, the form for the next step (not printed).
 */
export function MeldcodeRoutePage({ routeId }: { routeId: string }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const definition = useMeldcode();
  const route = useQuery({
    queryKey: queryKeys.meldcodeRoute(routeId),
    queryFn: () => api<MeldcodeRouteResponse>('GET', `/api/meldcode/${routeId}`),
  });
  const familyId = route.data?.familyId;
  const record = useQuery({
    queryKey: queryKeys.family(familyId),
    queryFn: () => api<FamilyRecord>('GET', `/api/families/${familyId}`),
    enabled: familyId !== undefined,
  });
  if (route.error) return <Alert type="error">{errorText(route.error)}</Alert>;
  const r = route.data;
  const d = definition.data;
  if (!r || !d) return <Paragraph>{t('app.loading')}</Paragraph>;
  const text = (value: { nl: string; en: string }) => (i18n.language === 'en' ? value.en : value.nl);
  const persons = record.data?.persons ?? [];
  return (
    <div className="kring-stack kring-print">
      <div className="kring-row kring-no-print">
        <Link href={`/gezinnen/${r.familyId}`}>{t('record.back')}</Link>
        <Button appearance="secondary" onClick={() => window.print()}>
          {t('meldcode.print')}
        </Button>
      </div>
      <Heading level={1}>{t('meldcode.routeTitle')}</Heading>
      <dl className="kring-details">
        <dt>{t('meldcode.family')}</dt>
        <dd>
          {persons.length === 0
            ? '…'
            : persons
                .map((p) =>
                  [
                    [p.givenName, p.familyName].filter(Boolean).join(' ') || t('meldcode.unnamed'),
                    `(${roleLabel(p, persons)}${p.birthDate ? `, ${formatDate(p.birthDate, i18n.language)}` : ''})`,
                  ].join(' '),
                )
                .join('; ')}
        </dd>
        <dt>{t('meldcode.startedBy')}</dt>
        <dd>
          {r.startedBy}, {formatDate(r.startedAt.slice(0, 10), i18n.language)}
        </dd>
        <dt>{t('meldcode.startReason')}</dt>
        <dd>{r.startedReason}</dd>
        <dt>{t('meldcode.status')}</dt>
        <dd>
          {r.status === 'open'
            ? t('meldcode.open')
            : `${t(`meldcode.outcomes.${r.outcome}`)}${r.closedAt ? `, ${formatDate(r.closedAt.slice(0, 10), i18n.language)}` : ''}`}
        </dd>
        <dt>{t('meldcode.parents')}</dt>
        <dd>
          {r.shownToParents ? t('meldcode.shown') : t('meldcode.hidden')}
          {r.shownDecisionReason && ` — ${r.shownDecisionReason}`}
        </dd>
        <dt>{t('meldcode.version')}</dt>
        <dd>{t('meldcode.versionText', { version: r.meldcodeVersion })}</dd>
      </dl>
      {d.steps.map((step) => {
        const signed = r.steps.find((s) => s.step === step.step);
        return (
          <section key={step.step} className="kring-card kring-stack" aria-labelledby={`step-${step.step}`}>
            <Heading level={2} id={`step-${step.step}`}>
              {t('meldcode.stepTitle', { step: step.step, title: text(step.title) })}
            </Heading>
            {signed ? (
              <>
                <StepContent step={step.step} content={signed.content} definition={d} familyId={r.familyId} />
                <Paragraph muted>
                  {t('meldcode.signed', {
                    name: signed.signedBy,
                    organisation: signed.organisationName,
                    date: formatDate(signed.happenedOn, i18n.language),
                  })}
                </Paragraph>
              </>
            ) : r.nextStep === step.step ? (
              <>
                <div className="kring-stack kring-no-print">
                  <Paragraph>{text(step.what)}</Paragraph>
                  <StepForm route={r} step={step.step} definition={d} />
                </div>
                <p className="kring-print-only">{t('meldcode.notYet')}</p>
              </>
            ) : (
              <Paragraph muted>{t('meldcode.notYet')}</Paragraph>
            )}
          </section>
        );
      })}
      <div className="kring-no-print">
        <VisibilityForm route={r} />
      </div>
      <Paragraph muted>{t('meldcode.printedOn', { date: formatDate(today(), i18n.language) })}</Paragraph>
    </div>
  );
}

/** The family's signals a route's first step rests on, with who recorded each and since when. */
function LinkedSignals({ familyId, signalIds }: { familyId: string; signalIds: string[] }) {
  const { t, i18n } = useTranslation();
  const codes = useCodes();
  const picture = useQuery({
    queryKey: queryKeys.picture(familyId),
    queryFn: () => api<PictureResult>('GET', `/api/families/${familyId}/picture`),
  });
  const current = (picture.data?.domains ?? []).flatMap((d) => d.signals).filter((s) => signalIds.includes(s.id));
  const ended = (picture.data?.ended ?? []).filter((s) => signalIds.includes(s.id));
  const hidden = picture.data ? signalIds.length - current.length - ended.length : 0;
  const since = (date: string | null) =>
    date ? ` — ${t('meldcode.since', { date: formatDate(date, i18n.language) })}` : '';
  return (
    <ul className="kring-list-plain">
      {current.map((s) => (
        <li key={s.id}>
          {codes.codeLabel(s.code)}
          {since(s.since)} · {t(`picture.status.${s.status}`)} · {s.organisationName}
        </li>
      ))}
      {ended.map((s) => (
        <li key={s.id}>
          {codes.codeLabel(s.code)}
          {since(s.since)} · {t('picture.status.no_longer_present')} · {s.organisationName}
        </li>
      ))}
      {hidden > 0 && <li>{t('meldcode.signalsNotShown', { count: hidden })}</li>}
    </ul>
  );
}

function StepContent({
  step,
  content,
  definition,
  familyId,
}: {
  step: number;
  content: Record<string, unknown>;
  definition: MeldcodeDefinition;
  familyId: string;
}) {
  const { t, i18n } = useTranslation();
  const organisations = useOrganisations();
  const text = (value: { nl: string; en: string }) => (i18n.language === 'en' ? value.en : value.nl);
  const rows: [string, string][] = [];
  const value = (key: string) => content[key];
  if (step === 1) rows.push([t('meldcode.fields.note'), String(value('note') ?? '')]);
  const signalIds = step === 1 ? ((value('signalIds') as string[] | undefined) ?? []) : [];
  if (step === 2) {
    rows.push([t('meldcode.fields.colleague'), String(value('colleague') ?? '')]);
    rows.push([t('meldcode.fields.advice'), String(value('advice') ?? '')]);
    rows.push([
      t('meldcode.fields.veiligThuis'),
      value('veiligThuisConsulted') ? t('referrals.yes') : t('referrals.no'),
    ]);
    if (value('injuryAssessment')) rows.push([t('meldcode.fields.injuryAssessment'), t('referrals.yes')]);
  }
  if (step === 3) {
    rows.push([t('meldcode.fields.held'), value('held') ? t('referrals.yes') : t('referrals.no')]);
    if (value('withWhom')) rows.push([t('meldcode.fields.withWhom'), String(value('withWhom'))]);
    rows.push([t('meldcode.fields.note'), String(value('note') ?? '')]);
  }
  if (step === 4) {
    const answers = (value('answers') ?? {}) as Record<string, boolean>;
    for (const key of (value('path') as string[] | undefined) ?? []) {
      const question = definition.questions.find((q) => q.key === key);
      if (question) rows.push([text(question.text), answers[key] ? t('referrals.yes') : t('referrals.no')]);
    }
    const outcome = definition.outcomes[value('outcome') as 'report' | 'help' | 'no_suspicion'];
    if (outcome) rows.push([t('meldcode.fields.outcome'), text(outcome.text)]);
    rows.push([t('meldcode.fields.note'), String(value('note') ?? '')]);
  }
  if (step === 5) {
    rows.push([t('meldcode.fields.decision'), t(`meldcode.outcomes.${value('decision')}`)]);
    rows.push([t('meldcode.fields.reason'), String(value('reason') ?? '')]);
    const reportedTo = organisations.data?.organisations.find((o) => o.id === value('reportedToOrganisationId'));
    if (reportedTo) rows.push([t('meldcode.fields.reportedTo'), reportedTo.name]);
    if (value('parentsInformed') !== undefined) {
      rows.push([
        t('meldcode.fields.parentsInformed'),
        value('parentsInformed') ? t('referrals.yes') : t('referrals.no'),
      ]);
    }
    if (value('followUpOn')) {
      rows.push([t('meldcode.fields.followUpOn'), formatDate(String(value('followUpOn')), i18n.language)]);
    }
  }
  return (
    <dl className="kring-details">
      {signalIds.length > 0 && (
        <div className="kring-details__row">
          <dt>{t('meldcode.fields.signals')}</dt>
          <dd>
            <LinkedSignals familyId={familyId} signalIds={signalIds} />
          </dd>
        </div>
      )}
      {rows.map(([term, description]) => (
        <div key={term} className="kring-details__row">
          <dt>{term}</dt>
          <dd>{description}</dd>
        </div>
      ))}
    </dl>
  );
}

function StepForm({
  route,
  step,
  definition,
}: {
  route: MeldcodeRouteResponse;
  step: number;
  definition: MeldcodeDefinition;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const codes = useCodes();
  const organisations = useOrganisations();
  const text = (value: { nl: string; en: string }) => (i18n.language === 'en' ? value.en : value.nl);
  const picture = useQuery({
    queryKey: queryKeys.picture(route.familyId),
    queryFn: () =>
      api<Answer<typeof signalRoutes, 'GET /api/families/:familyId/picture'>>(
        'GET',
        `/api/families/${route.familyId}/picture`,
      ),
    enabled: step === 1,
  });
  const consultations = useQuery({
    queryKey: queryKeys.consultations(),
    queryFn: () => api<ConsultationsResponse>('GET', '/api/consultations'),
    enabled: step === 2,
  });
  const [form, setForm] = useState({
    happenedOn: today(),
    signalIds: [] as string[],
    note: '',
    colleague: '',
    advice: '',
    veiligThuisConsulted: false,
    injuryAssessment: false,
    consultationIds: [] as string[],
    // Nothing is chosen beforehand: whether the talk was held, the decision, whether parents are told.
    held: '' as '' | 'yes' | 'no',
    withWhom: '',
    answers: {} as Record<string, boolean>,
    decision: '',
    reason: '',
    reportedToOrganisationId: '',
    parentsInformed: '' as '' | 'yes' | 'no',
    followUpOn: '',
  });
  // The afwegingskader: questions follow the answers given so far.
  const path: { key: string; text: string }[] = [];
  let outcome: keyof MeldcodeDefinition['outcomes'] | null = null;
  let question = definition.questions[0];
  while (question && step === 4) {
    path.push({ key: question.key, text: text(question.text) });
    const answer = form.answers[question.key];
    if (answer === undefined) break;
    const lead = answer ? question.yes : question.no;
    if ('outcome' in lead) {
      outcome = lead.outcome;
      break;
    }
    const next = lead.next;
    question = definition.questions.find((q) => q.key === next);
  }
  const weighed = route.steps.find((s) => s.step === 4)?.content.outcome as keyof MeldcodeDefinition['outcomes'];
  const decisions = weighed ? definition.outcomes[weighed].decisions : [];
  const decision = form.decision;
  const reporting = decision === 'report' || decision === 'report_and_help';
  const veiligThuis = (organisations.data?.organisations ?? []).filter((o) => o.type === 'veilig_thuis');
  const body = (): Record<string, unknown> => {
    const base = { step, happenedOn: form.happenedOn };
    if (step === 1) return { ...base, signalIds: form.signalIds, note: form.note };
    if (step === 2) {
      return {
        ...base,
        colleague: form.colleague,
        advice: form.advice,
        veiligThuisConsulted: form.veiligThuisConsulted,
        injuryAssessment: form.injuryAssessment,
        consultationIds: form.consultationIds,
      };
    }
    if (step === 3)
      return {
        ...base,
        ...(form.held ? { held: form.held === 'yes' } : {}),
        ...(form.withWhom ? { withWhom: form.withWhom } : {}),
        note: form.note,
      };
    if (step === 4) {
      const answers = Object.fromEntries(
        path.filter((p) => p.key in form.answers).map((p) => [p.key, form.answers[p.key]]),
      );
      return { ...base, answers, note: form.note };
    }
    return {
      ...base,
      decision,
      reason: form.reason,
      ...(reporting
        ? {
            reportedToOrganisationId: form.reportedToOrganisationId || veiligThuis[0]?.id,
            ...(form.parentsInformed ? { parentsInformed: form.parentsInformed === 'yes' } : {}),
          }
        : {}),
      ...(form.followUpOn ? { followUpOn: form.followUpOn } : {}),
    };
  };
  const sign = useMutation({
    mutationFn: () => api('POST', `/api/meldcode/${route.id}/steps`, body()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.meldcodeRoute(route.id) }),
  });
  const field = (name: string) => fieldMessage(sign.error, `body.${name}`);
  const signals = picture.data?.domains.flatMap((domain) => domain.signals) ?? [];
  const mine = consultations.data?.consultations.filter((c) => c.side === 'asker') ?? [];
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));
  const yesNo = [
    { value: '', label: t('meldcode.choose') },
    { value: 'yes', label: t('referrals.yes') },
    { value: 'no', label: t('referrals.no') },
  ];
  return (
    <ActionForm action={sign}>
      <TextField
        type="date"
        label={t('meldcode.fields.happenedOn')}
        value={form.happenedOn}
        error={field('happenedOn')}
        onChange={(e) => setForm({ ...form, happenedOn: e.target.value })}
      />
      {step === 1 && (
        <Fieldset legend={t('meldcode.fields.signals')} error={field('signalIds')}>
          {signals.length === 0 && <Paragraph>{t('meldcode.noSignals')}</Paragraph>}
          {signals.map((s) => (
            <Checkbox
              key={s.id}
              label={codes.codeLabel(s.code)}
              checked={form.signalIds.includes(s.id)}
              onChange={(e) => setForm({ ...form, signalIds: toggle(form.signalIds, s.id, e.target.checked) })}
            />
          ))}
        </Fieldset>
      )}
      {step === 2 && (
        <>
          <TextField
            label={t('meldcode.fields.colleague')}
            value={form.colleague}
            error={field('colleague')}
            onChange={(e) => setForm({ ...form, colleague: e.target.value })}
          />
          <TextAreaField
            rows={3}
            label={t('meldcode.fields.advice')}
            value={form.advice}
            error={field('advice')}
            onChange={(e) => setForm({ ...form, advice: e.target.value })}
          />
          <Checkbox
            label={t('meldcode.fields.veiligThuis')}
            checked={form.veiligThuisConsulted}
            onChange={(e) => setForm({ ...form, veiligThuisConsulted: e.target.checked })}
          />
          <Checkbox
            label={t('meldcode.fields.injuryAssessmentQuestion')}
            checked={form.injuryAssessment}
            onChange={(e) => setForm({ ...form, injuryAssessment: e.target.checked })}
          />
          {mine.length > 0 && (
            <Fieldset legend={t('meldcode.fields.consultations')}>
              {mine.map((c) => (
                <Checkbox
                  key={c.id}
                  label={`${c.consultedOrganisationName}: ${c.question.slice(0, 80)}`}
                  checked={form.consultationIds.includes(c.id)}
                  onChange={(e) =>
                    setForm({ ...form, consultationIds: toggle(form.consultationIds, c.id, e.target.checked) })
                  }
                />
              ))}
            </Fieldset>
          )}
          <Paragraph>
            <Link href="/consultaties">{t('meldcode.consultLink')}</Link>
          </Paragraph>
        </>
      )}
      {step === 3 && (
        <>
          <SelectField
            label={t('meldcode.fields.heldQuestion')}
            value={form.held}
            error={field('held')}
            onChange={(e) => setForm({ ...form, held: e.target.value as '' | 'yes' | 'no' })}
            options={yesNo}
          />
          {form.held === 'yes' && (
            <TextField
              label={t('meldcode.fields.withWhom')}
              value={form.withWhom}
              error={field('withWhom')}
              onChange={(e) => setForm({ ...form, withWhom: e.target.value })}
            />
          )}
        </>
      )}
      {step === 4 &&
        path.map((p) => (
          <SelectField
            key={p.key}
            label={p.text}
            value={form.answers[p.key] === undefined ? '' : form.answers[p.key] ? 'yes' : 'no'}
            error={field(`answers.${p.key}`)}
            onChange={(e) => {
              const answers = { ...form.answers };
              // A changed answer drops the answers that followed it.
              for (const later of path.slice(path.findIndex((x) => x.key === p.key))) delete answers[later.key];
              if (e.target.value) answers[p.key] = e.target.value === 'yes';
              setForm({ ...form, answers });
            }}
            options={[
              { value: '', label: t('meldcode.choose') },
              { value: 'yes', label: t('referrals.yes') },
              { value: 'no', label: t('referrals.no') },
            ]}
          />
        ))}
      {step === 4 && outcome && <Alert type="info">{text(definition.outcomes[outcome].text)}</Alert>}
      {(step === 1 || step === 3 || step === 4) && (
        <TextAreaField
          rows={3}
          label={step === 3 && form.held === 'no' ? t('meldcode.fields.whyNotHeld') : t('meldcode.fields.note')}
          value={form.note}
          error={field('note')}
          onChange={(e) => setForm({ ...form, note: e.target.value })}
        />
      )}
      {step === 5 && (
        <>
          <SelectField
            label={t('meldcode.fields.decision')}
            value={decision}
            error={field('decision')}
            onChange={(e) => setForm({ ...form, decision: e.target.value })}
            options={[
              { value: '', label: t('meldcode.choose') },
              ...decisions.map((value) => ({ value, label: t(`meldcode.outcomes.${value}`) })),
            ]}
          />
          <TextAreaField
            rows={3}
            label={t('meldcode.fields.reason')}
            value={form.reason}
            error={field('reason')}
            onChange={(e) => setForm({ ...form, reason: e.target.value })}
          />
          {reporting && (
            <>
              <SelectField
                label={t('meldcode.fields.reportedTo')}
                value={form.reportedToOrganisationId || veiligThuis[0]?.id || ''}
                error={field('reportedToOrganisationId')}
                onChange={(e) => setForm({ ...form, reportedToOrganisationId: e.target.value })}
                options={veiligThuis.map((o) => ({ value: o.id, label: o.name }))}
              />
              <SelectField
                label={t('meldcode.fields.parentsInformedQuestion')}
                value={form.parentsInformed}
                error={field('parentsInformed')}
                onChange={(e) => setForm({ ...form, parentsInformed: e.target.value as '' | 'yes' | 'no' })}
                options={yesNo}
              />
            </>
          )}
          {decision !== 'no_suspicion' && (
            <TextField
              type="date"
              label={t('meldcode.fields.followUpOn')}
              value={form.followUpOn}
              error={field('followUpOn')}
              onChange={(e) => setForm({ ...form, followUpOn: e.target.value })}
            />
          )}
        </>
      )}
      <div>
        <Button type="submit" busy={sign.isPending}>
          {t('meldcode.sign', { step })}
        </Button>
      </div>
    </ActionForm>
  );
}

function VisibilityForm({ route }: { route: MeldcodeRouteResponse }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api('PUT', `/api/meldcode/${route.id}/parents-visibility`, {
        shownToParents: !route.shownToParents,
        reason,
        version: route.version,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.meldcodeRoute(route.id) }),
  });
  return (
    <details>
      <summary>{route.shownToParents ? t('meldcode.hideFromParents') : t('meldcode.showToParents')}</summary>
      <ActionForm action={save}>
        <TextAreaField
          label={t('meldcode.visibilityReason')}
          value={reason}
          error={fieldMessage(save.error, 'body.reason')}
          onChange={(e) => setReason(e.target.value)}
        />
        <div>
          <Button type="submit" appearance="secondary">
            {route.shownToParents ? t('meldcode.hideFromParents') : t('meldcode.showToParents')}
          </Button>
        </div>
      </ActionForm>
    </details>
  );
}

/**
 * Reviewing a sharing without consent, for the one it was given to — a colleague of the reporter or
 * the regiehouder — who may not be in the family's team: exactly what the review needs.
 */
export function OverrideReviewPage({ overrideId }: { overrideId: string }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const override = useQuery({
    queryKey: queryKeys.override(overrideId),
    queryFn: () => api<OverrideForReview>('GET', `/api/consent-overrides/${overrideId}`),
  });
  const [note, setNote] = useState('');
  const review = useMutation({
    mutationFn: (familyId: string) =>
      api('POST', `/api/families/${familyId}/consent-overrides/${overrideId}/review`, { note }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.override(overrideId) }),
  });
  if (override.error) return <Alert type="error">{errorText(override.error)}</Alert>;
  const o = override.data;
  if (!o) return <Paragraph>{t('app.loading')}</Paragraph>;
  return (
    <div className="kring-stack">
      <Heading level={1}>{t('overrides.reviewTitle', { family: o.family })}</Heading>
      <section className="kring-card kring-stack" aria-labelledby="override-facts">
        <Heading level={2} id="override-facts">
          {t(`overrides.kinds.${o.kind}`)}
        </Heading>
        <dl className="kring-facts">
          <dt>{t('overrides.by')}</dt>
          <dd>
            {o.byName} ({o.byOrganisation}) · {formatDate(o.at.slice(0, 10), i18n.language)}
          </dd>
          <dt>{t('overrides.sharedWith')}</dt>
          <dd>{o.sharedWith}</dd>
          <dt>{t('overrides.why')}</dt>
          <dd>{o.reason}</dd>
          {o.route && (
            <>
              <dt>{t('overrides.routeReason')}</dt>
              <dd>{o.route.reason}</dd>
              {o.route.decision && (
                <>
                  <dt>{t('meldcode.fields.decision')}</dt>
                  <dd>
                    {t(`meldcode.outcomes.${o.route.decision}`)}
                    {o.route.decisionReason ? `: ${o.route.decisionReason}` : ''}
                  </dd>
                </>
              )}
            </>
          )}
          <dt>{t('meldcode.parents')}</dt>
          <dd>{o.parentsInformed ? t('overrides.parentsInformed') : t('overrides.parentsNotInformed')}</dd>
        </dl>
        {o.reviewStatus === 'reviewed' ? (
          <Alert type="ok">{t('overrides.reviewedByYou', { note: o.reviewNote ?? '' })}</Alert>
        ) : (
          <ActionForm action={{ ...review, mutate: () => review.mutate(o.familyId) }}>
            <TextAreaField
              label={t('overrides.reviewNote')}
              rows={3}
              value={note}
              error={fieldMessage(review.error, 'body.note')}
              onChange={(e) => setNote(e.target.value)}
            />
            <div>
              <Button type="submit">{t('overrides.review')}</Button>
            </div>
          </ActionForm>
        )}
      </section>
    </div>
  );
}

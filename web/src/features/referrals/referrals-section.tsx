import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { referralRoutes } from '../../../../server/src/referrals/referral.routes.ts';
import { type Answer, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Heading,
  Link,
  Paragraph,
  SelectField,
  TextAreaField,
} from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { CategoryCheckboxes, GivenHowSelect } from '../families/consent-fields.tsx';
import { type FamilyRecord, fieldMessage, formatDate } from '../families/families-api.ts';
import {
  type AudienceDecision,
  AudienceDecisionForm,
  AudienceNote,
  ParentsAudienceField,
} from '../families/parents-audience-field.tsx';
import { personName, useCodes } from '../signals/picture-section.tsx';
import { EnrolmentText, EvidenceText } from './evidence.tsx';
import { type FindInterventionsResponse, type FoundIntervention, useCatalogue, useText } from './referrals-api.ts';

const INTENSITIES = ['any', 'ordinary', 'specific', 'treatment'] as const;
const WORKS_ON = [
  'lifestyle',
  'parent_child_relationship',
  'stress_mental_health',
  'trauma',
  'practical_social_support',
  'group_care',
] as const;

/** On the family record: the family's referrals with their status, and finding an intervention to refer to. */
export function ReferralsSection({
  familyId,
  record,
  open,
}: {
  familyId: string;
  record: FamilyRecord;
  open: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { nameOf } = useCatalogue();
  return (
    <section className="kring-card kring-stack" aria-labelledby="referrals">
      <Heading level={2} id="referrals">
        {t('referrals.onRecord')}
      </Heading>
      {record.referrals.length === 0 ? (
        <Paragraph>{t('referrals.none')}</Paragraph>
      ) : (
        <ul className="kring-timeline">
          {record.referrals.map((r) => (
            <li key={r.id}>
              <strong>{r.interventionKey ? nameOf(r.interventionKey) : t('referrals.assessment')}</strong> ·{' '}
              {r.fromOrganisationName} → {r.toOrganisationName} ·{' '}
              <span className="kring-badge">{t(`referrals.status.${r.status}`)}</span>
              {r.late && (
                <>
                  {' '}
                  <span className="kring-badge kring-badge--warning">{t('referrals.late')}</span>
                </>
              )}
              {r.sentAt && ` · ${t('referrals.sentOn', { date: formatDate(r.sentAt.slice(0, 10), i18n.language) })}`}
              {r.expectedStartOn &&
                ` · ${t('referrals.expectedStart', { date: formatDate(r.expectedStartOn, i18n.language) })}`}
              {r.mine && (
                <>
                  {' '}
                  <Link href={`/verwijzingen/${r.id}`}>{t('referrals.open')}</Link>
                </>
              )}
              <AudienceNote
                decision={r.parentsAudience}
                safetyAboutFamily={false}
                nameOf={(id) => personName(record, id)}
              />
              {open && (
                <AudienceDecisionForm
                  familyId={familyId}
                  recordType="referral"
                  recordId={r.id}
                  concernsPersonId={null}
                  label={r.interventionKey ? nameOf(r.interventionKey) : t('referrals.assessment')}
                  current={r.parentsAudience}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {open && <InterventionFinder familyId={familyId} />}
    </section>
  );
}

function InterventionFinder({ familyId }: { familyId: string }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState({ intensity: '', worksOn: '', allPhases: false });
  const [chosen, setChosen] = useState<FoundIntervention | null>(null);
  const query = new URLSearchParams({
    ...(filters.intensity ? { intensity: filters.intensity } : {}),
    ...(filters.worksOn ? { worksOn: filters.worksOn } : {}),
    allPhases: String(filters.allPhases),
  });
  const found = useQuery({
    queryKey: queryKeys.interventionsFor(familyId, query.toString()),
    queryFn: () => api<FindInterventionsResponse>('GET', `/api/families/${familyId}/interventions?${query}`),
  });
  const data = found.data;
  return (
    <details>
      <summary>{t('referrals.find')}</summary>
      <div className="kring-stack">
        <search className="kring-grid" aria-label={t('referrals.find')}>
          <SelectField
            label={t('referrals.intensity')}
            value={filters.intensity || data?.intensity || 'any'}
            onChange={(e) => setFilters({ ...filters, intensity: e.target.value })}
            options={INTENSITIES.map((i) => ({
              value: i,
              label: i === 'any' ? t('referrals.anyIntensity') : t(`judgement.intensity.${i}`),
            }))}
          />
          <SelectField
            label={t('referrals.worksOn')}
            value={filters.worksOn}
            onChange={(e) => setFilters({ ...filters, worksOn: e.target.value })}
            options={[
              { value: '', label: t('referrals.anything') },
              ...WORKS_ON.map((w) => ({ value: w, label: t(`referrals.worksOnValues.${w}`) })),
            ]}
          />
          <Checkbox
            label={t('referrals.allPhases')}
            checked={filters.allPhases}
            onChange={(e) => setFilters({ ...filters, allPhases: e.target.checked })}
          />
        </search>
        {data && (
          <Paragraph muted>
            {t('referrals.familyFacts', {
              phase: t(`phases.${data.family.phase}`),
              count: data.family.stressFactors,
            })}{' '}
            {data.relationshipRule.met
              ? t('referrals.ruleMet', {
                  because: data.relationshipRule.because.map((b) => t(`referrals.because.${b}`)).join(', '),
                })
              : t('referrals.ruleNotMet')}
          </Paragraph>
        )}
        {data?.interventions.length === 0 && <Paragraph>{t('referrals.noneFound')}</Paragraph>}
        <ul className="kring-list-plain kring-stack">
          {data?.interventions.map((intervention) => (
            <li key={intervention.definition.key}>
              <InterventionCard intervention={intervention} onRefer={() => setChosen(intervention)} />
              {chosen?.definition.key === intervention.definition.key && (
                <ReferralForm familyId={familyId} intervention={intervention} onDone={() => setChosen(null)} />
              )}
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}

function InterventionCard({ intervention, onRefer }: { intervention: FoundIntervention; onRefer: () => void }) {
  const { t } = useTranslation();
  const text = useText();
  const codes = useCodes();
  const { definition } = intervention;
  const id = `intervention-${definition.key}`;
  return (
    <article className="kring-card kring-stack" aria-labelledby={id}>
      <Heading level={3} id={id}>
        {text(definition.name)}
      </Heading>
      <Paragraph>{text(definition.description)}</Paragraph>
      <dl className="kring-details">
        <dt>{t('referrals.evidence')}</dt>
        <dd>
          <EvidenceText definition={definition} />
        </dd>
        <dt>{t('referrals.intensity')}</dt>
        <dd>{t(`judgement.intensity.${definition.intensity}`)}</dd>
        <dt>{t('referrals.enrolment')}</dt>
        <dd>
          <EnrolmentText enrolment={definition.enrolment} />
        </dd>
        <dt>{t('referrals.fit')}</dt>
        <dd>
          {intervention.fitsSignals.length
            ? intervention.fitsSignals.map((code) => codes.codeLabel(code)).join(', ')
            : t('referrals.noFit')}
          {!intervention.phaseFits && ` · ${t('referrals.otherPhase')}`}
        </dd>
        <dt>{t('referrals.waiting')}</dt>
        <dd>
          {intervention.offers.length
            ? intervention.offers
                .map((o) => `${o.organisationName}: ${t('referrals.weeks', { count: o.waitingWeeks })}`)
                .join('; ')
            : t('referrals.notOffered')}
        </dd>
        <dt>{t('referrals.caveats')}</dt>
        <dd>{text(definition.caveats)}</dd>
      </dl>
      {intervention.notProposedBecause.some((reason) => reason !== 'relationship_rule') ? (
        <Alert type="warning">
          {t('referrals.notEligible', {
            reasons: intervention.notProposedBecause
              .filter((reason) => reason !== 'relationship_rule')
              .map((reason) => t(`referrals.entryReasons.${reason}`))
              .join('; '),
          })}
        </Alert>
      ) : (
        !intervention.proposed && <Alert type="warning">{t('referrals.notProposed')}</Alert>
      )}
      {intervention.offers.length > 0 && (
        <div>
          <Button appearance="secondary" onClick={onRefer}>
            {t('referrals.referTo', { name: text(definition.name) })}
          </Button>
        </div>
      )}
    </article>
  );
}

function ReferralForm({
  familyId,
  intervention,
  onDone,
}: {
  familyId: string;
  intervention: FoundIntervention;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // One key per form: a double click or a retry sends one referral.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [form, setForm] = useState({
    toOrganisationId: intervention.offers[0]?.organisationId ?? '',
    reason: '',
    urgency: 'routine',
    sharedCategories: [] as string[],
    consentNow: false,
    givenHow: '',
    reasonToProceed: '',
  });
  const [audience, setAudience] = useState<AudienceDecision>(null);
  const send = useMutation({
    mutationFn: () =>
      api<Answer<typeof referralRoutes, 'POST /api/families/:familyId/referrals'>>(
        'POST',
        `/api/families/${familyId}/referrals`,
        {
          idempotencyKey,
          toOrganisationId: form.toOrganisationId,
          interventionKey: intervention.definition.key,
          reason: form.reason,
          urgency: form.urgency,
          sharedCategories: form.sharedCategories,
          ...(form.consentNow ? { consentGivenHow: form.givenHow } : {}),
          ...(!intervention.proposed ? { reasonToProceed: form.reasonToProceed } : {}),
          ...(audience ? { parentsAudience: audience } : {}),
        },
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.family(familyId) });
      onDone();
    },
  });
  const missing = send.error && 'body' in (send.error as object) ? consentMissing(send.error) : [];
  return (
    <ActionForm
      action={send}
      aria-labelledby={`refer-${intervention.definition.key}`}
      heading={
        <Heading level={3} id={`refer-${intervention.definition.key}`}>
          {t('referrals.formTitle')}
        </Heading>
      }
    >
      {missing.length > 0 && (
        <Alert type="warning">
          {t('referrals.consentMissing', {
            who: [...new Set(missing.map((m) => t(`roles.${m.role}`)))].join(', '),
            categories: [...new Set(missing.map((m) => t(`categories.${m.category}`)))].join(', '),
          })}
        </Alert>
      )}
      <SelectField
        label={t('referrals.to')}
        value={form.toOrganisationId}
        error={fieldMessage(send.error, 'body.toOrganisationId')}
        onChange={(e) => setForm({ ...form, toOrganisationId: e.target.value })}
        options={intervention.offers.map((o) => ({
          value: o.organisationId,
          label: `${o.organisationName} (${t('referrals.weeks', { count: o.waitingWeeks })})`,
        }))}
      />
      <TextAreaField
        label={t('referrals.reason')}
        description={t('referrals.reasonHint')}
        value={form.reason}
        error={fieldMessage(send.error, 'body.reason')}
        onChange={(e) => setForm({ ...form, reason: e.target.value })}
      />
      <SelectField
        label={t('referrals.urgency')}
        value={form.urgency}
        onChange={(e) => setForm({ ...form, urgency: e.target.value })}
        options={['routine', 'soon', 'urgent'].map((u) => ({ value: u, label: t(`referrals.urgencies.${u}`) }))}
      />
      <Fieldset legend={t('referrals.shared')} error={fieldMessage(send.error, 'body.sharedCategories')}>
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
        <GivenHowSelect
          value={form.givenHow}
          onChange={(givenHow) => setForm({ ...form, givenHow })}
          error={fieldMessage(send.error, 'body.consentGivenHow')}
        />
      )}
      {!intervention.proposed && (
        <TextAreaField
          label={t('referrals.reasonToProceed')}
          description={t('referrals.notProposed')}
          value={form.reasonToProceed}
          error={fieldMessage(send.error, 'body.reasonToProceed')}
          onChange={(e) => setForm({ ...form, reasonToProceed: e.target.value })}
        />
      )}
      <ParentsAudienceField
        familyId={familyId}
        concernsPersonId={null}
        value={audience}
        onChange={setAudience}
        error={send.error}
      />
      <div className="kring-row">
        <Button type="submit" busy={send.isPending}>
          {t('referrals.send')}
        </Button>
        <Button appearance="subtle" onClick={onDone}>
          {t('referrals.cancelForm')}
        </Button>
      </div>
    </ActionForm>
  );
}

/** Whose consent the server found missing (CONSENT_REQUIRED). */
function consentMissing(error: unknown): { role: string | null; category: string }[] {
  const body = (error as { body?: { code?: string; missing?: unknown } }).body;
  return body?.code === 'CONSENT_REQUIRED' && Array.isArray(body.missing)
    ? (body.missing as { role: string | null; category: string }[])
    : [];
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Actor, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import { Button, Checkbox, Heading, Paragraph, SelectField, TextField } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { fieldMessage } from '../families/families-api.ts';
import { EnrolmentText, EvidenceText } from './evidence.tsx';
import { type CatalogueEntry, useCatalogue, useText } from './referrals-api.ts';

const PHASES = ['preconception', 'pregnancy', 'after_birth'] as const;

/** The sociale kaart: the region's offer, browsable on its own, with evidence, waiting time and contact. */
export function SocialMapPage({ actor }: { actor: Actor }) {
  const { t } = useTranslation();
  const text = useText();
  const { catalogue } = useCatalogue();
  const [query, setQuery] = useState('');
  const [phase, setPhase] = useState('');
  const q = query.trim().toLowerCase();
  const entries = (catalogue.data?.interventions ?? []).filter(
    ({ definition, offers }) =>
      (!phase || definition.phases.includes(phase as (typeof PHASES)[number])) &&
      (!q ||
        [
          definition.name.nl,
          definition.name.en,
          definition.description.nl,
          definition.description.en,
          ...offers.map((o) => o.organisationName),
        ]
          .join(' ')
          .toLowerCase()
          .includes(q)),
  );
  return (
    <div className="kring-stack">
      <Heading level={1}>{t('socialMap.title')}</Heading>
      <Paragraph>{t('socialMap.intro')}</Paragraph>
      <search className="kring-grid" aria-label={t('socialMap.title')}>
        <TextField label={t('socialMap.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
        <SelectField
          label={t('socialMap.phase')}
          value={phase}
          onChange={(e) => setPhase(e.target.value)}
          options={[
            { value: '', label: t('socialMap.allPhases') },
            ...PHASES.map((p) => ({ value: p, label: t(`socialMap.phases.${p}`) })),
          ]}
        />
      </search>
      {catalogue.data && entries.length === 0 && <Paragraph>{t('referrals.noneFound')}</Paragraph>}
      {entries.map((entry) => {
        const { definition, offers } = entry;
        return (
          <article key={definition.key} className="kring-card kring-stack" aria-labelledby={`map-${definition.key}`}>
            <Heading level={2} id={`map-${definition.key}`}>
              {text(definition.name)}
            </Heading>
            <Paragraph>
              {t(`referrals.evidenceLevels.${definition.evidence}`)}
              {!definition.evidenceVerified && ` (${t('referrals.toCheck')})`} ·{' '}
              {offers.length
                ? offers
                    .map((o) => `${o.organisationName}: ${t('referrals.weeks', { count: o.waitingWeeks })}`)
                    .join('; ')
                : t('referrals.notOffered')}
            </Paragraph>
            <details>
              <summary>{t('socialMap.more', { name: text(definition.name) })}</summary>
              <div className="kring-stack">
                <Paragraph>{text(definition.description)}</Paragraph>
                <dl className="kring-details">
                  <dt>{t('socialMap.forWhom')}</dt>
                  <dd>{text(definition.targetGroup)}</dd>
                  <dt>{t('socialMap.eligibility')}</dt>
                  <dd>{text(definition.eligibility)}</dd>
                  <dt>{t('referrals.enrolment')}</dt>
                  <dd>
                    <EnrolmentText enrolment={definition.enrolment} />
                  </dd>
                  <dt>{t('socialMap.phase')}</dt>
                  <dd>
                    {definition.phases.map((p) => t(`socialMap.phases.${p}`)).join(', ')}
                    {definition.ageMonths && ` (${t('socialMap.months', definition.ageMonths)})`}
                  </dd>
                  <dt>{t('referrals.intensity')}</dt>
                  <dd>{t(`judgement.intensity.${definition.intensity}`)}</dd>
                  <dt>{t('referrals.worksOn')}</dt>
                  <dd>{definition.worksOn.map((w) => t(`referrals.worksOnValues.${w}`)).join(', ')}</dd>
                  <dt>{t('referrals.evidence')}</dt>
                  <dd>
                    <EvidenceText definition={definition} />
                  </dd>
                  <dt>{t('referrals.caveats')}</dt>
                  <dd>{text(definition.caveats)}</dd>
                </dl>
                <Heading level={3}>{t('socialMap.offeredBy')}</Heading>
                {offers.length === 0 ? (
                  <Paragraph muted>{t('referrals.notOffered')}</Paragraph>
                ) : (
                  <ul>
                    {offers.map((o) => (
                      <li key={o.organisationId}>
                        <strong>{o.organisationName}</strong> · {t('referrals.weeks', { count: o.waitingWeeks })}
                        {o.capacityPerMonth !== null && ` · ${t('socialMap.capacity', { count: o.capacityPerMonth })}`}{' '}
                        · {o.contact}
                      </li>
                    ))}
                  </ul>
                )}
                {actor.kind === 'professional' && actor.organisationId && (
                  <OwnOfferForm
                    entry={entry}
                    organisationId={actor.organisationId}
                    organisationName={actor.organisationName ?? ''}
                  />
                )}
              </div>
            </details>
          </article>
        );
      })}
    </div>
  );
}

/** An organisation keeps its own line on the sociale kaart current: offered or not, waiting time, capacity, contact. */
function OwnOfferForm({
  entry,
  organisationId,
  organisationName,
}: {
  entry: CatalogueEntry;
  organisationId: string;
  organisationName: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const current = entry.offers.find((o) => o.organisationId === organisationId);
  const [form, setForm] = useState({
    offered: current !== undefined,
    waitingWeeks: String(current?.waitingWeeks ?? 0),
    capacityPerMonth: current?.capacityPerMonth === null || !current ? '' : String(current.capacityPerMonth),
    contact: current?.contact ?? '',
  });
  const save = useMutation({
    mutationFn: () =>
      api('PUT', `/api/interventions/${entry.definition.key}/offer`, {
        offered: form.offered,
        waitingWeeks: Number(form.waitingWeeks || 0),
        capacityPerMonth: form.capacityPerMonth === '' ? null : Number(form.capacityPerMonth),
        contact: form.contact || '-',
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.interventions() }),
  });
  return (
    <details>
      <summary>{t('socialMap.ownOffer', { organisation: organisationName })}</summary>
      <ActionForm action={save} saved={t('record.saved')}>
        <Checkbox
          label={t('socialMap.weOffer')}
          checked={form.offered}
          onChange={(e) => setForm({ ...form, offered: e.target.checked })}
        />
        {form.offered && (
          <div className="kring-grid">
            <TextField
              type="number"
              min={0}
              label={t('socialMap.waitingWeeks')}
              value={form.waitingWeeks}
              error={fieldMessage(save.error, 'body.waitingWeeks')}
              onChange={(e) => setForm({ ...form, waitingWeeks: e.target.value })}
            />
            <TextField
              type="number"
              min={0}
              label={t('socialMap.capacityLabel')}
              value={form.capacityPerMonth}
              error={fieldMessage(save.error, 'body.capacityPerMonth')}
              onChange={(e) => setForm({ ...form, capacityPerMonth: e.target.value })}
            />
            <TextField
              label={t('socialMap.contact')}
              value={form.contact}
              error={fieldMessage(save.error, 'body.contact')}
              onChange={(e) => setForm({ ...form, contact: e.target.value })}
            />
          </div>
        )}
        <div>
          <Button type="submit" appearance="secondary" busy={save.isPending}>
            {t('socialMap.saveOffer')}
          </Button>
        </div>
      </ActionForm>
    </details>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Heading, Paragraph, SelectField, TextField } from '../../components/nlds.tsx';
import { useCatalogue, useText } from './referrals-api.ts';

const PHASES = ['preconception', 'pregnancy', 'after_birth'] as const;

/** The sociale kaart: the region's offer, browsable on its own, with evidence, waiting time and contact. */
export function SocialMapPage() {
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
      {entries.map(({ definition, offers }) => (
        <article key={definition.key} className="kring-card kring-stack" aria-labelledby={`map-${definition.key}`}>
          <Heading level={2} id={`map-${definition.key}`}>
            {text(definition.name)}
          </Heading>
          <Paragraph>{text(definition.description)}</Paragraph>
          <dl className="kring-details">
            <dt>{t('socialMap.forWhom')}</dt>
            <dd>{text(definition.targetGroup)}</dd>
            <dt>{t('socialMap.eligibility')}</dt>
            <dd>{text(definition.eligibility)}</dd>
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
              {t(`referrals.evidenceLevels.${definition.evidence}`)}{' '}
              <span className="kring-muted">({definition.evidenceSource})</span>
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
                  {o.capacityPerMonth !== null && ` · ${t('socialMap.capacity', { count: o.capacityPerMonth })}`} ·{' '}
                  {o.contact}
                </li>
              ))}
            </ul>
          )}
        </article>
      ))}
    </div>
  );
}

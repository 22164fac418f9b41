import { useTranslation } from 'react-i18next';
import { formatDate } from '../families/families-api.ts';
import type { CatalogueEntry } from './referrals-api.ts';

/** How long a databank recognition holds (NJi, Loket Gezond Leven: five years, then re-assessed). */
const RECOGNITION_YEARS = 5;

/**
 * An intervention's evidence level as a professional should read it: the level, when it was
 * given, by which source, when Kring checked it — and "te controleren" when the level could not
 * be confirmed at its source or its recognition is older than the databanks' five years.
 */
export function EvidenceText({ definition }: { definition: CatalogueEntry['definition'] }) {
  const { t, i18n } = useTranslation();
  const date = (iso: string) => formatDate(iso, i18n.language);
  const given = definition.evidenceDate;
  const validUntil = given && `${Number(given.slice(0, 4)) + RECOGNITION_YEARS}${given.slice(4)}`;
  const expired = validUntil !== null && validUntil < new Date().toISOString().slice(0, 10);
  return (
    <>
      {t(`referrals.evidenceLevels.${definition.evidence}`)}
      {definition.evidenceDate && `, ${t('referrals.evidenceGiven', { date: date(definition.evidenceDate) })}`}
      {!definition.evidenceVerified && (
        <>
          {' '}
          <span className="kring-badge">{t('referrals.toCheck')}</span>
        </>
      )}
      {expired && <div>{t('referrals.evidenceOld')}</div>}
      <div className="kring-muted">
        {definition.evidenceSource} {t('referrals.evidenceCheckedOn', { date: date(definition.evidenceCheckedOn) })}
      </div>
    </>
  );
}

/** An intervention's entry criteria in words ("in de zwangerschap, tot 28 weken · alleen bij een eerste kind"). */
export function EnrolmentText({ enrolment }: { enrolment: CatalogueEntry['definition']['enrolment'] }) {
  const { t } = useTranslation();
  const parts = enrolment.phases.map((phase) => {
    const weeks = phase === 'pregnancy' ? enrolment.pregnancyWeeks : undefined;
    const months = phase === 'after_birth' ? enrolment.childAgeMonths : undefined;
    return [
      t(`socialMap.phases.${phase}`),
      weeks &&
        (weeks.from === 0
          ? t('referrals.enrolWeeksTo', { to: weeks.to })
          : weeks.to >= 42
            ? t('referrals.enrolWeeksFrom', { from: weeks.from })
            : t('referrals.enrolWeeks', { from: weeks.from, to: weeks.to })),
      months &&
        (months.from === 0
          ? t('referrals.enrolMonthsTo', { to: months.to })
          : t('referrals.enrolMonths', { from: months.from, to: months.to })),
    ]
      .filter(Boolean)
      .join(' ');
  });
  if (enrolment.firstChildOnly) parts.push(t('referrals.entryReasons.not_first_child'));
  return <>{parts.join(' · ')}</>;
}

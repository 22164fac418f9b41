import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { SharedWithResponse } from '../../../../server/src/families/shared-with.ts';
import { useCodes } from '../signals/picture-section.tsx';
import { formatDate, roleLabel } from './families-api.ts';

type Shared = NonNullable<z.infer<typeof SharedWithResponse>>;

/** Age in months (or weeks, under two months) on today, or the due date for a child not yet born. */
function childAge(person: Shared['persons'][number], t: TFunction, language: string): string {
  if (person.childStatus === 'expected') {
    return person.dueDate ? t('consultations.due', { date: formatDate(person.dueDate, language) }) : '';
  }
  if (!person.birthDate) return '';
  const days = Math.floor((Date.now() - Date.parse(`${person.birthDate}T00:00:00Z`)) / 86_400_000);
  return days < 61
    ? t('consultations.ageWeeks', { count: Math.floor(days / 7) })
    : t('consultations.ageMonths', { count: Math.floor(days / 30.44) });
}

/**
 * What went along with a referral or a consultation with the record, for the receiver: who the
 * family is (a child's age or due date), the signals of the shared categories in the recording
 * professional's own words, and who of the parents consented.
 */
export function SharedRecord({ shared }: { shared: Shared }) {
  const { t, i18n } = useTranslation();
  const codes = useCodes();
  const name = (p: { givenName: string | null; familyName: string | null }) =>
    [p.givenName, p.familyName].filter(Boolean).join(' ');
  return (
    <dl className="kring-details">
      <div className="kring-details__row">
        <dt>{t('consultations.sharedFamily')}</dt>
        <dd>
          {shared.persons
            .map((p) => {
              const age = p.role === 'child' ? childAge(p, t, i18n.language) : '';
              const role = roleLabel(p, shared.persons);
              return `${name(p) || role} (${role}${age ? `, ${age}` : ''})`;
            })
            .join('; ')}
        </dd>
      </div>
      {shared.signals.length > 0 && (
        <div className="kring-details__row">
          <dt>{t('referrals.sharedSignals')}</dt>
          <dd>
            <ul className="kring-list-plain kring-stack">
              {shared.signals.map((s, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: signals carry no id here; the order is fixed
                <li key={i}>
                  <strong>{codes.codeLabel(s.code)}</strong>
                  {s.concerns ? ` (${s.concerns})` : ''} ·{' '}
                  {s.since ? `${t('meldcode.since', { date: formatDate(s.since, i18n.language) })} · ` : ''}
                  {t(`consultations.source.${s.source}`)} · {s.organisationName}
                  {s.note && <div>“{s.note}”</div>}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      )}
      <div className="kring-details__row">
        <dt>{t('consultations.neighbourhood')}</dt>
        <dd>
          {shared.neighbourhood}
          {shared.interpreterNeeded ? ` · ${t('referrals.interpreter')}` : ''}
        </dd>
      </div>
      <div className="kring-details__row">
        <dt>{t('consultations.consentOf')}</dt>
        <dd>
          {shared.consentedBy.length === 0
            ? t('consultations.consentNone')
            : shared.consentedBy
                .map((c) => `${c.name} (${c.role ? roleLabel({ role: c.role }, shared.persons) : ''})`)
                .join(', ')}
        </dd>
      </div>
    </dl>
  );
}

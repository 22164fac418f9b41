import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { Alert, Button, Heading, Link, Paragraph } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { type FamilyRecord, formatDate } from '../families/families-api.ts';
import { ownerText, usePlan } from './plan-section.tsx';

/**
 * The plan for the parents, to print or save as PDF (the browser's print dialog), in Dutch or
 * English whatever the interface language: goals in their words, who does what by when, and when
 * it is looked at again. No codes, no judgements.
 */
export function PlanPrintPage({ familyId, language: initial }: { familyId: string; language: 'nl' | 'en' }) {
  const { i18n } = useTranslation();
  const [language, setLanguage] = useState(initial);
  const switchLanguage = () => {
    const other = language === 'nl' ? 'en' : 'nl';
    window.history.replaceState(null, '', `/gezinnen/${familyId}/plan?taal=${other}`);
    setLanguage(other);
  };
  const t = i18n.getFixedT(language);
  const errorText = useErrorText();
  const plan = usePlan(familyId);
  const record = useQuery({
    queryKey: queryKeys.family(familyId),
    queryFn: () => api<FamilyRecord>('GET', `/api/families/${familyId}`),
  });
  if (plan.error) return <Alert type="error">{errorText(plan.error)}</Alert>;
  if (!plan.data || !record.data) return <Paragraph>{t('app.loading')}</Paragraph>;
  const main = record.data.persons.find((p) => p.role === 'pregnant_person');
  const goals = plan.data.goals.filter((g) => g.status !== 'stopped');
  return (
    <div className="kring-stack kring-print" lang={language}>
      <div className="kring-row kring-no-print">
        <Link href={`/gezinnen/${familyId}`}>{t('record.back')}</Link>
        <Button appearance="secondary" lang={language === 'nl' ? 'en' : 'nl'} onClick={switchLanguage}>
          {language === 'nl' ? 'English version' : 'Nederlandse versie'}
        </Button>
        <Button onClick={() => window.print()}>{t('plan.printNow')}</Button>
      </div>
      <Heading level={1}>
        {t('plan.printTitle', { name: main ? [main.givenName, main.familyName].filter(Boolean).join(' ') : '' })}
      </Heading>
      <Paragraph>{t('plan.printIntro')}</Paragraph>
      {plan.data.regiehouder && (
        <Paragraph>
          {t('plan.printContact', {
            name: plan.data.regiehouder.name,
            organisation: plan.data.regiehouder.organisationName,
          })}
        </Paragraph>
      )}
      {goals.length === 0 && <Paragraph>{t('plan.empty')}</Paragraph>}
      {goals.map((goal, i) => (
        <section key={goal.id} className="kring-card kring-stack" aria-labelledby={`print-goal-${goal.id}`}>
          <Heading level={2} id={`print-goal-${goal.id}`}>
            {t('plan.printGoal', { number: i + 1, goal: goal.goal })}
          </Heading>
          <Paragraph>
            {t('plan.carriedBy', { owner: ownerText(goal.owner, t) })} ·{' '}
            {goal.status === 'achieved'
              ? t('plan.goalStatus.achieved')
              : t('plan.evaluateOn', { date: formatDate(goal.evaluateOn, language) })}
          </Paragraph>
          {goal.actions.filter((a) => a.status !== 'dropped').length > 0 && (
            <table className="utrecht-table">
              <caption className="visually-hidden">{t('plan.printActions')}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  <th className="utrecht-table__header-cell" scope="col">
                    {t('plan.action')}
                  </th>
                  <th className="utrecht-table__header-cell" scope="col">
                    {t('plan.who')}
                  </th>
                  <th className="utrecht-table__header-cell" scope="col">
                    {t('plan.byWhen')}
                  </th>
                  <th className="utrecht-table__header-cell" scope="col">
                    {t('plan.done')}
                  </th>
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {goal.actions
                  .filter((a) => a.status !== 'dropped')
                  .map((a) => (
                    <tr key={a.id} className="utrecht-table__row">
                      <td className="utrecht-table__cell">{a.action}</td>
                      <td className="utrecht-table__cell">{ownerText(a.owner, t)}</td>
                      <td className="utrecht-table__cell">{a.dueOn ? formatDate(a.dueOn, language) : ''}</td>
                      <td className="utrecht-table__cell">{a.status === 'done' ? t('plan.yes') : ''}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
      <Paragraph muted>
        {t('plan.printFooter', { date: formatDate(new Date().toISOString().slice(0, 10), language) })}
      </Paragraph>
    </div>
  );
}

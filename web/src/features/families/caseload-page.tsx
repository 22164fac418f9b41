import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { familyRoutes } from '../../../../server/src/families/family.routes.ts';
import type { taskRoutes } from '../../../../server/src/tasks/task.routes.ts';
import { type Answer, api } from '../../api.ts';
import { Alert, Button, Heading, Link, Paragraph, SelectField, TextField } from '../../components/nlds.tsx';
import { Pager, pageCount } from '../../components/pager.tsx';
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { taskHref } from '../tasks/task-link.ts';
import { type Caseload, formatDate, momentName } from './families-api.ts';

type Sort = 'day' | 'name' | 'next_contact';

/** A professional's start page: their families, day X of 1001, phase, next contact, open tasks; search. */
export function CaseloadPage() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [sort, setSort] = useState<Sort>('day');
  const [page, setPage] = useState(1);
  const caseload = useQuery({
    queryKey: queryKeys.caseload(sort, page),
    queryFn: () => api<Caseload>('GET', `/api/caseload?sort=${sort}&page=${page}`),
    placeholderData: (previous) => previous,
  });
  const tasks = useQuery({
    queryKey: queryKeys.tasks(),
    queryFn: () => api<Answer<typeof taskRoutes, 'GET /api/tasks'>>('GET', '/api/tasks'),
  });
  const [query, setQuery] = useState('');
  const search = useMutation({
    mutationFn: (q: string) =>
      api<Answer<typeof familyRoutes, 'POST /api/families/search'>>('POST', '/api/families/search', {
        query: q,
      }),
  });
  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    if (query.trim().length >= 2) search.mutate(query.trim());
  };

  return (
    <div className="kring-stack">
      <div className="kring-row">
        <Heading level={1}>{t('families.title')}</Heading>
        <Link href="/gezinnen/nieuw">{t('families.register')}</Link> <Link href="/overnemen">{t('takeOver.link')}</Link>{' '}
        <Link href="/noodtoegang">{t('emergency.link')}</Link>
      </div>
      <search>
        <form onSubmit={submitSearch} className="kring-row kring-search">
          <TextField
            label={t('families.search')}
            description={t('families.searchHint')}
            name="query"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          <Button type="submit" appearance="secondary">
            {t('families.searchButton')}
          </Button>
        </form>
      </search>
      {search.error && <Alert type="error">{errorText(search.error)}</Alert>}
      {search.data && (
        <section aria-labelledby="search-results" className="kring-card">
          <Heading level={2} id="search-results">
            {t('families.searchResults')}
          </Heading>
          {search.data.families.length === 0 ? (
            <Paragraph>{t('families.noResults')}</Paragraph>
          ) : (
            <ul>
              {search.data.families.map((f) => (
                <li key={f.familyId}>
                  <Link href={`/gezinnen/${f.familyId}`}>{f.name}</Link> · {f.neighbourhood}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {tasks.data && tasks.data.tasks.length > 0 && (
        <section aria-labelledby="tasks" className="kring-card">
          <Heading level={2} id="tasks">
            {t('families.tasksTitle')}
          </Heading>
          <ul>
            {tasks.data.tasks.map((task) => (
              <li key={task.id}>
                {taskHref(task) ? (
                  <Link href={taskHref(task) as string}>{t(`taskKinds.${task.kind}`)}</Link>
                ) : (
                  t(`taskKinds.${task.kind}`)
                )}
                {task.familyName ? ` · ${task.familyName}` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      <SelectField
        label={t('families.sortBy')}
        value={sort}
        onChange={(event) => {
          setSort(event.target.value as Sort);
          setPage(1);
        }}
        options={(['day', 'name', 'next_contact'] as const).map((value) => ({
          value,
          label: t(`families.sort.${value}`),
        }))}
      />
      {caseload.error && <Alert type="error">{errorText(caseload.error)}</Alert>}
      {caseload.data && caseload.data.families.length === 0 && <Paragraph>{t('families.empty')}</Paragraph>}
      {caseload.data && caseload.data.families.length > 0 && (
        <div className="utrecht-table-container utrecht-table-container--overflow-inline">
          <table className="utrecht-table utrecht-table--html-table kring-table-cards">
            <caption className="utrecht-table__caption">
              {t('families.count', { count: caseload.data.total })}
              {pageCount(caseload.data) > 1 && ` · ${t('pager.pageOf', { page, pages: pageCount(caseload.data) })}`}
            </caption>
            <thead className="utrecht-table__header">
              <tr className="utrecht-table__row">
                <th className="utrecht-table__header-cell" scope="col">
                  {t('families.columns.family')}
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  {t('families.columns.neighbourhood')}
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  {t('families.columns.trajectory')}
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  {t('families.columns.nextContact')}
                </th>
                <th className="utrecht-table__header-cell" scope="col">
                  {t('families.columns.tasks')}
                </th>
              </tr>
            </thead>
            <tbody className="utrecht-table__body">
              {caseload.data.families.map((family) => (
                <tr key={family.familyId} className="utrecht-table__row">
                  <th className="utrecht-table__header-cell" scope="row">
                    <Link href={`/gezinnen/${family.familyId}`}>{family.name}</Link>
                    {family.isRegiehouder && <span className="kring-muted"> ({t('families.regiehouder')})</span>}
                  </th>
                  <td className="utrecht-table__cell" data-label={t('families.columns.neighbourhood')}>
                    {family.neighbourhood}
                  </td>
                  <td className="utrecht-table__cell" data-label={t('families.columns.trajectory')}>
                    {family.trajectories.map((trajectory) => (
                      <div key={trajectory.id}>
                        {trajectory.childName ? `${trajectory.childName}: ` : ''}
                        {t(`phases.${trajectory.phase}`)}
                        {trajectory.day ? ` · ${t('families.day', { day: trajectory.day })}` : ''}
                      </div>
                    ))}
                  </td>
                  <td className="utrecht-table__cell" data-label={t('families.columns.nextContact')}>
                    {family.nextMoment && <div>{momentName(t, family.nextMoment.key)}</div>}
                    {formatDate(family.nextDueContact, i18n.language)}
                    {family.nextMoment && family.nextMoment.status !== 'upcoming' && (
                      <>
                        {' '}
                        <span
                          className={`kring-badge${family.nextMoment.status === 'overdue' ? ' kring-badge--warning' : ''}`}
                        >
                          {t(`record.scheduleStatus.${family.nextMoment.status}`)}
                        </span>
                      </>
                    )}
                  </td>
                  <td className="utrecht-table__cell" data-label={t('families.columns.tasks')}>
                    {family.openTasks || ''}
                    {family.openMeldcode > 0 && (
                      <>
                        {' '}
                        <span className="kring-badge kring-badge--warning">{t('families.openMeldcode')}</span>
                      </>
                    )}
                    {family.evaluationsDue > 0 && (
                      <>
                        {' '}
                        <span className="kring-badge kring-badge--warning">
                          {t('families.evaluationsDue', { count: family.evaluationsDue })}
                        </span>
                      </>
                    )}
                    {family.lateReferrals > 0 && (
                      <>
                        {' '}
                        <span className="kring-badge kring-badge--warning">
                          {t('families.lateReferrals', { count: family.lateReferrals })}
                        </span>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={pageCount(caseload.data)} onChange={setPage} />
    </div>
  );
}

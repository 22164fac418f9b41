import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { taskRoutes } from '../../../../server/src/tasks/task.routes.ts';
import { type Answer, api } from '../../api.ts';
import { Button, Heading, Link, Paragraph } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { formatDate } from '../families/families-api.ts';
import { taskHref } from './task-link.ts';

type Tasks = Answer<typeof taskRoutes, 'GET /api/tasks'>;
type Notifications = Answer<typeof taskRoutes, 'GET /api/notifications'>;

/** Open tasks (the actor's own and their organisation's) and the newest notifications. */
export function TasksPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const tasks = useQuery({ queryKey: queryKeys.tasks(), queryFn: () => api<Tasks>('GET', '/api/tasks') });
  const notifications = useQuery({
    queryKey: queryKeys.notifications(),
    queryFn: () => api<Notifications>('GET', '/api/notifications'),
  });
  // All at once, or one by one: opening a notification's item reads it.
  const markRead = useMutation({
    mutationFn: (id?: string) => api('POST', id ? `/api/notifications/${id}/read` : '/api/notifications/read'),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.notifications() }),
  });
  const date = (iso: string) => formatDate(iso.slice(0, 10), i18n.language);
  return (
    <div className="kring-stack">
      <Heading level={1}>{t('tasks.title')}</Heading>
      <section className="kring-card kring-stack" aria-labelledby="open-tasks">
        <Heading level={2} id="open-tasks">
          {t('tasks.open')}
        </Heading>
        {tasks.data?.tasks.length === 0 && <Paragraph>{t('tasks.none')}</Paragraph>}
        <ul className="kring-timeline">
          {tasks.data?.tasks.map((task) => {
            const href = taskHref(task);
            return (
              <li key={task.id}>
                <strong>{t(`taskKinds.${task.kind}`)}</strong>
                {task.familyName ? ` · ${task.familyName}` : ''} · {date(task.createdAt)}
                {task.dueOn ? ` · ${t('tasks.due', { date: formatDate(task.dueOn, i18n.language) })}` : ''}
                {task.forMe ? '' : ` · ${t('tasks.forOrganisation')}`}
                {href && (
                  <>
                    {' · '}
                    <Link href={href}>{t('tasks.open_link')}</Link>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      <section className="kring-card kring-stack" aria-labelledby="notifications">
        <Heading level={2} id="notifications">
          {t('tasks.notifications')}
        </Heading>
        {notifications.data?.notifications.length === 0 && <Paragraph>{t('tasks.noNotifications')}</Paragraph>}
        <ul className="kring-timeline">
          {notifications.data?.notifications.map((n) => {
            const href = taskHref({ kind: n.kind, familyId: n.familyId, sourceId: null });
            return (
              <li key={n.id}>
                {n.read ? '' : <span className="kring-badge">{t('tasks.new')}</span>}{' '}
                {t([`notificationKinds.${n.kind}`, `taskKinds.${n.kind}`])}
                {n.familyName ? ` · ${n.familyName}` : ''} · {date(n.createdAt)}
                {href && (
                  <>
                    {' · '}
                    <Link href={href} onFollow={() => (n.read ? undefined : markRead.mutate(n.id))}>
                      {t('tasks.open_link')}
                    </Link>
                  </>
                )}
                {!href && !n.read && (
                  <>
                    {' · '}
                    <Button appearance="subtle" onClick={() => markRead.mutate(n.id)}>
                      {t('tasks.markOneRead')}
                    </Button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
        {(notifications.data?.unread ?? 0) > 0 && (
          <Button appearance="secondary" busy={markRead.isPending} onClick={() => markRead.mutate(undefined)}>
            {t('shell.markRead')}
          </Button>
        )}
      </section>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { Button } from './nlds.tsx';

/** Previous / next through a list the server sends a page at a time (nothing when it fits on one). */
export function Pager({ page, pages, onChange }: { page: number; pages: number; onChange: (page: number) => void }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  return (
    <nav className="kring-row" aria-label={t('pager.label')}>
      <Button appearance="secondary" disabled={page <= 1} onClick={() => onChange(page - 1)}>
        {t('pager.previous')}
      </Button>
      <span>{t('pager.pageOf', { page, pages })}</span>
      <Button appearance="secondary" disabled={page >= pages} onClick={() => onChange(page + 1)}>
        {t('pager.next')}
      </Button>
    </nav>
  );
}

/** How many pages a list of `total` holds, `pageSize` a page. */
export const pageCount = (list: { total: number; pageSize: number } | undefined) =>
  list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;

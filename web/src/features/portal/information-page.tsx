import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ParentInformation } from '../../../../server/src/knowledge/parent-information.ts';
import { api } from '../../api.ts';
import { Heading, Paragraph } from '../../components/nlds.tsx';
import { ParentPage, useParentText } from '../../i18n/parent-page.tsx';
import { queryKeys } from '../../query-keys.ts';

/** "Goed om te weten": short pages for parents in plain words, each with where its facts come from. */
export function InformationPage() {
  const { t } = useTranslation();
  const information = useQuery({
    queryKey: queryKeys.parentInformation(),
    queryFn: () => api<ParentInformation>('GET', '/api/parent-information'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (!information.data) return <Paragraph>{t('app.loading')}</Paragraph>;
  const { pages } = information.data;
  return (
    <ParentPage content={pages.flatMap((page) => [page.title, page.body])}>
      <InformationView pages={pages} />
    </ParentPage>
  );
}

function InformationView({ pages }: { pages: ParentInformation['pages'] }) {
  const { t } = useTranslation();
  const say = useParentText();
  return (
    <div className="kring-stack kring-portal">
      <Heading level={1}>{t('portal.informationTitle')}</Heading>
      <Paragraph>{t('portal.informationIntro')}</Paragraph>
      {pages.map((page) => (
        <section key={page.key} className="kring-card kring-stack" aria-labelledby={`info-${page.key}`}>
          <Heading level={2} id={`info-${page.key}`}>
            {say(page.title)}
          </Heading>
          {say(page.body)
            .split('\n\n')
            .map((paragraph) => (
              <Paragraph key={paragraph.slice(0, 40)}>{paragraph}</Paragraph>
            ))}
          <details>
            <summary>{t('portal.informationSources')}</summary>
            <ul className="kring-list-plain kring-stack">
              {page.sources.map((source) => (
                <li key={source}>{source}</li>
              ))}
            </ul>
          </details>
        </section>
      ))}
    </div>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KnowledgeCards } from '../../../../server/src/knowledge/knowledge.ts';
import { api } from '../../api.ts';
import { Heading, Link, Paragraph, TextField } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';

export function useKnowledge() {
  return useQuery({
    queryKey: queryKeys.knowledge(),
    queryFn: () => api<KnowledgeCards>('GET', '/api/knowledge'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The "i" next to a signal code or a question: the knowledge card that explains it. */
export function KnowledgeLink({ cardKey }: { cardKey: string | undefined }) {
  const { t, i18n } = useTranslation();
  const knowledge = useKnowledge();
  if (!cardKey) return null;
  const card = knowledge.data?.cards.find((c) => c.key === cardKey);
  return (
    <span className="kring-knowledge-link">
      {' '}
      <Link href={`/kennis#${cardKey}`}>
        ⓘ {t('knowledge.more')}
        {card && <span className="visually-hidden">: {i18n.language === 'en' ? card.title.en : card.title.nl}</span>}
      </Link>
    </span>
  );
}

/** The knowledge page: every card, searchable, each with its sources. */
export function KnowledgePage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const knowledge = useKnowledge();
  const [query, setQuery] = useState('');
  useEffect(() => {
    if (!knowledge.data || !window.location.hash) return;
    const target = document.getElementById(window.location.hash.slice(1));
    target?.scrollIntoView();
    target?.focus();
  }, [knowledge.data]);
  const q = query.trim().toLowerCase();
  const cards = (knowledge.data?.cards ?? []).filter(
    (card) => !q || `${card.title.nl} ${card.title.en} ${card.body.nl} ${card.body.en}`.toLowerCase().includes(q),
  );
  return (
    <div className="kring-stack">
      <Heading level={1}>{t('knowledge.title')}</Heading>
      <Paragraph>{t('knowledge.intro')}</Paragraph>
      <search>
        <TextField label={t('knowledge.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
      </search>
      {knowledge.data && cards.length === 0 && <Paragraph>{t('knowledge.none')}</Paragraph>}
      {cards.map((card) => (
        <article
          key={card.key}
          id={card.key}
          tabIndex={-1}
          className="kring-card kring-stack"
          aria-labelledby={`card-${card.key}`}
        >
          <Heading level={2} id={`card-${card.key}`}>
            {en ? card.title.en : card.title.nl}
          </Heading>
          {(en ? card.body.en : card.body.nl).split('\n\n').map((paragraph) => (
            <Paragraph key={paragraph.slice(0, 40)}>{paragraph}</Paragraph>
          ))}
          <Paragraph muted>
            {t('knowledge.sources')}: {card.sources.join('; ')}
          </Paragraph>
        </article>
      ))}
    </div>
  );
}

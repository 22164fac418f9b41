import { defineRoute } from '../http/route.ts';
import { KnowledgeCards, knowledgeCards } from './knowledge.ts';

export const knowledgeRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/knowledge',
    summary: 'The knowledge cards, with their sources (no personal data)',
    tag: 'knowledge',
    auth: 'session',
    response: KnowledgeCards,
    handler: async () => knowledgeCards(),
  }),
];

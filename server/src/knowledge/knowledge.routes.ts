import { defineRoute } from '../http/route.ts';
import { KnowledgeCards, knowledgeCards } from './knowledge.ts';
import { ParentInformation, parentInformation } from './parent-information.ts';

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
  defineRoute({
    method: 'GET',
    url: '/api/parent-information',
    summary: "The information pages of the parents' Kring, with their sources (no personal data)",
    tag: 'knowledge',
    auth: 'session',
    response: ParentInformation,
    handler: async () => parentInformation(),
  }),
];

import { isProfessionalLanguage } from '../accounts/languages.ts';
import { AppError } from '../errors.ts';
import { defineRoute } from '../http/route.ts';
import { FigureFilters, Figures, readFigures } from './read-figures.ts';

export const figureRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/figures',
    summary:
      "The municipality's figures for the analyst's region: every indicator by period and neighbourhood, cells of fewer than 10 families suppressed (no family, person or free text)",
    tag: 'figures',
    auth: 'session',
    permission: 'figures.read',
    query: FigureFilters,
    response: Figures,
    handler: async (ctx, { query }) => {
      const db = ctx.deps.database.db;
      const organisation = await db
        .selectFrom('organisations')
        .select('municipality_id')
        .where('id', '=', ctx.access.organisationId)
        .executeTakeFirst();
      if (!organisation?.municipality_id) {
        throw new AppError('FORBIDDEN', 'Your organisation belongs to no municipality.', {
          refusal: { action: 'figures.read' },
        });
      }
      const figures = await readFigures(db, organisation.municipality_id, query, {
        consentRequired: ctx.config.figuresConsent === 'required',
        language: ctx.actor && isProfessionalLanguage(ctx.actor.language) ? ctx.actor.language : 'nl',
      });
      await ctx.auditAlone({
        action: 'figures.read',
        recordType: 'municipality',
        recordId: organisation.municipality_id,
        details: {
          from: figures.filters.from,
          to: figures.filters.to,
          granularity: figures.filters.granularity,
          neighbourhood: figures.filters.neighbourhood,
          phase: figures.filters.phase,
          organisationType: figures.filters.organisationType,
        },
      });
      return figures;
    },
  }),
];

import { z } from 'zod';
import { CONTENT_KINDS } from '../database/schema.ts';
import { defineRoute } from '../http/route.ts';
import {
  ContentKindParams,
  ContentVersionParams,
  listContent,
  PublishInput,
  publishContent,
  readContent,
  readContentVersion,
  ValidateInput,
  validateContent,
} from './content.ts';

const date = z.date().transform((d) => d.toISOString());
const Version = z.object({ version: z.number(), note: z.string(), publishedAt: date, publishedBy: z.string() });

const ContentResponse = z.object({
  kind: z.enum(CONTENT_KINDS),
  version: z.number(),
  document: z.unknown(),
  history: z.array(Version),
});
export type ContentResponse = z.infer<typeof ContentResponse>;

export const contentRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/admin/content',
    summary: 'The versioned content (code lists, guides, knowledge cards, catalogue) with the version in force',
    tag: 'content',
    auth: 'session',
    permission: 'content.manage',
    response: z.object({
      kinds: z.array(
        z.object({
          kind: z.enum(CONTENT_KINDS),
          version: z.number(),
          publishedAt: date.nullable(),
          publishedBy: z.string().nullable(),
        }),
      ),
    }),
    handler: (ctx) => listContent(ctx),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/admin/content/:kind',
    summary: 'One kind of content: the document in force (to edit or export) and its history',
    tag: 'content',
    auth: 'session',
    permission: 'content.manage',
    params: ContentKindParams,
    response: ContentResponse,
    handler: (ctx, { params }) => readContent(ctx, params.kind),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/admin/content/:kind/versions/:version',
    summary: 'An earlier published version',
    tag: 'content',
    auth: 'session',
    permission: 'content.manage',
    params: ContentVersionParams,
    response: z.object({ kind: z.enum(CONTENT_KINDS), version: z.number(), document: z.unknown() }),
    handler: (ctx, { params }) => readContentVersion(ctx, params.kind, params.version),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/admin/content/:kind/validate',
    summary: 'Check a document without publishing it; every problem by place',
    tag: 'content',
    auth: 'session',
    permission: 'content.manage',
    params: ContentKindParams,
    body: ValidateInput,
    response: z.object({ ok: z.boolean(), problems: z.array(z.object({ field: z.string(), message: z.string() })) }),
    handler: (ctx, { params, body }) => validateContent(ctx, params.kind, body.document),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/admin/content/:kind',
    summary: 'Publish a new version (validated whole; in force at once; audited)',
    tag: 'content',
    auth: 'session',
    permission: 'content.manage',
    params: ContentKindParams,
    body: PublishInput,
    status: 201,
    response: z.object({ kind: z.enum(CONTENT_KINDS), version: z.number() }),
    handler: (ctx, { params, body }) => publishContent(ctx, params.kind, body),
  }),
];

import { z } from 'zod';
import { ACCOUNT_KINDS, ORGANISATION_TYPES } from '../database/schema.ts';

export const OrganisationSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(ORGANISATION_TYPES),
  identifier: z.string().nullable(),
});
export const OrganisationList = z.object({ organisations: z.array(OrganisationSummary) });

export const IdParams = z.strictObject({ id: z.uuid('must be a UUID') });

export const AccountSummary = z.object({
  id: z.uuid(),
  displayName: z.string(),
  email: z.string(),
  kind: z.enum(ACCOUNT_KINDS),
  discipline: z.string().nullable(),
  organisationId: z.uuid().nullable(),
  active: z.boolean(),
  secondFactorEnabled: z.boolean(),
});
export const MemberList = z.object({ members: z.array(AccountSummary) });

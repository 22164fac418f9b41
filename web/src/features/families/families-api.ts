import { useQuery } from '@tanstack/react-query';
import i18next from 'i18next';
import type { z } from 'zod';
import type { CaseloadResponse, FamilyRecordResponse } from '../../../../server/src/families/family.types.ts';
import type { organisationRoutes } from '../../../../server/src/organisations/organisation.routes.ts';
import { type Answer, ApiError, api } from '../../api.ts';
import { fieldMessageIn } from '../../i18n/field-messages.ts';
import { localeOf } from '../../i18n/i18n.ts';
import { queryKeys } from '../../query-keys.ts';

export type Caseload = z.infer<typeof CaseloadResponse>;
export type FamilyRecord = z.infer<typeof FamilyRecordResponse>;
export type Organisation = Answer<typeof organisationRoutes, 'GET /api/organisations'>['organisations'][number];

/**
 * A person's role in words. After the birth (a child born, none still expected) the pregnant
 * person is the mother.
 */
export function roleLabel(person: { role: string }, persons: readonly { childStatus: string | null }[]): string {
  const delivered = persons.some((p) => p.childStatus === 'born') && !persons.some((p) => p.childStatus === 'expected');
  return i18next.t(person.role === 'pregnant_person' && delivered ? 'roles.mother' : `roles.${person.role}`);
}

/** The message for one form field from an API error ("body.address.postcode"), if any, in the person's language. */
export function fieldMessage(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const message = error.fields.find((f) => f.field === field)?.message;
  return message === undefined ? undefined : fieldMessageIn(i18next.language, message);
}

/** A language's name (a code such as "ar" or "ti") in the reader's language. */
export function languageName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([localeOf(language)], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function formatDate(iso: string | null, language: string): string {
  if (!iso) return '';
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString(localeOf(language), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

/** The region's organisations (no personal data), for choosing a receiver. */
export function useOrganisations() {
  return useQuery({
    queryKey: queryKeys.organisations(),
    queryFn: () => api<Answer<typeof organisationRoutes, 'GET /api/organisations'>>('GET', '/api/organisations'),
    staleTime: 60_000,
  });
}

/** A JGZ contact moment's name ("Consult 8 weken"); an organisation's own moment without a name shows its key. */
export function momentName(t: (key: string, options?: Record<string, unknown>) => string, key: string): string {
  return t(`jgzMoments.${key}`, { defaultValue: key.replaceAll('_', ' ') });
}

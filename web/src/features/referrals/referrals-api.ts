import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type {
  CatalogueResponse,
  FindInterventionsResponse,
} from '../../../../server/src/interventions/intervention.routes.ts';
import type {
  InboxResponse,
  ReferralResponse,
  SentResponse,
} from '../../../../server/src/referrals/referral.routes.ts';
import { api } from '../../api.ts';
import { queryKeys } from '../../query-keys.ts';

export type { CatalogueResponse, FindInterventionsResponse, InboxResponse, ReferralResponse, SentResponse };
export type CatalogueEntry = CatalogueResponse['interventions'][number];
export type FoundIntervention = FindInterventionsResponse['interventions'][number];

/** The catalogue (the sociale kaart); names of interventions by key. */
export function useCatalogue() {
  const { i18n } = useTranslation();
  const catalogue = useQuery({
    queryKey: queryKeys.interventions(),
    queryFn: () => api<CatalogueResponse>('GET', '/api/interventions'),
    staleTime: 60_000,
  });
  const nameOf = (key: string | null | undefined) => {
    const entry = catalogue.data?.interventions.find((i) => i.definition.key === key);
    if (!entry) return key ?? '';
    return i18n.language === 'en' ? entry.definition.name.en : entry.definition.name.nl;
  };
  return { catalogue, nameOf };
}

/** A bilingual text of the catalogue in the interface language. */
export function useText() {
  const { i18n } = useTranslation();
  return (text: { nl: string; en: string }) => (i18n.language === 'en' ? text.en : text.nl);
}

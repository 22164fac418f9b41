import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import i18next from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { fhirRoutes } from '../../../../server/src/fhir/fhir.routes.ts';
import type { AdministrationList } from '../../../../server/src/organisations/organisation.routes.ts';
import { type Answer, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import { Button, Heading, Paragraph, SelectField, TextAreaField, TextField } from '../../components/nlds.tsx';
import { fieldMessageIn } from '../../i18n/field-messages.ts';
import { queryKeys } from '../../query-keys.ts';
import { fieldMessage } from '../families/families-api.ts';

type FhirClients = Answer<typeof fhirRoutes, 'GET /api/admin/fhir-clients'>;

/**
 * An administrator connects an organisation's own system (its EHR) to Kring's FHIR API: the
 * system's public keys are registered here, and it then signs in on its own with SMART Backend
 * Services, seeing what its organisation may see. A connection can be stopped at once.
 */
export function FhirClientsPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const clients = useQuery({
    queryKey: queryKeys.fhirClients(),
    queryFn: () => api<FhirClients>('GET', '/api/admin/fhir-clients'),
  });
  const organisations = useQuery({
    queryKey: queryKeys.adminOrganisations(),
    queryFn: () => api<AdministrationList>('GET', '/api/admin/organisations'),
  });
  const active = (organisations.data?.organisations ?? []).filter((o) => o.active && o.type !== 'gemeente');
  const [form, setForm] = useState({ organisationId: '', name: '', jwks: '' });
  const [jwksError, setJwksError] = useState<string | undefined>();
  const organisationId = form.organisationId || active[0]?.id || '';
  const register = useMutation({
    mutationFn: (jwks: unknown) =>
      api<Answer<typeof fhirRoutes, 'POST /api/admin/fhir-clients'>>('POST', '/api/admin/fhir-clients', {
        organisationId,
        name: form.name,
        jwks,
      }),
    onSuccess: () => {
      setForm({ organisationId, name: '', jwks: '' });
      return queryClient.invalidateQueries({ queryKey: queryKeys.fhirClients() });
    },
  });
  /** The key set is pasted as JSON: a paste that is not JSON is said at its field, nothing sent. */
  const submit = () => {
    try {
      const jwks = JSON.parse(form.jwks);
      setJwksError(undefined);
      register.mutate(jwks);
    } catch {
      setJwksError(t('fhirClients.notJson'));
    }
  };
  const stop = useMutation({
    mutationFn: (clientId: string) => api('POST', `/api/admin/fhir-clients/${clientId}/deactivate`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.fhirClients() }),
  });
  const jwksField = jwksError ?? fieldMessage(register.error, 'body.jwks') ?? keyMessage(register.error);
  return (
    <section className="kring-card kring-stack" aria-labelledby="fhir-clients">
      <Heading level={2} id="fhir-clients">
        {t('fhirClients.title')}
      </Heading>
      <Paragraph muted>
        {t('fhirClients.intro')} <code>{clients.data?.tokenUrl}</code>
      </Paragraph>
      {clients.data && clients.data.clients.length === 0 && <Paragraph>{t('fhirClients.none')}</Paragraph>}
      <ul className="kring-list-plain kring-stack" data-testid="fhir-clients">
        {(clients.data?.clients ?? []).map((client) => (
          <li key={client.clientId}>
            <strong>{client.name}</strong> · {client.organisation} · {t('fhirClients.keys', { count: client.keys })} ·{' '}
            {client.active ? t('fhirClients.active') : t('fhirClients.stopped')}
            <br />
            {t('fhirClients.clientId')}: <code>{client.clientId}</code>{' '}
            {client.active && (
              <Button appearance="secondary" busy={stop.isPending} onClick={() => stop.mutate(client.clientId)}>
                {t('fhirClients.stop', { name: client.name })}
              </Button>
            )}
          </li>
        ))}
      </ul>
      <ActionForm
        action={{ mutate: submit, error: register.error, isSuccess: register.isSuccess }}
        saved={t('fhirClients.registered')}
        heading={
          <Heading level={3} id="fhir-client-new">
            {t('fhirClients.new')}
          </Heading>
        }
        aria-labelledby="fhir-client-new"
      >
        <SelectField
          label={t('fhirClients.organisation')}
          value={organisationId}
          onChange={(e) => setForm({ ...form, organisationId: e.target.value })}
          options={active.map((o) => ({ value: o.id, label: o.name }))}
        />
        <TextField
          label={t('fhirClients.name')}
          value={form.name}
          error={fieldMessage(register.error, 'body.name')}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <TextAreaField
          label={t('fhirClients.jwks')}
          description={t('fhirClients.jwksHelp')}
          rows={6}
          value={form.jwks}
          error={jwksField}
          onChange={(e) => setForm({ ...form, jwks: e.target.value })}
        />
        <div>
          <Button type="submit" busy={register.isPending}>
            {t('fhirClients.register')}
          </Button>
        </div>
      </ActionForm>
    </section>
  );
}

/** A problem with one of the keys (body.jwks.keys.0), shown at the keys field. */
function keyMessage(error: unknown): string | undefined {
  const fields = (error as { fields?: { field: string; message: string }[] } | null)?.fields ?? [];
  const key = fields.find((f) => f.field.startsWith('body.jwks'));
  return key ? `${key.field.replace('body.jwks.', '')}: ${fieldMessageIn(i18next.language, key.message)}` : undefined;
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { authRoutes } from '../../../../server/src/accounts/auth.routes.ts';
import type { AdministrationList } from '../../../../server/src/organisations/organisation.routes.ts';
import { type Answer, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import { Alert, Button, Heading, Paragraph, SelectField, TextField } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { fieldMessage } from '../families/families-api.ts';

type Administered = AdministrationList['organisations'][number];

/** The sign-in page's other way in: at the organisation's own identity provider (OpenID Connect). */
export function OrganisationSignIn() {
  const { t } = useTranslation();
  const providers = useQuery({
    queryKey: queryKeys.oidcProviders(),
    queryFn: () => api<Answer<typeof authRoutes, 'GET /api/auth/oidc/providers'>>('GET', '/api/auth/oidc/providers'),
  });
  const [failed] = useState(() => new URLSearchParams(window.location.search).get('aanmelden') === 'mislukt');
  const [chosen, setChosen] = useState('');
  const list = providers.data?.providers ?? [];
  if (failed) window.history.replaceState(null, '', '/');
  if (list.length === 0 && !failed) return null;
  const organisationId = chosen || list[0]?.organisationId || '';
  return (
    <section className="kring-stack" aria-labelledby="organisation-sign-in">
      <Heading level={2} id="organisation-sign-in">
        {t('oidc.title')}
      </Heading>
      {failed && <Alert type="error">{t('oidc.failed')}</Alert>}
      {list.length > 0 && (
        <>
          <Paragraph>{t('oidc.intro')}</Paragraph>
          <SelectField
            label={t('oidc.organisation')}
            value={organisationId}
            onChange={(e) => setChosen(e.target.value)}
            options={list.map((p) => ({ value: p.organisationId, label: p.name }))}
          />
          <div>
            <Button
              appearance="secondary"
              onClick={() => window.location.assign(`/api/auth/oidc/${organisationId}/start`)}
            >
              {t('oidc.continue')}
            </Button>
          </div>
        </>
      )}
    </section>
  );
}

/** An administrator connects an organisation's identity provider, or disconnects it. */
export function IdentityProviderForm({ organisation }: { organisation: Administered }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const current = organisation.identityProvider;
  const [form, setForm] = useState({
    issuer: current?.issuer ?? '',
    clientId: current?.clientId ?? '',
    clientSecret: '',
  });
  const done = () => queryClient.invalidateQueries({ queryKey: queryKeys.adminOrganisations() });
  const url = `/api/admin/organisations/${organisation.id}/identity-provider`;
  const connect = useMutation({ mutationFn: () => api('PUT', url, form), onSuccess: done });
  const disconnect = useMutation({ mutationFn: () => api('DELETE', url), onSuccess: done });
  return (
    <details>
      <summary>{t('oidc.configure', { name: organisation.name })}</summary>
      <ActionForm action={connect} saved={t('oidc.connected')}>
        <Paragraph muted>
          {current ? t('oidc.current', { issuer: current.issuer }) : t('oidc.none')} {t('oidc.redirect')}{' '}
          <code>{`${window.location.origin}/api/auth/oidc/callback`}</code>
        </Paragraph>
        <TextField
          label={t('oidc.issuer')}
          type="url"
          value={form.issuer}
          error={fieldMessage(connect.error, 'body.issuer')}
          onChange={(e) => setForm({ ...form, issuer: e.target.value })}
        />
        <TextField
          label={t('oidc.clientId')}
          value={form.clientId}
          error={fieldMessage(connect.error, 'body.clientId')}
          onChange={(e) => setForm({ ...form, clientId: e.target.value })}
        />
        <TextField
          label={t('oidc.clientSecret')}
          type="password"
          autoComplete="off"
          value={form.clientSecret}
          error={fieldMessage(connect.error, 'body.clientSecret')}
          onChange={(e) => setForm({ ...form, clientSecret: e.target.value })}
        />
        <div className="kring-actions">
          <Button type="submit" busy={connect.isPending}>
            {t('oidc.connect')}
          </Button>
          {current && (
            <Button appearance="secondary" busy={disconnect.isPending} onClick={() => disconnect.mutate()}>
              {t('oidc.disconnect')}
            </Button>
          )}
        </div>
      </ActionForm>
    </details>
  );
}

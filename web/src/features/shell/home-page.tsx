import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { authRoutes } from '../../../../server/src/accounts/auth.routes.ts';
import type { invitationRoutes } from '../../../../server/src/accounts/invitation.routes.ts';
import type { auditRoutes } from '../../../../server/src/audit/audit.routes.ts';
import type { interventionRoutes } from '../../../../server/src/interventions/intervention.routes.ts';
import type {
  AdministrationList,
  organisationRoutes,
} from '../../../../server/src/organisations/organisation.routes.ts';
import { type Actor, type Answer, ApiError, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Heading,
  Link,
  Paragraph,
  SelectField,
  TextField,
} from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { FhirClientsPanel } from '../auth/fhir-clients.tsx';
import { IdentityProviderForm } from '../auth/identity-provider.tsx';
import { EnableSecondFactorPanel, RecoveryCodesPanel } from '../auth/recovery-codes.tsx';
import { useErrorText } from '../auth/use-error-text.ts';
import { ContentPanel } from '../content/content-panel.tsx';
import { fieldMessage, momentName, useOrganisations } from '../families/families-api.ts';
import { actorRole } from './shell.tsx';

type VerifyResult = Answer<typeof auditRoutes, 'POST /api/audit-events/verify'>;

/** Who you are here: organisation, role and whether a second factor protects the account. */
function AccountCard({ actor }: { actor: Actor }) {
  const { t } = useTranslation();
  return (
    <div className="kring-card kring-stack">
      <Paragraph>{t(`home.${actor.kind}`)}</Paragraph>
      <dl>
        {actor.organisationName && (
          <>
            <dt>{t('home.organisation')}</dt>
            <dd>{actor.organisationName}</dd>
          </>
        )}
        <dt>{t('home.role')}</dt>
        <dd>{actorRole(actor, t)}</dd>
        <dt>{t('home.secondFactor')}</dt>
        <dd>{actor.secondFactorEnabled ? t('home.secondFactorOn') : t('home.secondFactorOff')}</dd>
      </dl>
    </div>
  );
}

/** The actor's own account: the card above and the recovery codes of the second factor. */
export function AccountPage({ actor }: { actor: Actor }) {
  const { t } = useTranslation();
  return (
    <>
      <Heading level={1}>{t('nav.account')}</Heading>
      <AccountCard actor={actor} />
      {actor.kind === 'professional' && <DigestPanel />}
      {actor.secondFactorEnabled ? <RecoveryCodesPanel /> : <EnableSecondFactorPanel />}
    </>
  );
}

/** The daily e-mail about new notifications (how many, never what about): on or off. */
function DigestPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const setting = useQuery({
    queryKey: queryKeys.digest(),
    queryFn: () => api<Answer<typeof authRoutes, 'GET /api/me/digest'>>('GET', '/api/me/digest'),
  });
  // The box follows the click at once; a refusal puts the stored setting back.
  const [chosen, setChosen] = useState<boolean>();
  const save = useMutation({
    mutationFn: (enabled: boolean) =>
      api<Answer<typeof authRoutes, 'PUT /api/me/digest'>>('PUT', '/api/me/digest', { enabled }),
    onSuccess: (data) => queryClient.setQueryData(queryKeys.digest(), data),
    onError: () => setChosen(undefined),
  });
  if (!setting.data) return null;
  return (
    <section className="kring-card kring-stack" aria-labelledby="digest-title">
      <Heading level={2} id="digest-title">
        {t('digest.title')}
      </Heading>
      <Checkbox
        label={t('digest.label')}
        checked={chosen ?? setting.data.enabled}
        onChange={(e) => {
          setChosen(e.target.checked);
          save.mutate(e.target.checked);
        }}
      />
      <Paragraph muted>{t('digest.hint')}</Paragraph>
      {save.isSuccess && <Alert type="ok">{t('digest.saved')}</Alert>}
    </section>
  );
}

/** The start page: who you are here; for an administrator, what waits and where each part of Beheer is. */
export function HomePage({ actor }: { actor: Actor }) {
  const { t } = useTranslation();
  return (
    <>
      <Heading level={1}>{t('shell.welcome', { name: actor.displayName })}</Heading>
      <AccountCard actor={actor} />
      {actor.kind === 'admin' && (
        <>
          <AlertsPanel />
          <section className="kring-card kring-stack" aria-labelledby="admin-parts">
            <Heading level={2} id="admin-parts">
              {t('admin.partsTitle')}
            </Heading>
            <ul className="kring-list-plain kring-stack">
              {ADMIN_PARTS.map((part) => (
                <li key={part.key}>
                  <Link href={part.href}>{t(`nav.${part.key}`)}</Link>
                  <div className="kring-muted">{t(`admin.parts.${part.key}`)}</div>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}

/** The parts of Beheer, each a page of its own (also in the main navigation). */
export const ADMIN_PARTS = [
  { key: 'adminPeople', href: '/beheer/mensen' },
  { key: 'adminOrganisations', href: '/beheer/organisaties' },
  { key: 'adminContent', href: '/beheer/inhoud' },
  { key: 'adminSystems', href: '/beheer/systemen' },
  { key: 'adminSecurity', href: '/beheer/beveiliging' },
  { key: 'adminAlerts', href: '/beheer/meldingen' },
] as const;

/** In demo mode (only there does the outbox answer): where the mail Kring would have sent can be read. */
function DemoOutboxLink() {
  const { t } = useTranslation();
  const outbox = useQuery({
    queryKey: queryKeys.demoOutbox(),
    queryFn: () => api<Answer<typeof invitationRoutes, 'GET /api/demo/outbox'>>('GET', '/api/demo/outbox'),
    retry: false,
  });
  if (!outbox.data) return null;
  return (
    <Paragraph>
      <Link href="/outbox">{t('outbox.title')}</Link> ({outbox.data.mails.length})
    </Paragraph>
  );
}

/** One part of Beheer: its heading, a line on what it is for, and its panels. */
export function AdminPage({ part }: { part: (typeof ADMIN_PARTS)[number]['key'] }) {
  const { t } = useTranslation();
  return (
    <>
      <Heading level={1}>{t(`nav.${part}`)}</Heading>
      <Paragraph>{t(`admin.parts.${part}`)}</Paragraph>
      {part === 'adminPeople' && (
        <>
          <DemoOutboxLink />
          <InvitePanel />
          <PeoplePanel />
        </>
      )}
      {part === 'adminOrganisations' && (
        <>
          <OrganisationsPanel />
          <JgzSchedulePanel />
        </>
      )}
      {part === 'adminContent' && (
        <>
          <ContentPanel />
          <CatalogueImportPanel />
        </>
      )}
      {part === 'adminSystems' && <FhirClientsPanel />}
      {part === 'adminSecurity' && (
        <>
          <AuditVerifyPanel />
          <AuditExportPanel />
          <Paragraph>
            <Link href="/noodtoegang-overzicht">{t('nav.breakGlassLog')}</Link>
          </Paragraph>
        </>
      )}
      {part === 'adminAlerts' && <AlertsPanel />}
    </>
  );
}

/** A break found by the daily audit-chain check, or unusual break-the-glass use, until an administrator takes it up. */
function AlertsPanel() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const alerts = useQuery({
    queryKey: queryKeys.adminAlerts(),
    queryFn: () => api<Answer<typeof auditRoutes, 'GET /api/admin/alerts'>>('GET', '/api/admin/alerts'),
  });
  const acknowledge = useMutation({
    mutationFn: (id: string) => api('POST', `/api/admin/alerts/${id}/acknowledge`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.adminAlerts() }),
  });
  const open = alerts.data?.alerts ?? [];
  if (open.length === 0) return null;
  return (
    <section className="kring-card kring-stack" aria-labelledby="alerts-title">
      <Heading level={2} id="alerts-title">
        {t('alerts.title')}
      </Heading>
      {open.map((alert) => (
        <div key={alert.id} className="kring-stack">
          {alert.kind === 'audit_chain_broken' ? (
            <>
              <Alert type="error">
                {t('alerts.chainBroken', {
                  date: new Date(alert.createdAt).toLocaleString(i18n.language),
                  count: alert.brokenChains,
                })}
              </Alert>
              <pre className="kring-pre">{alert.firstBreaks}</pre>
              <Paragraph>{t('alerts.whatNow')}</Paragraph>
            </>
          ) : (
            <>
              <Alert type="warning">
                {t('alerts.breakGlass', alert)}{' '}
                {alert.why.includes('same_reason') && t('alerts.sameReason', { count: alert.sameReasonFamilies })}{' '}
                {alert.why.includes('many_accesses') && t('alerts.manyAccesses')}
              </Alert>
              <Paragraph>{t('alerts.breakGlassWhatNow')}</Paragraph>
              <p>
                <Link href="/noodtoegang-overzicht">{t('alerts.toLog')}</Link>
              </p>
            </>
          )}
          <div>
            <Button busy={acknowledge.isPending} onClick={() => acknowledge.mutate(alert.id)}>
              {t('alerts.acknowledge')}
            </Button>
          </div>
        </div>
      ))}
    </section>
  );
}

function AuditVerifyPanel() {
  const { t } = useTranslation();
  const verify = useMutation({ mutationFn: () => api<VerifyResult>('POST', '/api/audit-events/verify') });
  return (
    <section className="kring-card kring-stack" aria-labelledby="audit-verify">
      <Heading level={2} id="audit-verify">
        {t('home.auditTitle')}
      </Heading>
      <Paragraph>{t('home.auditIntro')}</Paragraph>
      <Button appearance="secondary" busy={verify.isPending} onClick={() => verify.mutate()}>
        {t('home.auditRun')}
      </Button>
      {verify.data?.ok && (
        <Alert type="ok">{t('home.auditOk', { chains: verify.data.chains, events: verify.data.events })}</Alert>
      )}
      {verify.data && !verify.data.ok && (
        <Alert type="error">
          {t('home.auditBroken')}
          <ul>
            {verify.data.broken.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </Alert>
      )}
    </section>
  );
}

/** The disciplines the interface can name (the server's DISCIPLINES, in the translation files). */
function useDisciplines(): string[] {
  const { i18n } = useTranslation();
  return Object.keys(i18n.getResourceBundle('nl', 'translation').disciplines as Record<string, string>);
}

/** An administrator invites a professional: an e-mail with a one-time link (in the demo: the outbox). */
function InvitePanel() {
  const { t } = useTranslation();
  const disciplines = useDisciplines();
  const organisations = useOrganisations();
  const choices = (organisations.data?.organisations ?? []).filter((o) => o.type !== 'gemeente');
  const [form, setForm] = useState({
    name: '',
    email: '',
    organisationId: '',
    discipline: 'jeugdverpleegkundige',
    language: 'nl',
  });
  const send = useMutation({
    mutationFn: () =>
      api('POST', '/api/invitations', { ...form, organisationId: form.organisationId || choices[0]?.id }),
    onSuccess: () => setForm({ ...form, name: '', email: '' }),
  });
  return (
    <section className="kring-card kring-stack" aria-labelledby="invite">
      <Heading level={2} id="invite">
        {t('invitation.inviteTitle')}
      </Heading>
      <ActionForm action={send} saved={t('invitation.sent')}>
        <div className="kring-grid">
          <TextField
            label={t('invitation.name')}
            value={form.name}
            error={fieldMessage(send.error, 'body.name')}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
          <TextField
            type="email"
            label={t('invitation.email')}
            value={form.email}
            error={fieldMessage(send.error, 'body.email')}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
          <SelectField
            label={t('invitation.organisation')}
            value={form.organisationId || choices[0]?.id || ''}
            onChange={(e) => setForm({ ...form, organisationId: e.target.value })}
            options={choices.map((o) => ({ value: o.id, label: o.name }))}
          />
          <SelectField
            label={t('invitation.discipline')}
            value={form.discipline}
            onChange={(e) => setForm({ ...form, discipline: e.target.value })}
            options={disciplines.map((d) => ({ value: d, label: t(`disciplines.${d}`) }))}
          />
          <SelectField
            label={t('invitation.language')}
            value={form.language}
            onChange={(e) => setForm({ ...form, language: e.target.value })}
            options={[
              { value: 'nl', label: 'Nederlands' },
              { value: 'en', label: 'English' },
            ]}
          />
        </div>
        <div>
          <Button type="submit" busy={send.isPending}>
            {t('invitation.send')}
          </Button>
        </div>
      </ActionForm>
    </section>
  );
}

type Administered = AdministrationList['organisations'][number];

/** An administrator keeps the region's organisations: details, neighbourhoods served, (de)activation. */
function OrganisationsPanel() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: queryKeys.adminOrganisations(),
    queryFn: () => api<AdministrationList>('GET', '/api/admin/organisations'),
  });
  if (!list.data) return null;
  const { organisations, neighbourhoods } = list.data;
  return (
    <section className="kring-card kring-stack" aria-labelledby="organisations">
      <Heading level={2} id="organisations">
        {t('organisations.title')}
      </Heading>
      <ul className="kring-list-plain kring-stack">
        {organisations.map((organisation) => (
          <li key={organisation.id}>
            <strong>{organisation.name}</strong> · {t(`organisationTypes.${organisation.type}`)}
            {organisation.identifier ? ` · ${organisation.identifier}` : ''} ·{' '}
            {t('organisations.people', { count: organisation.activePeople })}
            {!organisation.active && ` · ${t('organisations.inactive')}`}
            <OrganisationForm organisation={organisation} neighbourhoods={neighbourhoods} />
            {organisation.active && organisation.type !== 'gemeente' && (
              <IdentityProviderForm organisation={organisation} />
            )}
          </li>
        ))}
      </ul>
      <OrganisationForm neighbourhoods={neighbourhoods} />
    </section>
  );
}

function OrganisationForm({
  organisation,
  neighbourhoods,
}: {
  organisation?: Administered;
  neighbourhoods: AdministrationList['neighbourhoods'];
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    name: organisation?.name ?? '',
    type: organisation?.type ?? 'verloskundigenpraktijk',
    identifier: organisation?.identifier ?? '',
    contactPhone: organisation?.contactPhone ?? '',
    contactEmail: organisation?.contactEmail ?? '',
    openingHours: organisation?.openingHours ?? '',
    address: organisation?.address ?? '',
    neighbourhoodIds: organisation?.neighbourhoodIds ?? [],
    active: organisation?.active ?? true,
  });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: form.name,
        type: form.type,
        identifier: form.identifier || null,
        contactPhone: form.contactPhone || null,
        contactEmail: form.contactEmail || null,
        openingHours: form.openingHours || null,
        address: form.address || null,
        neighbourhoodIds: form.neighbourhoodIds,
      };
      return organisation
        ? api('PUT', `/api/admin/organisations/${organisation.id}`, {
            ...body,
            active: form.active,
            version: organisation.version,
          })
        : api('POST', '/api/admin/organisations', body);
    },
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const field = (name: string) => fieldMessage(save.error, `body.${name}`);
  const text = (name: 'name' | 'identifier' | 'contactPhone' | 'contactEmail' | 'openingHours' | 'address') => ({
    value: form[name],
    error: field(name),
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [name]: e.target.value }),
  });
  // The organisation types the interface can name (the server's ORGANISATION_TYPES).
  const types = Object.keys(i18n.getResourceBundle('nl', 'translation').organisationTypes as Record<string, string>);
  return (
    <details>
      <summary>{organisation ? t('organisations.edit', { name: organisation.name }) : t('organisations.add')}</summary>
      <ActionForm action={save} saved={t('record.saved')}>
        <div className="kring-grid">
          <TextField label={t('organisations.name')} {...text('name')} />
          <SelectField
            label={t('organisations.type')}
            value={form.type}
            onChange={(e) => setForm({ ...form, type: e.target.value as Administered['type'] })}
            options={types.map((type) => ({ value: type, label: t(`organisationTypes.${type}`) }))}
          />
          <TextField label={t('organisations.identifier')} {...text('identifier')} />
          <TextField label={t('organisations.phone')} {...text('contactPhone')} />
          <TextField type="email" label={t('organisations.email')} {...text('contactEmail')} />
          <TextField
            label={t('organisations.openingHours')}
            description={t('organisations.openingHoursHint')}
            {...text('openingHours')}
          />
          <TextField label={t('organisations.address')} {...text('address')} />
        </div>
        <Fieldset legend={t('organisations.neighbourhoods')} error={field('neighbourhoodIds')}>
          {neighbourhoods.map((n) => (
            <Checkbox
              key={n.id}
              label={n.name}
              checked={form.neighbourhoodIds.includes(n.id)}
              onChange={(e) =>
                setForm({
                  ...form,
                  neighbourhoodIds: e.target.checked
                    ? [...form.neighbourhoodIds, n.id]
                    : form.neighbourhoodIds.filter((id) => id !== n.id),
                })
              }
            />
          ))}
        </Fieldset>
        {organisation && (
          <Checkbox
            label={t('organisations.active')}
            checked={form.active}
            onChange={(e) => setForm({ ...form, active: e.target.checked })}
          />
        )}
        <div>
          <Button type="submit" appearance="secondary" busy={save.isPending}>
            {organisation ? t('organisations.save') : t('organisations.create')}
          </Button>
        </div>
      </ActionForm>
    </details>
  );
}

type Member = Answer<typeof organisationRoutes, 'GET /api/organisations/:id/members'>['members'][number];

/**
 * An administrator sees an organisation's people and offboards one: deactivated at once, their
 * families and open tasks passed to a colleague (required when they hold regie).
 */
function PeoplePanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const organisations = useOrganisations();
  const choices = (organisations.data?.organisations ?? []).filter((o) => o.type !== 'gemeente');
  const [organisationId, setOrganisationId] = useState('');
  const chosen = organisationId || choices[0]?.id || '';
  const members = useQuery({
    queryKey: queryKeys.members(chosen),
    queryFn: () =>
      api<Answer<typeof organisationRoutes, 'GET /api/organisations/:id/members'>>(
        'GET',
        `/api/organisations/${chosen}/members`,
      ),
    enabled: chosen !== '',
  });
  const active = (members.data?.members ?? []).filter((m) => m.active);
  return (
    <section className="kring-card kring-stack" aria-labelledby="people">
      <Heading level={2} id="people">
        {t('people.title')}
      </Heading>
      <SelectField
        label={t('invitation.organisation')}
        value={chosen}
        onChange={(e) => setOrganisationId(e.target.value)}
        options={choices.map((o) => ({ value: o.id, label: o.name }))}
      />
      <ul className="kring-list-plain kring-stack">
        {(members.data?.members ?? []).map((member) => (
          <li key={member.id}>
            <strong>{member.displayName}</strong> · {member.email}
            {member.discipline ? ` · ${t(`disciplines.${member.discipline}`)}` : ''}
            {!member.active && ` · ${t('people.inactive')}`}
            {member.active && member.discipline && (
              <ChangeRoleForm
                member={member}
                onDone={() => queryClient.invalidateQueries({ queryKey: queryKeys.members(chosen) })}
              />
            )}
            {member.active && <ResetSecondFactor member={member} />}
            {member.active && (
              <OffboardForm
                member={member}
                colleagues={active.filter((m) => m.id !== member.id)}
                onDone={() => queryClient.invalidateQueries({ queryKey: queryKeys.members(chosen) })}
              />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A new role (discipline) for a professional; it counts from their next step in Kring. */
function ChangeRoleForm({ member, onDone }: { member: Member; onDone: () => void }) {
  const { t } = useTranslation();
  const disciplines = useDisciplines();
  const [discipline, setDiscipline] = useState(member.discipline ?? '');
  const change = useMutation({
    mutationFn: () => api('PUT', `/api/accounts/${member.id}/role`, { discipline }),
    onSuccess: onDone,
  });
  return (
    <details>
      <summary>{t('people.changeRole', { name: member.displayName })}</summary>
      <ActionForm action={change} saved={t('people.roleChanged')}>
        <SelectField
          label={t('people.newRole', { name: member.displayName })}
          value={discipline}
          error={fieldMessage(change.error, 'body.discipline')}
          onChange={(e) => setDiscipline(e.target.value)}
          options={disciplines.map((d) => ({ value: d, label: t(`disciplines.${d}`) }))}
        />
        <div>
          <Button type="submit" appearance="secondary" busy={change.isPending}>
            {t('people.changeRoleNow')}
          </Button>
        </div>
      </ActionForm>
    </details>
  );
}

/** A lost phone: the administrator resets the second factor; the professional gets a link by e-mail. */
function ResetSecondFactor({ member }: { member: Member }) {
  const { t } = useTranslation();
  const reset = useMutation({ mutationFn: () => api('POST', `/api/accounts/${member.id}/second-factor/reset`) });
  return (
    <details>
      <summary>{t('people.resetSecondFactor', { name: member.displayName })}</summary>
      <ActionForm action={reset} saved={t('people.resetDone')}>
        <Paragraph>{t('people.resetIntro')}</Paragraph>
        <div>
          <Button type="submit" appearance="secondary" busy={reset.isPending}>
            {t('people.resetNow')}
          </Button>
        </div>
      </ActionForm>
    </details>
  );
}

function OffboardForm({ member, colleagues, onDone }: { member: Member; colleagues: Member[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [successor, setSuccessor] = useState('');
  const offboard = useMutation({
    mutationFn: () =>
      api('POST', `/api/accounts/${member.id}/offboard`, successor ? { successorAccountId: successor } : {}),
    onSuccess: onDone,
  });
  return (
    <details>
      <summary>{t('people.offboard', { name: member.displayName })}</summary>
      <ActionForm action={offboard}>
        <Paragraph>{t('people.offboardIntro')}</Paragraph>
        <SelectField
          label={t('people.successor')}
          value={successor}
          error={fieldMessage(offboard.error, 'body.successorAccountId')}
          onChange={(e) => setSuccessor(e.target.value)}
          options={[
            { value: '', label: t('people.noSuccessor') },
            ...colleagues.map((c) => ({ value: c.id, label: c.displayName })),
          ]}
        />
        <div>
          <Button type="submit" appearance="secondary" busy={offboard.isPending}>
            {t('people.offboardNow')}
          </Button>
        </div>
      </ActionForm>
    </details>
  );
}

/**
 * An administrator imports interventions from a CSV file (the columns of CSV_COLUMNS, lists with
 * ";"): every bad row is named by line and column, and a bad file imports nothing.
 */
function CatalogueImportPanel() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState('');
  const upload = useMutation({
    mutationFn: () =>
      api<Answer<typeof interventionRoutes, 'POST /api/interventions/import'>>('POST', '/api/interventions/import', {
        csv,
      }),
  });
  const problems = upload.error instanceof ApiError ? upload.error.fields : [];
  return (
    <section className="kring-card kring-stack" aria-labelledby="catalogue-import">
      <Heading level={2} id="catalogue-import">
        {t('home.importTitle')}
      </Heading>
      <Paragraph>
        {t('home.importIntro')}{' '}
        <code>
          key, name_nl, name_en, description_nl, description_en, phases, age_from_months, age_to_months, intensity,
          works_on, target_group_nl, target_group_en, eligibility_nl, eligibility_en, evidence, evidence_source,
          caveats_nl, caveats_en, addresses
        </code>{' '}
        {t('home.importIntroAfter')} {t('home.importOptional')}{' '}
        <code>
          evidence_date, evidence_checked_on, evidence_verified, enrol_phases, enrol_pregnancy_weeks_from,
          enrol_pregnancy_weeks_to, enrol_first_child_only
        </code>
      </Paragraph>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor="catalogue-file">
          {t('home.importFile')}
        </label>
        <input
          id="catalogue-file"
          type="file"
          accept=".csv,text/csv"
          className="utrecht-textbox"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            setFileName(file?.name ?? '');
            setCsv(file ? await file.text() : '');
          }}
        />
      </div>
      <div>
        <Button disabled={!csv} busy={upload.isPending} onClick={() => upload.mutate()}>
          {t('home.importRun', { file: fileName })}
        </Button>
      </div>
      {upload.data && <Alert type="ok">{t('home.imported', { count: upload.data.imported })}</Alert>}
      {upload.error ? (
        <Alert type="error">
          {errorText(upload.error)}
          <ul>
            {problems.map((p) => (
              <li key={p.message}>{p.message}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
    </section>
  );
}

/** The audit trail as CSV for a privacy officer: by organisation and period (a download, same session). */
function AuditExportPanel() {
  const { t } = useTranslation();
  const organisations = useOrganisations();
  const [filter, setFilter] = useState({ organisationId: '', from: '', to: '' });
  const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value !== ''));
  return (
    <section className="kring-card kring-stack" aria-labelledby="audit-export">
      <Heading level={2} id="audit-export">
        {t('home.exportTitle')}
      </Heading>
      <Paragraph>{t('home.exportIntro')}</Paragraph>
      <div className="kring-grid">
        <SelectField
          label={t('invitation.organisation')}
          value={filter.organisationId}
          onChange={(e) => setFilter({ ...filter, organisationId: e.target.value })}
          options={[
            { value: '', label: t('home.allOrganisations') },
            ...(organisations.data?.organisations ?? []).map((o) => ({ value: o.id, label: o.name })),
          ]}
        />
        <TextField
          type="date"
          label={t('home.from')}
          value={filter.from}
          onChange={(e) => setFilter({ ...filter, from: e.target.value })}
        />
        <TextField
          type="date"
          label={t('home.to')}
          value={filter.to}
          onChange={(e) => setFilter({ ...filter, to: e.target.value })}
        />
      </div>
      <p>
        <a
          className="utrecht-link utrecht-link--html-a"
          href={`/api/audit-events/export?${query}`}
          download="kring-audit.csv"
        >
          {t('home.exportDownload')}
        </a>
      </p>
    </section>
  );
}

type Moment = ScheduleSettings['moments'][number];
type ScheduleSettings = Answer<typeof organisationRoutes, 'GET /api/organisations/:id/jgz-schedule'>;

const KIND_CHOICES: Record<string, Moment['kinds']> = {
  home_visit: ['home_visit'],
  consultatiebureau: ['consultatiebureau'],
  either: ['consultatiebureau', 'home_visit'],
};
const kindChoice = (kinds: string[]) =>
  kinds.length > 1 ? 'either' : kinds[0] === 'home_visit' ? 'home_visit' : 'consultatiebureau';

/** An administrator adjusts a JGZ organisation's contact schedule (or restores the national one). */
function JgzSchedulePanel() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const organisations = useQuery({
    queryKey: queryKeys.organisations(),
    queryFn: () => api<Answer<typeof organisationRoutes, 'GET /api/organisations'>>('GET', '/api/organisations'),
  });
  const jgz = (organisations.data?.organisations ?? []).filter((o) => o.type === 'jgz');
  const [chosen, setChosen] = useState('');
  const organisationId = chosen || jgz[0]?.id || '';
  const settings = useQuery({
    queryKey: queryKeys.jgzSchedule(organisationId),
    enabled: Boolean(organisationId),
    queryFn: () => api<ScheduleSettings>('GET', `/api/organisations/${organisationId}/jgz-schedule`),
  });
  const [draft, setDraft] = useState<Moment[] | null>(null);
  const moments = draft ?? settings.data?.moments ?? [];
  const save = useMutation({
    mutationFn: (next: Moment[] | null) =>
      api('PUT', `/api/organisations/${organisationId}/jgz-schedule`, {
        moments: next,
        version: settings.data?.version ?? 0,
      }),
    onSuccess: () => {
      setDraft(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.jgzSchedule(organisationId) });
    },
  });
  const update = (i: number, changed: Partial<Moment>) =>
    setDraft(moments.map((m, j) => (j === i ? { ...m, ...changed } : m)));
  const number = (i: number, name: 'ageDays' | 'from' | 'grace', label: string) => (
    <input
      className="utrecht-textbox utrecht-textbox--html-input kring-number"
      type="number"
      min={0}
      aria-label={`${label} (${momentName(t, moments[i]?.key ?? '')})`}
      value={moments[i]?.[name] ?? 0}
      onChange={(e) => update(i, { [name]: Number(e.target.value) })}
    />
  );
  if (!jgz.length) return null;
  return (
    <section className="kring-card kring-stack" aria-labelledby="jgz-schedule">
      <Heading level={2} id="jgz-schedule">
        {t('schedule.title')}
      </Heading>
      <Paragraph>{t('schedule.intro')}</Paragraph>
      <SelectField
        label={t('schedule.organisation')}
        value={organisationId}
        onChange={(e) => {
          setChosen(e.target.value);
          setDraft(null);
        }}
        options={jgz.map((o) => ({ value: o.id, label: o.name }))}
      />
      {settings.data && (
        <Paragraph muted>{settings.data.custom ? t('schedule.custom') : t('schedule.national')}</Paragraph>
      )}
      {save.error && <Alert type="error">{errorText(save.error)}</Alert>}
      {save.isSuccess && <Alert type="ok">{t('record.saved')}</Alert>}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls on a phone; the keyboard must reach it */}
      <div className="kring-table-scroll" tabIndex={0}>
        <table className="utrecht-table kring-schedule">
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th className="utrecht-table__header-cell">{t('schedule.key')}</th>
              <th className="utrecht-table__header-cell">{t('schedule.ageDays')}</th>
              <th className="utrecht-table__header-cell">{t('schedule.from')}</th>
              <th className="utrecht-table__header-cell">{t('schedule.grace')}</th>
              <th className="utrecht-table__header-cell">{t('schedule.kinds')}</th>
              <th className="utrecht-table__header-cell">
                <span className="visually-hidden">{t('schedule.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {moments.map((moment, i) => (
              <tr className="utrecht-table__row" key={`${i.toString()}`}>
                {i18n.exists(`jgzMoments.${moment.key}`) ? (
                  // A moment Kring knows is edited by its name; only a moment of the organisation's own gets a key typed.
                  <th className="utrecht-table__header-cell" scope="row">
                    {momentName(t, moment.key)}
                  </th>
                ) : (
                  <td className="utrecht-table__cell">
                    <input
                      className="utrecht-textbox utrecht-textbox--html-input"
                      aria-label={`${t('schedule.key')} ${i + 1}`}
                      value={moment.key}
                      onChange={(e) => update(i, { key: e.target.value })}
                    />
                  </td>
                )}
                <td className="utrecht-table__cell">{number(i, 'ageDays', t('schedule.ageDays'))}</td>
                <td className="utrecht-table__cell">{number(i, 'from', t('schedule.from'))}</td>
                <td className="utrecht-table__cell">{number(i, 'grace', t('schedule.grace'))}</td>
                <td className="utrecht-table__cell">
                  <select
                    className="utrecht-select utrecht-select--html-select"
                    aria-label={`${t('schedule.kinds')} (${momentName(t, moment.key)})`}
                    value={kindChoice(moment.kinds)}
                    onChange={(e) => update(i, { kinds: KIND_CHOICES[e.target.value] ?? ['consultatiebureau'] })}
                  >
                    {Object.keys(KIND_CHOICES).map((choice) => (
                      <option key={choice} value={choice}>
                        {t(`schedule.kindChoices.${choice}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="utrecht-table__cell">
                  <Button appearance="subtle" onClick={() => setDraft(moments.filter((_, j) => j !== i))}>
                    {t('schedule.remove')} <span className="visually-hidden">{momentName(t, moment.key)}</span>
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="kring-row">
        <Button
          appearance="secondary"
          onClick={() =>
            setDraft([
              ...moments,
              {
                key: `visit_${moments.length + 1}`,
                ageDays: (moments.at(-1)?.ageDays ?? 0) + 30,
                from: 14,
                grace: 21,
                kinds: ['consultatiebureau'],
              },
            ])
          }
        >
          {t('schedule.add')}
        </Button>
        <Button busy={save.isPending} onClick={() => save.mutate(moments)}>
          {t('schedule.save')}
        </Button>
        {settings.data?.custom && (
          <Button appearance="subtle" onClick={() => save.mutate(null)}>
            {t('schedule.reset')}
          </Button>
        )}
      </div>
    </section>
  );
}

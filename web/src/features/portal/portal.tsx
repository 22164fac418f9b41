import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import i18next from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isParentLanguage } from '../../../../server/src/accounts/languages.ts';
import type { guideRoutes } from '../../../../server/src/guides/guide.routes.ts';
import type {
  HomeGuides,
  OurConsent,
  OurJourney,
  portalRoutes,
  WhatIsRecorded,
  WhoLooked,
} from '../../../../server/src/portal/portal.routes.ts';
import { type Answer, ApiError, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import {
  Alert,
  Button,
  Checkbox,
  Heading,
  Link,
  Paragraph,
  SelectField,
  TextAreaField,
  TextField,
} from '../../components/nlds.tsx';
import { localeOf, rememberLanguage } from '../../i18n/i18n.ts';
import { ParentPage, useParentText } from '../../i18n/parent-page.tsx';
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { type FamilyRecord, fieldMessage, formatDate } from '../families/families-api.ts';

/**
 * The parents' own Kring, first part: where they are in the 1001 days, who is in their care team
 * and how to reach them, the contacts that were, and what the plan says — in plain words, on a
 * phone first.
 */
export function OurJourneyPage() {
  const { t, i18n } = useTranslation();
  const journey = useQuery({
    queryKey: queryKeys.ourJourney(),
    queryFn: () => api<OurJourney>('GET', '/api/portal/journey'),
  });
  if (journey.isError) return <PortalUnavailable error={journey.error} />;
  const data = journey.data;
  if (!data) return <Paragraph>{t('app.loading')}</Paragraph>;
  const me = data.persons.find((p) => p.id === data.me);
  const date = (iso: string | null) => formatDate(iso, i18n.language);
  const nameOf = (personId: string | null) => data.persons.find((p) => p.id === personId)?.givenName ?? '';
  return (
    <div className="kring-stack kring-portal">
      <Heading level={1}>{t('portal.title', { name: me?.givenName ?? '' })}</Heading>
      <Paragraph>{t('portal.intro')}</Paragraph>
      <section className="kring-card kring-stack" aria-labelledby="where">
        <Heading level={2} id="where">
          {t('portal.where')}
        </Heading>
        {data.trajectories.length === 0 && <Paragraph>{t('portal.whereNothing')}</Paragraph>}
        {data.trajectories.map((trajectory) => (
          <div key={trajectory.id} className="kring-stack">
            <Paragraph>
              <strong>{t(`phases.${trajectory.phase}`)}</strong>
              {trajectory.childPersonId && nameOf(trajectory.childPersonId)
                ? ` · ${nameOf(trajectory.childPersonId)}`
                : ''}
            </Paragraph>
            <Paragraph>
              {trajectory.gestationWeeks !== null && !trajectory.birthDate
                ? t('portal.pregnantWeeks', { weeks: trajectory.gestationWeeks, date: date(trajectory.dueDate) })
                : trajectory.ageDays !== null
                  ? t('portal.ageWeeks', { weeks: Math.floor(trajectory.ageDays / 7) })
                  : ''}
              {trajectory.day !== null && ` ${t('portal.day', { day: trajectory.day })}`}
            </Paragraph>
            {trajectory.coming.length > 0 && (
              <>
                <Paragraph>{t('portal.coming')}</Paragraph>
                <ul>
                  {trajectory.coming.map((moment) => (
                    <li key={moment.on}>
                      {t(moment.overdue ? 'portal.comingOverdue' : 'portal.comingOn', { date: date(moment.on) })}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        ))}
      </section>
      <section className="kring-card kring-stack" aria-labelledby="team">
        <Heading level={2} id="team">
          {t('portal.team')}
        </Heading>
        <ul className="kring-list-plain kring-stack">
          {data.team.map((organisation) => (
            <li key={organisation.organisationId}>
              <strong>{organisation.name}</strong> ({t(`organisationTypes.${organisation.type}`)})
              <div>
                {organisation.professionals
                  .map(
                    (p) =>
                      `${p.name}${p.discipline ? `, ${t(`disciplines.${p.discipline}`)}` : ''}${
                        p.isRegiehouder ? ` (${t('portal.regiehouder')})` : ''
                      }`,
                  )
                  .join('; ')}
              </div>
              {(organisation.phone || organisation.email) && (
                <div>
                  {organisation.phone && <a href={`tel:${organisation.phone}`}>{organisation.phone}</a>}
                  {organisation.phone && organisation.email && ' · '}
                  {organisation.email && <a href={`mailto:${organisation.email}`}>{organisation.email}</a>}
                </div>
              )}
              {organisation.openingHours && <div className="kring-muted">{organisation.openingHours}</div>}
            </li>
          ))}
        </ul>
      </section>
      <section className="kring-card kring-stack" aria-labelledby="plan">
        <Heading level={2} id="plan">
          {t('portal.plan')}
        </Heading>
        {data.plan.length === 0 ? (
          <Paragraph muted>{t('portal.noPlan')}</Paragraph>
        ) : (
          <ul className="kring-list-plain kring-stack">
            {data.plan.map((goal) => (
              <li key={goal.id}>
                <strong>{goal.goal}</strong>
                <div className="kring-muted">
                  {goal.owner && `${t('portal.who', { name: goal.owner })} · `}
                  {t('portal.evaluate', { date: date(goal.evaluateOn) })}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <AskForHelp />
      <section className="kring-card kring-stack" aria-labelledby="contacts">
        <Heading level={2} id="contacts">
          {t('portal.contacts')}
        </Heading>
        {data.contacts.length === 0 ? (
          <Paragraph muted>{t('portal.noContacts')}</Paragraph>
        ) : (
          <ul className="kring-list-plain">
            {data.contacts.map((contact) => (
              <li key={contact.id}>
                {date(contact.on)}: {t(`contactKinds.${contact.kind}`)} ({contact.organisationName})
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** The parents say in their own words what they would like help with; it reaches their main contact. */
function AskForHelp() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const ask = useMutation({
    mutationFn: () => api('POST', '/api/portal/help', { text }),
    onSuccess: () => setText(''),
  });
  return (
    <section className="kring-card kring-stack" aria-labelledby="ask-help">
      <Heading level={2} id="ask-help">
        {t('portal.askTitle')}
      </Heading>
      <ActionForm action={ask} saved={t('portal.asked')}>
        <TextAreaField
          label={t('portal.askLabel')}
          description={t('portal.askHint')}
          rows={4}
          value={text}
          error={fieldMessage(ask.error, 'body.text')}
          onChange={(e) => setText(e.target.value)}
        />
        <div>
          <Button type="submit" busy={ask.isPending}>
            {t('portal.ask')}
          </Button>
        </div>
      </ActionForm>
    </section>
  );
}

/** /ouder#CODE: a parent takes up the invitation and chooses their e-mail address and password. */
export function ParentInvitationPage() {
  const { t, i18n } = useTranslation();
  const [form, setForm] = useState({ code: window.location.hash.slice(1), email: '', password: '', repeat: '' });
  const mismatch = form.repeat !== '' && form.repeat !== form.password;
  // The invitation's link names the language it was sent in; the parent can choose another above.
  useEffect(() => {
    const language = new URLSearchParams(window.location.search).get('taal') ?? '';
    if (isParentLanguage(language) && language !== i18next.language) {
      rememberLanguage(language);
      void i18next.changeLanguage(language);
    }
  }, []);
  const accept = useMutation({
    mutationFn: () =>
      api('POST', '/api/auth/parent-invitation', {
        code: form.code,
        email: form.email,
        password: form.password,
        language: i18n.language,
      }),
  });
  return (
    <main id="main" className="kring-narrow kring-card kring-stack">
      <Heading level={1}>{t('portal.welcome')}</Heading>
      <Paragraph>{t('portal.welcomeIntro')}</Paragraph>
      {accept.isSuccess ? (
        <>
          <Alert type="ok">{t('portal.accountMade')}</Alert>
          <Link href="/">{t('secondFactor.toLogin')}</Link>
        </>
      ) : (
        <ActionForm action={{ ...accept, mutate: () => !mismatch && accept.mutate() }}>
          <TextField
            label={t('portal.code')}
            autoComplete="off"
            value={form.code}
            error={fieldMessage(accept.error, 'body.code')}
            onChange={(e) => setForm({ ...form, code: e.target.value })}
          />
          <TextField
            label={t('login.email')}
            type="email"
            autoComplete="username"
            value={form.email}
            error={fieldMessage(accept.error, 'body.email')}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
          <TextField
            label={t('invitation.password')}
            type="password"
            autoComplete="new-password"
            value={form.password}
            error={fieldMessage(accept.error, 'body.password')}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
          <TextField
            label={t('invitation.repeat')}
            type="password"
            autoComplete="new-password"
            value={form.repeat}
            error={mismatch ? t('invitation.mismatch') : undefined}
            onChange={(e) => setForm({ ...form, repeat: e.target.value })}
          />
          <div>
            <Button type="submit" busy={accept.isPending}>
              {t('portal.makeAccount')}
            </Button>
          </div>
        </ActionForm>
      )}
    </main>
  );
}

/** On the family record: invite a parent to their own Kring, with a code for paper or an e-mail. */
export function ParentInvitationSection({
  familyId,
  record,
  nameOf,
}: {
  familyId: string;
  record: FamilyRecord;
  nameOf: (personId: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const adults = record.persons.filter((p) => p.role !== 'child' && p.role !== 'sibling');
  const [personId, setPersonId] = useState(adults[0]?.id ?? '');
  const [email, setEmail] = useState('');
  const invite = useMutation({
    mutationFn: () =>
      api<Answer<typeof portalRoutes, 'POST /api/families/:familyId/parent-invitations'>>(
        'POST',
        `/api/families/${familyId}/parent-invitations`,
        {
          personId,
          ...(email ? { email } : {}),
        },
      ),
  });
  return (
    <section className="kring-card kring-stack" aria-labelledby="parent-invitation">
      <Heading level={2} id="parent-invitation">
        {t('portal.inviteTitle')}
      </Heading>
      <Paragraph muted>{t('portal.inviteIntro')}</Paragraph>
      <details>
        <summary>{t('portal.invite')}</summary>
        <ActionForm action={invite}>
          <SelectField
            label={t('portal.whom')}
            value={personId}
            error={fieldMessage(invite.error, 'body.personId')}
            onChange={(e) => setPersonId(e.target.value)}
            options={adults.map((p) => ({ value: p.id, label: nameOf(p.id) }))}
          />
          <TextField
            label={t('portal.inviteEmail')}
            type="email"
            value={email}
            error={fieldMessage(invite.error, 'body.email')}
            onChange={(e) => setEmail(e.target.value)}
          />
          <div>
            <Button type="submit" busy={invite.isPending}>
              {t('portal.makeCode')}
            </Button>
          </div>
        </ActionForm>
        {invite.data && (
          <Alert type="ok">
            {t('portal.codeMade', { date: formatDate(invite.data.expiresAt.slice(0, 10), i18n.language) })}{' '}
            <strong className="kring-code" data-testid="parent-code">
              {invite.data.code}
            </strong>
          </Alert>
        )}
      </details>
      <SendGuide familyId={familyId} adults={adults.map((p) => ({ id: p.id, name: nameOf(p.id) }))} />
    </section>
  );
}

/** Send a parent a conversation guide to answer at home, before the visit. */
function SendGuide({ familyId, adults }: { familyId: string; adults: { id: string; name: string }[] }) {
  const { t, i18n } = useTranslation();
  const list = useQuery({
    queryKey: queryKeys.guides(),
    queryFn: () => api<Answer<typeof guideRoutes, 'GET /api/guides'>>('GET', '/api/guides'),
  });
  const choices = (list.data?.guides ?? []).filter((g) => g.for === 'adult' && !g.instrument);
  const [guideKey, setGuideKey] = useState('');
  const [personId, setPersonId] = useState(adults[0]?.id ?? '');
  const send = useMutation({
    mutationFn: () =>
      api('POST', `/api/families/${familyId}/guide-requests`, { guideKey: guideKey || choices[0]?.key, personId }),
  });
  return (
    <details>
      <summary>{t('portal.sendGuide')}</summary>
      <ActionForm action={send} saved={t('portal.guideSent')}>
        <SelectField
          label={t('portal.whichGuide')}
          value={guideKey || choices[0]?.key || ''}
          error={fieldMessage(send.error, 'body.guideKey')}
          onChange={(e) => setGuideKey(e.target.value)}
          options={choices.map((g) => ({ value: g.key, label: i18n.language === 'en' ? g.title.en : g.title.nl }))}
        />
        <SelectField
          label={t('portal.toWhom')}
          value={personId}
          error={fieldMessage(send.error, 'body.personId')}
          onChange={(e) => setPersonId(e.target.value)}
          options={adults.map((p) => ({ value: p.id, label: p.name }))}
        />
        <div>
          <Button type="submit" busy={send.isPending}>
            {t('portal.send')}
          </Button>
        </div>
      </ActionForm>
    </details>
  );
}

/**
 * Consent in the parents' own Kring: per organisation of the team and per kind of information,
 * what this parent allowed, with one action to give or withdraw it and what that changes.
 */
export function OurConsentPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const consent = useQuery({
    queryKey: queryKeys.ourConsent(),
    queryFn: () => api<OurConsent>('GET', '/api/portal/consent'),
  });
  const [notice, setNotice] = useState<string>();
  const change = useMutation({
    mutationFn: (input: { organisationId: string; category: string; given: boolean; name: string }) =>
      api<OurConsent>('PUT', '/api/portal/consent', {
        organisationId: input.organisationId,
        category: input.category,
        given: input.given,
      }),
    onSuccess: (data, input) => {
      queryClient.setQueryData(queryKeys.ourConsent(), data);
      setNotice(
        t(input.given ? 'portal.consentGiven' : 'portal.consentWithdrawn', {
          name: input.name,
          category: t(`portal.categories.${input.category}`),
        }),
      );
    },
  });
  if (consent.isError) return <PortalUnavailable error={consent.error} />;
  if (!consent.data) return <Paragraph>{t('app.loading')}</Paragraph>;
  return (
    <div className="kring-stack kring-portal">
      <Heading level={1}>{t('portal.consentTitle')}</Heading>
      <Paragraph>{t('portal.consentIntro')}</Paragraph>
      {notice && <Alert type="ok">{notice}</Alert>}
      {consent.data.organisations.map((organisation) => (
        <section key={organisation.organisationId} className="kring-card kring-stack" aria-label={organisation.name}>
          <Heading level={2}>{organisation.name}</Heading>
          <ul className="kring-list-plain kring-stack">
            {organisation.categories.map((c) => (
              <li key={c.category} className="kring-stack">
                <div>
                  <strong>{t(`portal.categories.${c.category}`)}</strong>:{' '}
                  {c.mine ? t('portal.youAllowed') : t('portal.youDidNotAllow')}
                  {c.mine && !c.familyComplete && c.others.length === 0 && ` ${t('portal.othersMissing')}`}
                </div>
                {c.others.map((other) => (
                  <div key={other.givenName ?? ''}>
                    {t(other.given ? 'portal.otherAllowed' : 'portal.otherDidNotAllow', {
                      name: other.givenName ?? t('portal.otherParent'),
                    })}
                    {c.mine && !other.given && ` ${t('portal.untilBoth')}`}
                  </div>
                ))}
                <div className="kring-muted">{t(`portal.categoryHint.${c.category}`)}</div>
                <div>
                  <Button
                    appearance={c.mine ? 'secondary' : 'primary'}
                    busy={change.isPending}
                    onClick={() =>
                      change.mutate({
                        organisationId: organisation.organisationId,
                        category: c.category,
                        given: !c.mine,
                        name: organisation.name,
                      })
                    }
                  >
                    {t(c.mine ? 'portal.withdraw' : 'portal.give', {
                      category: t(`portal.categories.${c.category}`),
                      name: organisation.name,
                    })}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <FamilySharing sharing={consent.data.familySharing} />
    </div>
  );
}

/**
 * What is recorded about this parent is theirs: shown to another adult of the family only if they
 * choose so here (never what concerns safety at home).
 */
function FamilySharing({ sharing }: { sharing: OurConsent['familySharing'] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string>();
  const change = useMutation({
    mutationFn: (input: { toPersonId: string; shared: boolean; name: string }) =>
      api<Pick<OurConsent, 'familySharing'>>('PUT', '/api/portal/family-sharing', {
        toPersonId: input.toPersonId,
        shared: input.shared,
      }),
    onSuccess: (data, input) => {
      queryClient.setQueryData(queryKeys.ourConsent(), (old: OurConsent | undefined) => old && { ...old, ...data });
      setNotice(t(input.shared ? 'portal.sharingGiven' : 'portal.sharingWithdrawn', { name: input.name }));
    },
  });
  if (sharing.length === 0) return null;
  return (
    <section className="kring-card kring-stack" aria-labelledby="family-sharing">
      <Heading level={2} id="family-sharing">
        {t('portal.sharingTitle')}
      </Heading>
      <Paragraph>{t('portal.sharingIntro')}</Paragraph>
      {notice && <Alert type="ok">{notice}</Alert>}
      <ul className="kring-list-plain kring-stack">
        {sharing.map((other) => {
          const name = other.givenName ?? t('audience.unnamed');
          return (
            <li key={other.personId} className="kring-stack">
              <div>{t(other.shared ? 'portal.sharingOn' : 'portal.sharingOff', { name })}</div>
              <div>
                <Button
                  appearance={other.shared ? 'secondary' : 'primary'}
                  busy={change.isPending}
                  onClick={() => change.mutate({ toPersonId: other.personId, shared: !other.shared, name })}
                >
                  {t(other.shared ? 'portal.sharingStop' : 'portal.sharingStart', { name })}
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A role's name inside a sentence: its first letter small ("medewerker Veilig Thuis", "jeugdverpleegkundige"). */
const midSentence = (name: string, locale: string) => name.charAt(0).toLocaleLowerCase(locale) + name.slice(1);

/**
 * Who looked at our record, one line per visit — organisation, role, what and when, in plain
 * words — with the steps of each visit on demand, and filters by organisation and period.
 */
export function WhoLookedPage() {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState({ from: '', to: '' });
  const [organisation, setOrganisation] = useState('');
  const query = new URLSearchParams(Object.entries(period).filter(([, v]) => v)).toString();
  const trail = useQuery({
    queryKey: queryKeys.whoLooked(query),
    queryFn: () => api<WhoLooked>('GET', `/api/portal/who-looked${query ? `?${query}` : ''}`),
  });
  const errorText = useErrorText();
  const locale = localeOf(i18n.language);
  const moment = (iso: string) =>
    new Date(iso).toLocaleString(locale, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      ...(new Date(iso).getFullYear() !== new Date().getFullYear() ? { year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
    });
  const time = (iso: string) => new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const area = (key: string) => t([`portal.areas.${key}`, 'portal.areas.family']);
  type Visit = WhoLooked['visits'][number];
  const who = (v: Visit) =>
    v.kind === 'parent'
      ? t('portal.you')
      : v.role === 'system'
        ? // Kring's own jobs have no organisation; an organisation's connected system (FHIR) has.
          v.organisation
          ? `${v.organisation} (${t('kinds.system')})`
          : t('portal.kring')
        : [
            v.organisation ?? t('portal.kring'),
            v.role ? midSentence(t(`disciplines.${v.role}`, { defaultValue: v.role }), locale) : null,
          ]
            .filter(Boolean)
            .join(', ');
  const visits = trail.data?.visits ?? [];
  const organisations = [...new Set(visits.map((v) => v.organisation).filter((o): o is string => o !== null))].sort();
  const shown = visits.filter((v) => !organisation || v.organisation === organisation);
  const periodError = trail.error instanceof ApiError ? trail.error : null;
  return (
    <div className="kring-stack kring-portal">
      <Heading level={1}>{t('portal.whoLookedTitle')}</Heading>
      <Paragraph>{t('portal.whoLookedIntro')}</Paragraph>
      <form
        className="kring-filters"
        aria-label={t('portal.whoLookedFilters')}
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          setPeriod({ from: String(data.get('from') ?? ''), to: String(data.get('to') ?? '') });
        }}
      >
        <SelectField
          label={t('portal.whoLookedOrganisation')}
          value={organisation}
          onChange={(event) => setOrganisation(event.target.value)}
          options={[
            { value: '', label: t('portal.whoLookedEveryone') },
            ...organisations.map((o) => ({ value: o, label: o })),
          ]}
        />
        <TextField
          label={t('portal.whoLookedFrom')}
          name="from"
          type="date"
          defaultValue={period.from}
          error={periodError ? fieldMessage(periodError, 'query.from') : undefined}
        />
        <TextField
          label={t('portal.whoLookedTo')}
          name="to"
          type="date"
          defaultValue={period.to}
          error={periodError ? fieldMessage(periodError, 'query.to') : undefined}
        />
        <Button type="submit" appearance="secondary">
          {t('portal.whoLookedShow')}
        </Button>
      </form>
      {trail.isError && !periodError && <PortalUnavailable error={trail.error} />}
      {periodError && <Alert type="error">{errorText(periodError)}</Alert>}
      {!trail.data && !trail.isError && <Paragraph>{t('app.loading')}</Paragraph>}
      {trail.data && (
        <>
          <Paragraph muted aria-live="polite">
            {t('portal.whoLookedCount', { count: shown.length })}
            {trail.data.complete ? '' : ` ${t('portal.whoLookedIncomplete')}`}
          </Paragraph>
          <ol className="kring-list-plain kring-stack kring-card">
            {shown.map((v) => (
              <li key={v.id} className="kring-visit">
                <div>
                  <strong>{who(v)}</strong>
                  {v.kind === 'parent' ? ' ' : ', '}
                  {t(`portal.visitKinds.${v.kind}`)} <span className="kring-muted">— {moment(v.startedAt)}</span>
                </div>
                <details>
                  <summary>{t('portal.visitDetails', { parts: [...new Set(v.areas.map(area))].join(', ') })}</summary>
                  <ul className="kring-list-plain">
                    {v.steps.map((step) => (
                      <li key={step.id}>
                        <span className="kring-muted">{time(step.occurredAt)}</span>{' '}
                        {t(`portal.kinds.${step.kind}`, { what: area(step.area) })}
                      </li>
                    ))}
                  </ul>
                </details>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

/**
 * What is recorded and why: the signals about the family in words written for parents, who
 * recorded them and when, the care the team judged fitting; beside each, the parents' own view.
 */
export function WhatIsRecordedPage() {
  const { t, i18n } = useTranslation();
  const recorded = useQuery({
    queryKey: queryKeys.recorded(),
    queryFn: () => api<WhatIsRecorded>('GET', '/api/portal/recorded'),
  });
  const journey = useQuery({
    queryKey: queryKeys.ourJourney(),
    queryFn: () => api<OurJourney>('GET', '/api/portal/journey'),
  });
  if (recorded.isError) return <PortalUnavailable error={recorded.error} />;
  if (!recorded.data) return <Paragraph>{t('app.loading')}</Paragraph>;
  const { signals, requests } = recorded.data;
  return (
    <ParentPage content={[...signals.map((s) => s.text), ...requests.map((r) => r.about)]}>
      <WhatIsRecordedView data={recorded.data} persons={journey.data?.persons ?? []} />
    </ParentPage>
  );
}

function WhatIsRecordedView({ data, persons }: { data: WhatIsRecorded; persons: OurJourney['persons'] }) {
  const { t, i18n } = useTranslation();
  const say = useParentText();
  const nameOf = (id: string | null) => persons.find((p) => p.id === id)?.givenName ?? null;
  const { signals, judgement, meldcode } = data;
  return (
    <div className="kring-stack kring-portal">
      <Heading level={1}>{t('portal.recordedTitle')}</Heading>
      <Paragraph>{t('portal.recordedIntro')}</Paragraph>
      {judgement && (
        <section className="kring-card kring-stack" aria-labelledby="judgement">
          <Heading level={2} id="judgement">
            {t('portal.judgementTitle')}
          </Heading>
          <Paragraph>{t(`portal.intensities.${judgement.intensity}`)}</Paragraph>
          <Paragraph muted>
            {t('portal.judgedBy', {
              organisation: judgement.organisation,
              date: formatDate(judgement.on.slice(0, 10), i18n.language),
            })}
          </Paragraph>
          <ParentsView
            url={`/api/portal/recorded/judgements/${judgement.id}/view`}
            mine={judgement.myView}
            others={judgement.othersViews}
            label={t('portal.judgementTitle')}
          />
        </section>
      )}
      {meldcode.length > 0 && (
        <section className="kring-card kring-stack" aria-labelledby="safety">
          <Heading level={2} id="safety">
            {t('portal.safetyTitle')}
          </Heading>
          {meldcode.map((route) => (
            <Paragraph key={route.id}>
              {t('portal.safetyRoute', {
                organisation: route.organisation,
                date: formatDate(route.startedAt.slice(0, 10), i18n.language),
              })}{' '}
              {t(`portal.safetyOutcome.${route.outcome ?? 'open'}`)}
            </Paragraph>
          ))}
        </section>
      )}
      <section className="kring-card kring-stack" aria-labelledby="signals">
        <Heading level={2} id="signals">
          {t('portal.signalsTitle')}
        </Heading>
        {signals.length === 0 && <Paragraph muted>{t('portal.noSignals')}</Paragraph>}
        <ul className="kring-list-plain kring-stack">
          {signals.map((signal) => (
            <li key={signal.id} className="kring-stack">
              <div>
                <strong>{say(signal.text)}</strong>
                {nameOf(signal.concernsPersonId) && ` · ${nameOf(signal.concernsPersonId)}`}
                {!signal.current && ` · ${t('portal.earlier')}`}
              </div>
              <div className="kring-muted">
                {signal.recordedBy
                  ? t('portal.recordedBy', {
                      organisation: signal.recordedBy.organisation,
                      role: signal.recordedBy.role ? t(`disciplines.${signal.recordedBy.role}`) : '',
                      date: formatDate(signal.recordedAt.slice(0, 10), i18n.language),
                    })
                  : t('portal.recordedByYou', { date: formatDate(signal.recordedAt.slice(0, 10), i18n.language) })}
              </div>
              <ParentsView
                url={`/api/portal/recorded/signals/${signal.id}/view`}
                mine={signal.myView}
                others={signal.othersViews}
                label={say(signal.text)}
              />
            </li>
          ))}
        </ul>
      </section>
      <ParentRequests data={data} />
    </div>
  );
}

/** The parents ask to correct or delete something, and see what was decided and why. */
function ParentRequests({ data }: { data: WhatIsRecorded }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const say = useParentText();
  const [form, setForm] = useState({ kind: 'correction', signalId: '', text: '' });
  const file = useMutation({
    mutationFn: () =>
      api('POST', '/api/portal/data-requests', {
        kind: form.kind,
        ...(form.signalId ? { signalId: form.signalId } : {}),
        text: form.text,
      }),
    onSuccess: () => {
      setForm({ kind: 'correction', signalId: '', text: '' });
      return queryClient.invalidateQueries({ queryKey: queryKeys.recorded() });
    },
  });
  return (
    <section className="kring-card kring-stack" aria-labelledby="our-requests">
      <Heading level={2} id="our-requests">
        {t('portal.requestsTitle')}
      </Heading>
      <Paragraph muted>{t('portal.requestsIntro')}</Paragraph>
      <ul className="kring-list-plain kring-stack">
        {data.requests.map((r) => (
          <li key={r.id}>
            <div>
              <strong>{t(`portal.requestKinds.${r.kind}`)}</strong>
              {' · '}
              {r.about ? say(r.about) : t(`portal.requestAbout.${r.recordType}`)}
            </div>
            <div>“{r.text}”</div>
            <div className="kring-muted">
              {r.status === 'open'
                ? t('portal.requestDue', {
                    organisation: r.organisation,
                    date: formatDate(r.answerDueOn, i18n.language),
                  })
                : t('portal.requestDecided', {
                    decision: t(`dataRequests.statuses.${r.status}`),
                    organisation: r.organisation,
                    date: formatDate(r.decidedAt?.slice(0, 10) ?? null, i18n.language),
                  })}
            </div>
            {r.status !== 'open' && (r.ground || r.reason) && (
              <div>
                {r.ground ? `${t(`dataRequests.grounds.${r.ground}`)}. ` : ''}
                {r.reason}
              </div>
            )}
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('portal.requestAdd')}</summary>
        <ActionForm action={file} saved={t('portal.requestSaved')}>
          <SelectField
            label={t('portal.requestKind')}
            value={form.kind}
            onChange={(e) => setForm({ ...form, kind: e.target.value })}
            options={(['correction', 'deletion'] as const).map((k) => ({
              value: k,
              label: t(`portal.requestKinds.${k}`),
            }))}
          />
          <SelectField
            label={t('portal.requestEntry')}
            value={form.signalId}
            error={fieldMessage(file.error, 'body.signalId')}
            onChange={(e) => setForm({ ...form, signalId: e.target.value })}
            options={[
              { value: '', label: t('portal.requestOther') },
              ...data.signals.map((s) => ({ value: s.id, label: say(s.text) })),
            ]}
          />
          <TextAreaField
            label={t('portal.requestText')}
            rows={3}
            value={form.text}
            error={fieldMessage(file.error, 'body.text')}
            onChange={(e) => setForm({ ...form, text: e.target.value })}
          />
          <div>
            <Button type="submit" busy={file.isPending}>
              {t('portal.requestSubmit')}
            </Button>
          </div>
        </ActionForm>
      </details>
    </section>
  );
}

/** A portal page that cannot be shown: the account is paused (a safety measure: nothing more is said), or not linked yet. */
export function PortalUnavailable({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const paused = error instanceof ApiError && error.code === 'ACCOUNT_PAUSED';
  return <Alert type="info">{paused ? t('errors.ACCOUNT_PAUSED') : t('portal.notLinked')}</Alert>;
}

type OwnView = { view: string; shownToFamily: boolean } | null;

/** This parent's own view beside an entry (theirs alone unless they choose), and what the others chose to show. */
function ParentsView({
  url,
  mine,
  others,
  label,
}: {
  url: string;
  mine: OwnView;
  others: { givenName: string | null; view: string }[];
  label: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState(mine?.view ?? '');
  const [showToFamily, setShowToFamily] = useState(mine?.shownToFamily ?? false);
  const save = useMutation({
    mutationFn: () => api('PUT', url, { view: text, showToFamily }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.recorded() }),
  });
  return (
    <>
      {mine && <div className="kring-parents-view">{t('portal.yourView', { view: mine.view })}</div>}
      {others.map((other) => (
        <div key={`${other.givenName}-${other.view}`} className="kring-parents-view">
          {t('portal.othersView', { name: other.givenName ?? t('audience.unnamed'), view: other.view })}
        </div>
      ))}
      <details>
        <summary>
          {mine ? t('portal.changeView') : t('portal.addView')}
          <span className="visually-hidden"> {label}</span>
        </summary>
        <ActionForm action={save} saved={t('portal.viewSaved')}>
          <TextAreaField
            label={t('portal.viewLabel', { what: label })}
            rows={3}
            value={text}
            error={fieldMessage(save.error, 'body.view')}
            onChange={(e) => setText(e.target.value)}
          />
          <Checkbox
            label={t('portal.viewToFamily')}
            checked={showToFamily}
            onChange={(e) => setShowToFamily(e.target.checked)}
          />
          <div>
            <Button type="submit" busy={save.isPending}>
              {t('portal.saveView')}
            </Button>
          </div>
        </ActionForm>
      </details>
    </>
  );
}

/** Questions for home: answer before a visit, each with why it is asked; skip any. */
export function HomeGuidesPage() {
  const { t, i18n } = useTranslation();
  const home = useQuery({
    queryKey: queryKeys.homeGuides(),
    queryFn: () => api<HomeGuides>('GET', '/api/portal/guides'),
  });
  if (home.isError) return <PortalUnavailable error={home.error} />;
  if (!home.data) return <Paragraph>{t('app.loading')}</Paragraph>;
  // A guide's questions are content: a validated questionnaire only in the languages it was validated in.
  const content = home.data.requests.flatMap((r) => [
    r.title,
    ...r.items.flatMap((item) => [item.text, item.why, ...(item.options ?? [])]),
  ]);
  return (
    <ParentPage content={content}>
      <HomeGuidesView requests={home.data.requests} />
    </ParentPage>
  );
}

function HomeGuidesView({ requests }: { requests: HomeGuides['requests'] }) {
  const { t } = useTranslation();
  return (
    <div className="kring-stack kring-portal">
      <Heading level={1}>{t('portal.homeTitle')}</Heading>
      <Paragraph>{t('portal.homeIntro')}</Paragraph>
      {requests.length === 0 && <Paragraph muted>{t('portal.noQuestions')}</Paragraph>}
      {requests.map((request) => (
        <HomeGuide key={request.id} request={request} />
      ))}
    </div>
  );
}

function HomeGuide({ request }: { request: HomeGuides['requests'][number] }) {
  const { t, i18n } = useTranslation();
  const label = useParentText();
  const queryClient = useQueryClient();
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const submit = useMutation({
    mutationFn: () =>
      api<Answer<typeof portalRoutes, 'POST /api/portal/guides/:requestId'>>(
        'POST',
        `/api/portal/guides/${request.id}`,
        {
          answers: Object.entries(answers)
            .filter(([, value]) => value !== '')
            .map(([code, value]) => {
              const item = request.items.find((i) => i.code === code);
              return { code, value: item?.type === 'yesno' ? value === 'yes' : value };
            }),
        },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.homeGuides() }),
  });
  /** An earlier answer as the parent gave it: yes or no, the option's words, their own text. */
  const answerInWords = (item: (typeof request.items)[number], value: unknown) => {
    if (typeof value === 'boolean') return t(value ? 'portal.yes' : 'portal.no');
    const option = item.options?.find((o) => o.value === value);
    return option ? label(option) : String(value);
  };
  const set = (code: string, value: string) => setAnswers({ ...answers, [code]: value });
  return (
    <section className="kring-card kring-stack" aria-label={label(request.title)}>
      <Heading level={2}>{label(request.title)}</Heading>
      <Paragraph muted>
        {t('portal.sentBy', {
          organisation: request.organisation,
          date: formatDate(request.sentAt.slice(0, 10), i18n.language),
        })}
      </Paragraph>
      <ActionForm action={submit}>
        {request.items.map((item) => {
          const why = `${t('portal.why')} ${label(item.why)}${
            item.alreadyAnswered
              ? ` ${t('portal.alreadyAnswered', {
                  organisation: item.alreadyAnswered.organisation,
                  date: formatDate(item.alreadyAnswered.on.slice(0, 10), i18n.language),
                  value: answerInWords(item, item.alreadyAnswered.value),
                })}`
              : ''
          }`;
          if (item.type === 'text') {
            return (
              <TextAreaField
                key={item.code}
                label={label(item.text)}
                description={why}
                rows={3}
                value={answers[item.code] ?? ''}
                onChange={(e) => set(item.code, e.target.value)}
              />
            );
          }
          const options =
            item.type === 'yesno'
              ? [
                  { value: 'yes', label: t('portal.yes') },
                  { value: 'no', label: t('portal.no') },
                ]
              : (item.options ?? []).map((o) => ({ value: o.value, label: label(o) }));
          return (
            <SelectField
              key={item.code}
              label={label(item.text)}
              description={why}
              value={answers[item.code] ?? ''}
              onChange={(e) => set(item.code, e.target.value)}
              options={[{ value: '', label: t('portal.skip') }, ...options]}
            />
          );
        })}
        <div>
          <Button type="submit" busy={submit.isPending}>
            {t('portal.sendAnswers')}
          </Button>
        </div>
      </ActionForm>
    </section>
  );
}

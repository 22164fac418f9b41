import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PHASES } from '../../../../server/src/families/trajectory.ts';
import type { guideRoutes } from '../../../../server/src/guides/guide.routes.ts';
import { type Answer, api } from '../../api.ts';
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
  TextAreaField,
  TextField,
} from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { ConsultationsSection } from '../consultations/consultations.tsx';
import { DataRequestsSection } from '../data-requests/data-requests-section.tsx';
import { GuidesSection } from '../guides/guides-section.tsx';
import { MeldcodeSection, OverridesSection } from '../meldcode/meldcode.tsx';
import { PlanSection } from '../plan/plan-section.tsx';
import { ParentInvitationSection } from '../portal/portal.tsx';
import { useCatalogue } from '../referrals/referrals-api.ts';
import { ReferralsSection } from '../referrals/referrals-section.tsx';
import { SafetyMeasuresSection } from '../safety/safety-measures-section.tsx';
import { PictureSection, useCodes } from '../signals/picture-section.tsx';
import { CATEGORIES, CategoryCheckboxes, GivenHowSelect } from './consent-fields.tsx';
import {
  type FamilyRecord,
  fieldMessage,
  formatDate,
  languageName,
  momentName,
  roleLabel,
  useOrganisations,
} from './families-api.ts';
import {
  type AudienceDecision,
  AudienceDecisionForm,
  AudienceNote,
  ParentsAudienceField,
} from './parents-audience-field.tsx';
import { SexField } from './sex-field.tsx';

/** The ribbon shows every phase of the 1001 days; 'ended' is not a phase a family is shown in. */
const RIBBON = PHASES.filter((phase) => phase !== 'ended');
const CONTACT_KINDS = [
  'prenatal_check',
  'home_visit',
  'kraam_visit',
  'consultatiebureau',
  'phone_video',
  'group_session',
] as const;

type Trajectory = FamilyRecord['trajectories'][number];

const today = () => new Date().toISOString().slice(0, 10);

/** The family record: trajectory, members, team, consent, contacts, handover — one request. */
export function FamilyRecordPage({ familyId }: { familyId: string }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const record = useQuery({
    queryKey: queryKeys.family(familyId),
    queryFn: () => api<FamilyRecord>('GET', `/api/families/${familyId}`),
  });
  // A deep link (/gezinnen/:id#plan-en-hulp, or a task's link) opens the record at that part, with focus there.
  const loaded = record.data !== undefined;
  useEffect(() => {
    if (!loaded || !window.location.hash) return;
    const target = document.getElementById(window.location.hash.slice(1));
    target?.scrollIntoView();
    target?.focus({ preventScroll: true });
  }, [loaded]);
  if (record.error) return <Alert type="error">{errorText(record.error)}</Alert>;
  if (!record.data) return <Paragraph>{t('app.loading')}</Paragraph>;
  const data = record.data;
  const nameOf = (personId: string) => {
    const person = data.persons.find((p) => p.id === personId);
    return person ? [person.givenName, person.familyName].filter(Boolean).join(' ') || t(`roles.${person.role}`) : '';
  };
  const roleOf = (person: FamilyRecord['persons'][number]) => roleLabel(person, data.persons);
  const authorityLine = (childId: string) => {
    const holders = data.persons.filter((p) => p.authorityOver.includes(childId)).map((p) => nameOf(p.id));
    return holders.length ? t('record.authorityOf', { names: holders.join(', ') }) : t('record.noAuthority');
  };
  const main = data.persons.find((p) => p.role === 'pregnant_person');
  // Break-the-glass reads only: no form of the record is offered.
  const open = data.family.status === 'open' && !data.emergency;
  return (
    <div className="kring-stack">
      <Link href="/">{t('record.back')}</Link>
      <Heading level={1}>{main ? nameOf(main.id) : t('families.columns.family')}</Heading>
      <Paragraph muted>
        {[data.family.street, data.family.houseNumber].filter(Boolean).join(' ')} · {data.family.postcode} ·{' '}
        {data.family.neighbourhood}
      </Paragraph>
      {!open && <Alert type="info">{t('record.closed')}</Alert>}
      {data.emergency && (
        <Alert type="warning">
          {t('emergency.onRecord')}{' '}
          {data.emergencyUntil &&
            t('emergency.until', {
              time: new Date(data.emergencyUntil).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'nl-NL', {
                weekday: 'long',
                day: 'numeric',
                month: 'long',
                hour: '2-digit',
                minute: '2-digit',
              }),
            })}
        </Alert>
      )}
      <RecordSectionsNav emergency={data.emergency} />
      <RecordGroup id="overzicht">
        {data.trajectories.map((trajectory) => (
          <TrajectoryCard
            key={trajectory.id}
            trajectory={trajectory}
            childName={trajectory.childPersonId ? nameOf(trajectory.childPersonId) : ''}
            familyId={familyId}
            open={open}
          />
        ))}
        <section className="kring-card" aria-labelledby="persons">
          <Heading level={2} id="persons">
            {t('record.persons')}
          </Heading>
          <Paragraph>
            {t('record.homeLanguage', { language: languageName(data.family.language, i18n.language) })}
            {data.family.interpreterNeeded && (
              <>
                {' '}
                <span className="kring-badge">{t('record.interpreterNeeded')}</span>
              </>
            )}
          </Paragraph>
          <ul>
            {data.persons.map((person) => (
              <li key={person.id}>
                <strong>{nameOf(person.id)}</strong> — {roleOf(person)}
                {person.childStatus ? ` (${t(`childStatus.${person.childStatus}`)})` : ''}
                {person.sex ? `, ${t(`sexes.${person.sex}`)}` : ''}
                {person.birthDate ? `, ${formatDate(person.birthDate, i18n.language)}` : ''}
                {isChild(person) && ` · ${authorityLine(person.id)}`}
                {person.kringLanguage &&
                  ` · ${t('record.readsKringIn', { language: languageName(person.kringLanguage, i18n.language) })}`}
                {person.protectionMeasure && (
                  <>
                    {' '}
                    <span className="kring-badge">
                      {t('record.ots', {
                        since: formatDate(person.protectionMeasure.since, i18n.language),
                        organisation: person.protectionMeasure.organisationName ?? '',
                      })}
                    </span>
                  </>
                )}
              </li>
            ))}
          </ul>
          {open && data.persons.some(isChild) && (
            <ParentalAuthorityForm familyId={familyId} record={data} nameOf={nameOf} roleOf={roleOf} />
          )}
          {open && data.persons.some((p) => p.role === 'child' && p.childStatus === 'born') && (
            <ProtectionMeasureForm familyId={familyId} record={data} nameOf={nameOf} />
          )}
        </section>
      </RecordGroup>
      <RecordGroup id="wat-speelt-er">
        <PictureSection familyId={familyId} record={data} nameOf={nameOf} open={open} />
      </RecordGroup>
      <RecordGroup id="gesprekken">
        <GuidesSection familyId={familyId} record={data} nameOf={nameOf} open={open} />
        {!data.emergency && <ConsultationsSection familyId={familyId} open={open} />}
      </RecordGroup>
      <RecordGroup id="plan-en-hulp">
        <PlanSection familyId={familyId} record={data} nameOf={nameOf} />
        <ReferralsSection familyId={familyId} record={data} open={open} />
      </RecordGroup>
      <RecordGroup id="tijdlijn">
        <section className="kring-card kring-stack" aria-labelledby="contacts">
          <Heading level={2} id="contacts">
            {t('record.contacts')}
          </Heading>
          {data.withheldEntries > 0 && (
            <Alert type="info">{t('record.withheld', { count: data.withheldEntries })}</Alert>
          )}
          {data.contacts.length === 0 ? (
            <Paragraph>{t('record.noContacts')}</Paragraph>
          ) : (
            <ul className="kring-timeline">
              {data.contacts.map((contact) => (
                <li key={contact.id}>
                  <strong>{formatDate(contact.occurredOn, i18n.language)}</strong> · {t(`contactKinds.${contact.kind}`)}{' '}
                  · {contact.organisationName} ({contact.professionalName}) ·{' '}
                  {contact.concernsPersonId ? nameOf(contact.concernsPersonId) : t('record.wholeFamily')}
                  {contact.interpreterUsed && ` · ${t('record.interpreterUsed')}`}
                  {contact.note && <div>{contact.note}</div>}
                  <AudienceNote decision={contact.parentsAudience} safetyAboutFamily={false} nameOf={nameOf} />
                  {open && (
                    <AudienceDecisionForm
                      familyId={familyId}
                      recordType="contact"
                      recordId={contact.id}
                      concernsPersonId={contact.concernsPersonId}
                      label={`${formatDate(contact.occurredOn, i18n.language)} ${t(`contactKinds.${contact.kind}`)}`}
                      current={contact.parentsAudience}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
          {open && (
            <ContactForm familyId={familyId} persons={data.persons.map((p) => ({ id: p.id, name: nameOf(p.id) }))} />
          )}
        </section>
        {data.handovers.length > 0 && (
          <section className="kring-card" aria-labelledby="handovers">
            <Heading level={2} id="handovers">
              {t('record.handovers')}
            </Heading>
            <ul>
              {data.handovers.map((h) => (
                <li key={h.id}>
                  {h.fromOrganisationName} → {h.toOrganisationName}: {t(`record.handoverStatus.${h.status}`)}
                </li>
              ))}
            </ul>
          </section>
        )}
      </RecordGroup>
      <RecordGroup id="team-en-toestemming">
        <section className="kring-card" aria-labelledby="team">
          <Heading level={2} id="team">
            {t('record.team')}
          </Heading>
          <ul>
            {data.team.map((member) => (
              <li key={member.organisationId}>
                <strong>{member.organisationName}</strong>:{' '}
                {member.professionals
                  .map(
                    (p) =>
                      `${p.name}${p.isRegiehouder ? ` (${t('families.regiehouder')})` : ''}${
                        p.legalRole ? ` (${t(`legalRoles.${p.legalRole}`)})` : ''
                      }`,
                  )
                  .join(', ')}
              </li>
            ))}
          </ul>
        </section>
        {open && data.joinRequests.length > 0 && <JoinRequests familyId={familyId} record={data} />}
        <ConsentSection familyId={familyId} record={data} nameOf={nameOf} open={open} />
        {open && <HandoverForm familyId={familyId} record={data} />}
        {!data.emergency && open && <ParentInvitationSection familyId={familyId} record={data} nameOf={nameOf} />}
        {!data.emergency && <DataRequestsSection familyId={familyId} record={data} nameOf={nameOf} />}
      </RecordGroup>
      {!data.emergency && (
        <RecordGroup id="veiligheid">
          <MeldcodeSection familyId={familyId} open={open} />
          <OverridesSection familyId={familyId} />
          <SafetyMeasuresSection familyId={familyId} record={data} nameOf={nameOf} open={open} />
        </RecordGroup>
      )}
    </div>
  );
}

/** The record's parts, in the order of the menu: one click (and a deep link, /gezinnen/:id#plan-en-hulp) to each. */
const RECORD_GROUPS = [
  'overzicht',
  'wat-speelt-er',
  'gesprekken',
  'plan-en-hulp',
  'tijdlijn',
  'team-en-toestemming',
  'veiligheid',
] as const;

/** The menu of the record's parts; it stays in view while the record scrolls. */
function RecordSectionsNav({ emergency }: { emergency: boolean }) {
  const { t } = useTranslation();
  return (
    <nav className="kring-record-nav" aria-label={t('record.groups.nav')}>
      <ul>
        {RECORD_GROUPS.filter((group) => !(emergency && group === 'veiligheid')).map((group) => (
          <li key={group}>
            <a className="utrecht-link utrecht-link--html-a" href={`#${group}`}>
              {t(`record.groups.${group}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** One part of the record; a link to it (or a task that opens it) moves the focus there. */
function RecordGroup({ id, children }: { id: (typeof RECORD_GROUPS)[number]; children: ReactNode }) {
  return (
    <div id={id} className="kring-stack kring-record-group" tabIndex={-1}>
      {children}
    </div>
  );
}

function TrajectoryCard({
  trajectory,
  childName,
  familyId,
  open,
}: {
  trajectory: Trajectory;
  childName: string;
  familyId: string;
  open: boolean;
}) {
  const { t, i18n } = useTranslation();
  const view = trajectory.view;
  const codes = useCodes();
  const { nameOf: interventionName } = useCatalogue();
  const guideTitles = useQuery({
    queryKey: queryKeys.guides(),
    queryFn: () => api<Answer<typeof guideRoutes, 'GET /api/guides'>>('GET', '/api/guides'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  /** What an event on the ribbon was, in words. */
  const eventLabel = (event: Trajectory['events'][number]) => {
    if (event.kind === 'contact') return t(`contactKinds.${event.what}`);
    if (event.kind === 'birth') return t('record.birthEvent');
    if (event.kind === 'signal') return `${t('record.signalEvent')}: ${codes.codeLabel(event.what)}`;
    if (event.kind === 'guide') {
      const guide = guideTitles.data?.guides.find((g) => g.key === event.what);
      return guide ? (i18n.language === 'en' ? guide.title.en : guide.title.nl) : t('record.guideEvent');
    }
    if (event.kind === 'goal') return `${t('plan.goal')} (${t(`plan.goalStatus.${event.what}`)})`;
    if (event.kind === 'referral') {
      const [key, status] = event.what.split(':');
      return `${t('referrals.event')}: ${key === 'assessment' ? t('referrals.assessment') : interventionName(key)} (${t(`referrals.status.${status}`)})`;
    }
    if (event.kind === 'judgement') {
      const [intensity, status] = event.what.split(':');
      return `${t('judgement.title')}: ${t(`judgement.intensity.${intensity}`)} (${t(`judgement.status.${status}`)})`;
    }
    return t('record.handoverEvent');
  };
  const phase = view?.phase ?? (trajectory.kind === 'preconception' ? 'preconception' : undefined);
  return (
    <section className="kring-card kring-stack" aria-label={`${t('record.trajectory')} ${childName}`}>
      <Heading level={2}>
        {t('record.trajectory')}
        {childName ? `: ${childName}` : ''}
      </Heading>
      {/* The phases in one compact strip, how much happened in each; the events themselves on demand. */}
      <ol className="kring-ribbon">
        {RIBBON.map((step) => {
          const count = trajectory.events.filter((event) => event.phase === step).length;
          return (
            <li key={step} aria-current={step === phase ? 'step' : undefined}>
              <span className="kring-ribbon__phase">{t(`phases.${step}`)}</span>
              {count > 0 && <span className="kring-ribbon__count">{t('record.eventCount', { count })}</span>}
            </li>
          );
        })}
      </ol>
      {trajectory.events.length > 0 && (
        <details className="kring-ribbon-log">
          <summary>{t('record.ribbonEvents', { count: trajectory.events.length })}</summary>
          {RIBBON.filter((step) => trajectory.events.some((event) => event.phase === step)).map((step) => (
            <section key={step} aria-label={t(`phases.${step}`)} data-phase={step}>
              <Heading level={3}>{t(`phases.${step}`)}</Heading>
              <ul className="kring-list-plain">
                {trajectory.events
                  .filter((event) => event.phase === step)
                  .map((event, i) => (
                    <li key={`${event.date}-${i.toString()}`}>
                      {event.day !== null && (
                        <span className="kring-ribbon__day">{t('record.dayShort', { day: event.day })}</span>
                      )}{' '}
                      {eventLabel(event)}
                      {' · '}
                      {event.kind === 'birth'
                        ? t(`record.places.${event.organisationName}`, { defaultValue: event.organisationName })
                        : event.organisationName}
                      {event.professionalName ? ` (${event.professionalName})` : ''}
                    </li>
                  ))}
              </ul>
            </section>
          ))}
        </details>
      )}
      <div className="kring-facts">
        {view?.day && <span className="kring-badge">{t('record.today', { day: view.day })}</span>}
        {view?.gestation && <span>{t('record.gestation', view.gestation)}</span>}
        {trajectory.dueDate && (
          <span>{t('record.dueDate', { date: formatDate(trajectory.dueDate, i18n.language) })}</span>
        )}
        {trajectory.birthDate && (
          <span>
            {t('record.born', {
              date: formatDate(trajectory.birthDate, i18n.language),
              weight: trajectory.birthWeightGrams,
            })}
          </span>
        )}
        {view?.preterm && view.gestationalAgeAtBirthDays !== null && (
          <span className="kring-badge">
            {t('record.preterm', { weeks: Math.floor(view.gestationalAgeAtBirthDays / 7) })}
          </span>
        )}
        {view?.lowBirthWeight && <span className="kring-badge">{t('record.lowBirthWeight')}</span>}
        {view?.preterm && view.correctedAgeDays !== null && (
          <span>{t('record.correctedAge', { days: view.correctedAgeDays })}</span>
        )}
        {view && <span>{t('record.endsOn', { date: formatDate(view.endsOn, i18n.language) })}</span>}
      </div>
      {trajectory.schedule.length > 0 && (
        <details>
          <summary>{t('record.schedule')}</summary>
          <ul>
            {trajectory.schedule.map((item) => (
              <li key={item.key}>
                {momentName(t, item.key)} · {formatDate(item.targetDate, i18n.language)}:{' '}
                {item.status === 'overdue' ? (
                  <span className="kring-badge kring-badge--warning">{t('record.scheduleStatus.overdue')}</span>
                ) : (
                  t(`record.scheduleStatus.${item.status}`)
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
      {open && trajectory.kind === 'child' && !trajectory.birthDate && trajectory.status === 'open' && (
        <BirthForm familyId={familyId} trajectory={trajectory} />
      )}
    </section>
  );
}

function useSaved(familyId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.family(familyId) });
}

function BirthForm({ familyId, trajectory }: { familyId: string; trajectory: Trajectory }) {
  const { t } = useTranslation();
  const refresh = useSaved(familyId);
  const [form, setForm] = useState({
    birthDate: today(),
    birthWeightGrams: '',
    birthPlace: 'hospital',
    sex: '',
    givenName: '',
  });
  const save = useMutation({
    mutationFn: () =>
      api('POST', `/api/families/${familyId}/trajectories/${trajectory.id}/birth`, {
        birthDate: form.birthDate,
        birthWeightGrams: Number(form.birthWeightGrams),
        birthPlace: form.birthPlace,
        ...(form.sex ? { sex: form.sex } : {}),
        ...(form.givenName ? { givenName: form.givenName } : {}),
        version: trajectory.version,
      }),
    onSettled: refresh,
  });
  return (
    <details>
      <summary>{t('record.birth')}</summary>
      <ActionForm action={save}>
        <div className="kring-grid">
          <TextField
            label={t('record.birthDate')}
            type="date"
            value={form.birthDate}
            error={fieldMessage(save.error, 'body.birthDate')}
            onChange={(e) => setForm({ ...form, birthDate: e.target.value })}
          />
          <TextField
            label={t('record.birthWeight')}
            inputMode="numeric"
            value={form.birthWeightGrams}
            error={fieldMessage(save.error, 'body.birthWeightGrams')}
            onChange={(e) => setForm({ ...form, birthWeightGrams: e.target.value })}
          />
          <SelectField
            label={t('record.birthPlace')}
            value={form.birthPlace}
            onChange={(e) => setForm({ ...form, birthPlace: e.target.value })}
            options={['home', 'hospital', 'birth_centre', 'other'].map((value) => ({
              value,
              label: t(`record.places.${value}`),
            }))}
          />
          <SexField
            value={form.sex}
            error={fieldMessage(save.error, 'body.sex')}
            onChange={(sex) => setForm({ ...form, sex })}
          />
          <TextField
            label={t('record.childName')}
            value={form.givenName}
            onChange={(e) => setForm({ ...form, givenName: e.target.value })}
          />
        </div>
        <Button type="submit" busy={save.isPending}>
          {t('record.save')}
        </Button>
      </ActionForm>
    </details>
  );
}

function ContactForm({ familyId, persons }: { familyId: string; persons: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const refresh = useSaved(familyId);
  const [form, setForm] = useState({
    occurredOn: today(),
    kind: 'prenatal_check',
    note: '',
    category: 'medical',
    concerns: '',
    interpreterUsed: false,
  });
  const [present, setPresent] = useState<string[]>([]);
  const [audience, setAudience] = useState<AudienceDecision>(null);
  const save = useMutation({
    mutationFn: () =>
      api('POST', `/api/families/${familyId}/contacts`, {
        occurredOn: form.occurredOn,
        kind: form.kind,
        category: form.category,
        concernsPersonId: form.concerns || null,
        presentPersonIds: present,
        interpreterUsed: form.interpreterUsed,
        ...(form.note.trim() ? { note: form.note.trim() } : {}),
        ...(audience ? { parentsAudience: audience } : {}),
      }),
    onSuccess: () => {
      setForm({ ...form, note: '', interpreterUsed: false });
      setPresent([]);
      setAudience(null);
      void refresh();
    },
  });
  return (
    <ActionForm
      action={save}
      heading={
        <Heading level={3} id="record-contact">
          {t('record.recordContact')}
        </Heading>
      }
      saved={t('record.saved')}
      aria-labelledby="record-contact"
    >
      <div className="kring-grid">
        <TextField
          label={t('record.date')}
          type="date"
          value={form.occurredOn}
          error={fieldMessage(save.error, 'body.occurredOn')}
          onChange={(e) => setForm({ ...form, occurredOn: e.target.value })}
        />
        <SelectField
          label={t('record.kind')}
          value={form.kind}
          onChange={(e) => setForm({ ...form, kind: e.target.value })}
          options={CONTACT_KINDS.map((value) => ({ value, label: t(`contactKinds.${value}`) }))}
        />
        <SelectField
          label={t('record.category')}
          value={form.category}
          onChange={(e) => setForm({ ...form, category: e.target.value })}
          options={CATEGORIES.map((value) => ({ value, label: t(`categories.${value}`) }))}
        />
        <SelectField
          label={t('record.concerns')}
          value={form.concerns}
          error={fieldMessage(save.error, 'body.concernsPersonId')}
          onChange={(e) => setForm({ ...form, concerns: e.target.value })}
          options={[
            { value: '', label: t('record.wholeFamily') },
            ...persons.map((person) => ({ value: person.id, label: person.name })),
          ]}
        />
      </div>
      <Fieldset legend={t('record.present')}>
        {persons.map((person) => (
          <Checkbox
            key={person.id}
            label={person.name}
            checked={present.includes(person.id)}
            onChange={(e) =>
              setPresent(e.target.checked ? [...present, person.id] : present.filter((id) => id !== person.id))
            }
          />
        ))}
        <Checkbox
          label={t('record.interpreterPresent')}
          checked={form.interpreterUsed}
          onChange={(e) => setForm({ ...form, interpreterUsed: e.target.checked })}
        />
      </Fieldset>
      <TextAreaField
        label={t('record.note')}
        value={form.note}
        onChange={(e) => setForm({ ...form, note: e.target.value })}
      />
      <ParentsAudienceField
        familyId={familyId}
        concernsPersonId={form.concerns || null}
        value={audience}
        onChange={setAudience}
        error={save.error}
      />
      <Button type="submit" busy={save.isPending}>
        {t('record.save')}
      </Button>
    </ActionForm>
  );
}

/**
 * Requests of other organisations to join the team: accepting asks for the parents' consent for
 * that organisation in the same step (what is shared, and with whom).
 */
function JoinRequests({ familyId, record }: { familyId: string; record: FamilyRecord }) {
  const { t } = useTranslation();
  return (
    <section className="kring-card kring-stack" aria-labelledby="join-requests">
      <Heading level={2} id="join-requests">
        {t('record.joinRequests')}
      </Heading>
      {record.joinRequests.map((request) => (
        <JoinRequest key={request.taskId} familyId={familyId} request={request} />
      ))}
    </section>
  );
}

/** One request, with the parents' consent for that organisation chosen for it alone. */
function JoinRequest({ familyId, request }: { familyId: string; request: FamilyRecord['joinRequests'][number] }) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const refresh = useSaved(familyId);
  const [categories, setCategories] = useState<string[]>([]);
  const [givenHow, setGivenHow] = useState('');
  const decide = useMutation({
    mutationFn: (accept: boolean) =>
      api('POST', `/api/tasks/${request.taskId}/${accept ? 'accept-join' : 'decline-join'}`, {
        version: request.version,
        ...(accept ? { consent: { categories, givenHow } } : {}),
      }),
    onSuccess: refresh,
  });
  return (
    <article className="kring-stack" aria-label={request.organisationName}>
      {decide.error && <Alert type="error">{errorText(decide.error)}</Alert>}
      <Paragraph>
        {t('record.joinRequest', {
          professional: request.professionalName,
          organisation: request.organisationName,
          date: formatDate(request.requestedAt.slice(0, 10), i18n.language),
        })}
      </Paragraph>
      <Fieldset
        legend={t('record.joinConsent', { organisation: request.organisationName })}
        error={fieldMessage(decide.error, 'body.consent.categories')}
      >
        <CategoryCheckboxes value={categories} onChange={setCategories} />
      </Fieldset>
      <GivenHowSelect
        value={givenHow}
        onChange={setGivenHow}
        error={fieldMessage(decide.error, 'body.consent.givenHow')}
      />
      <div className="kring-row">
        <Button busy={decide.isPending} onClick={() => decide.mutate(true)}>
          {t('record.addToTeam')}
        </Button>
        <Button appearance="secondary" onClick={() => decide.mutate(false)}>
          {t('handovers.decline')}
        </Button>
      </div>
    </article>
  );
}

/** A child of the family, expected or born (not of a pregnancy that ended). */
const isChild = (p: FamilyRecord['persons'][number]) =>
  (p.role === 'child' || p.role === 'sibling') && p.childStatus !== 'pregnancy_ended';

/** Who holds parental authority over each child, and changing it with a reason. */
function ParentalAuthorityForm({
  familyId,
  record,
  nameOf,
  roleOf,
}: {
  familyId: string;
  record: FamilyRecord;
  nameOf: (personId: string) => string;
  roleOf: (person: FamilyRecord['persons'][number]) => string;
}) {
  const { t } = useTranslation();
  const refresh = useSaved(familyId);
  const children = record.persons.filter(isChild);
  const adults = record.persons.filter((p) => p.role !== 'child' && p.role !== 'sibling');
  const [childId, setChildId] = useState(children[0]?.id ?? '');
  const child = children.find((c) => c.id === childId) ?? children[0];
  const current = adults.filter((a) => child && a.authorityOver.includes(child.id)).map((a) => a.id);
  const [holders, setHolders] = useState<string[] | null>(null);
  const [reason, setReason] = useState('');
  const chosen = holders ?? current;
  const save = useMutation({
    mutationFn: () =>
      api('PUT', `/api/families/${familyId}/persons/${child?.id}/parental-authority`, {
        holders: chosen,
        reason,
        version: child?.version,
      }),
    onSuccess: () => {
      setHolders(null);
      setReason('');
    },
    onSettled: refresh,
  });
  if (!child) return null;
  return (
    <details>
      <summary>{t('record.parentalAuthority')}</summary>
      <ActionForm action={save}>
        <Paragraph muted>{t('record.parentalAuthorityHint')}</Paragraph>
        <SelectField
          label={t('record.child')}
          value={child.id}
          onChange={(e) => {
            setChildId(e.target.value);
            setHolders(null);
          }}
          options={children.map((c) => ({ value: c.id, label: nameOf(c.id) }))}
        />
        <Fieldset legend={t('record.authorityHolders')} error={fieldMessage(save.error, 'body.holders')}>
          {adults.map((adult) => (
            <Checkbox
              key={adult.id}
              label={`${nameOf(adult.id)} (${roleOf(adult)})`}
              checked={chosen.includes(adult.id)}
              error={fieldMessage(save.error, `body.holders.${chosen.indexOf(adult.id)}`) ?? undefined}
              onChange={(e) =>
                setHolders(e.target.checked ? [...chosen, adult.id] : chosen.filter((id) => id !== adult.id))
              }
            />
          ))}
        </Fieldset>
        <TextAreaField
          label={t('record.authorityReason')}
          value={reason}
          error={fieldMessage(save.error, 'body.reason')}
          onChange={(e) => setReason(e.target.value)}
        />
        <Button type="submit" appearance="secondary" busy={save.isPending}>
          {t('record.saveAuthority')}
        </Button>
      </ActionForm>
    </details>
  );
}

function ProtectionMeasureForm({
  familyId,
  record,
  nameOf,
}: {
  familyId: string;
  record: FamilyRecord;
  nameOf: (personId: string) => string;
}) {
  const { t } = useTranslation();
  const refresh = useSaved(familyId);
  const children = record.persons.filter((p) => p.role === 'child' && p.childStatus === 'born');
  const organisations = useOrganisations();
  const institutions = (organisations.data?.organisations ?? []).filter((o) => o.type === 'gecertificeerde_instelling');
  const [childId, setChildId] = useState(children[0]?.id ?? '');
  const [since, setSince] = useState(today());
  const [organisationId, setOrganisationId] = useState('');
  const child = children.find((c) => c.id === childId) ?? children[0];
  const save = useMutation({
    mutationFn: () =>
      api('PUT', `/api/families/${familyId}/persons/${child?.id}/protection-measure`, {
        ...(child?.protectionMeasure
          ? { measure: null }
          : { measure: 'ots', since, organisationId: organisationId || institutions[0]?.id }),
        version: child?.version,
      }),
    onSettled: refresh,
  });
  if (!child) return null;
  return (
    <details>
      <summary>{t('record.protectionMeasure')}</summary>
      <ActionForm action={save}>
        <Paragraph muted>{t('record.protectionMeasureHint')}</Paragraph>
        <SelectField
          label={t('record.child')}
          value={child.id}
          onChange={(e) => setChildId(e.target.value)}
          options={children.map((c) => ({ value: c.id, label: nameOf(c.id) }))}
        />
        {!child.protectionMeasure && (
          <div className="kring-grid">
            <TextField
              label={t('record.since')}
              type="date"
              value={since}
              error={fieldMessage(save.error, 'body.since')}
              onChange={(e) => setSince(e.target.value)}
            />
            <SelectField
              label={t('record.institution')}
              value={organisationId || institutions[0]?.id || ''}
              error={fieldMessage(save.error, 'body.organisationId')}
              onChange={(e) => setOrganisationId(e.target.value)}
              options={institutions.map((o) => ({ value: o.id, label: o.name }))}
            />
          </div>
        )}
        <Button type="submit" appearance="secondary" busy={save.isPending}>
          {child.protectionMeasure ? t('record.endOts') : t('record.recordOts')}
        </Button>
      </ActionForm>
    </details>
  );
}

function HandoverForm({ familyId, record }: { familyId: string; record: FamilyRecord }) {
  const { t } = useTranslation();
  const refresh = useSaved(familyId);
  const organisations = useOrganisations();
  const inTeam = new Set(record.team.map((m) => m.organisationId));
  const choices = (organisations.data?.organisations ?? []).filter((o) => !inTeam.has(o.id) && o.type !== 'gemeente');
  const [to, setTo] = useState('');
  const [summary, setSummary] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [givenHow, setGivenHow] = useState('');
  const [endRole, setEndRole] = useState(false);
  const send = useMutation({
    mutationFn: () =>
      api('POST', `/api/families/${familyId}/handovers`, {
        toOrganisationId: to || choices[0]?.id,
        summary,
        endSenderRole: endRole,
        consent: { categories, givenHow },
      }),
    onSuccess: () => {
      // Sent: the form starts empty again (the confirmation says what was done).
      setSummary('');
      setCategories([]);
      setGivenHow('');
      void refresh();
    },
  });
  return (
    <section className="kring-card" aria-labelledby="handover">
      <ActionForm
        action={send}
        heading={
          <Heading level={2} id="handover">
            {t('record.handover')}
          </Heading>
        }
        saved={t('record.sent')}
      >
        <Paragraph>{t('record.handoverIntro')}</Paragraph>
        <SelectField
          label={t('record.to')}
          value={to || choices[0]?.id || ''}
          onChange={(e) => setTo(e.target.value)}
          options={choices.map((o) => ({ value: o.id, label: o.name }))}
          error={fieldMessage(send.error, 'body.toOrganisationId')}
        />
        <TextAreaField
          label={t('record.summary')}
          value={summary}
          error={fieldMessage(send.error, 'body.summary')}
          onChange={(e) => setSummary(e.target.value)}
        />
        <Fieldset legend={t('record.shares')} error={fieldMessage(send.error, 'body.consent.categories')}>
          <CategoryCheckboxes value={categories} onChange={setCategories} />
        </Fieldset>
        <GivenHowSelect
          value={givenHow}
          onChange={setGivenHow}
          error={fieldMessage(send.error, 'body.consent.givenHow')}
        />
        <Checkbox label={t('record.endRole')} checked={endRole} onChange={(e) => setEndRole(e.target.checked)} />
        <Button type="submit" busy={send.isPending}>
          {t('record.send')}
        </Button>
      </ActionForm>
    </section>
  );
}

function ConsentSection({
  familyId,
  record,
  nameOf,
  open,
}: {
  familyId: string;
  record: FamilyRecord;
  nameOf: (personId: string) => string;
  open: boolean;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const refresh = useSaved(familyId);
  const adults = record.persons.filter((p) => ['pregnant_person', 'partner', 'caregiver'].includes(p.role));
  const [personId, setPersonId] = useState(adults[0]?.id ?? '');
  const [organisationId, setOrganisationId] = useState(record.me.organisationId);
  const [categories, setCategories] = useState<string[]>([]);
  const [givenHow, setGivenHow] = useState('');
  const organisationName = (id: string | null) =>
    record.team.find((m) => m.organisationId === id)?.organisationName ?? '';
  const save = useMutation({
    mutationFn: () =>
      api('POST', `/api/families/${familyId}/consents`, {
        purpose: 'share',
        personId: personId || adults[0]?.id,
        organisationId,
        categories,
        givenHow,
      }),
    onSuccess: () => {
      setCategories([]);
      void refresh();
    },
  });
  const withdraw = useMutation({
    mutationFn: (consentId: string) => api('POST', `/api/families/${familyId}/consents/${consentId}/withdraw`),
    onSuccess: () => void refresh(),
  });
  return (
    <section className="kring-card kring-stack" aria-labelledby="consent">
      <Heading level={2} id="consent">
        {t('record.consent')}
      </Heading>
      <ul>
        {record.consent.mine.map((c) => (
          <li key={c.category}>
            {c.complete
              ? t('record.consentComplete', { category: t(`categories.${c.category}`) })
              : t('record.consentMissing', {
                  category: t(`categories.${c.category}`),
                  names: c.missing.map(nameOf).join(', '),
                })}
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('record.consentEntries')}</summary>
        {withdraw.error && <Alert type="error">{errorText(withdraw.error)}</Alert>}
        <ul>
          {record.consent.entries.map((entry) => (
            <li key={entry.id}>
              {nameOf(entry.personId)} ·{' '}
              {entry.purpose === 'share'
                ? `${organisationName(entry.organisationId)}: ${t(`categories.${entry.category}`)}`
                : t(`record.purposes.${entry.purpose}`)}{' '}
              · {t(`givenHow.${entry.givenHow}`)}{' '}
              {open && (
                <Button appearance="subtle" onClick={() => withdraw.mutate(entry.id)}>
                  {t('record.withdraw')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      </details>
      {open && (
        <ActionForm
          action={save}
          heading={
            <Heading level={3} id="record-consent">
              {t('record.consentRecord')}
            </Heading>
          }
          aria-labelledby="record-consent"
        >
          <div className="kring-grid">
            <SelectField
              label={t('record.consentPerson')}
              value={personId}
              onChange={(e) => setPersonId(e.target.value)}
              options={adults.map((p) => ({ value: p.id, label: nameOf(p.id) }))}
            />
            <SelectField
              label={t('record.consentOrganisation')}
              value={organisationId}
              onChange={(e) => setOrganisationId(e.target.value)}
              options={record.team.map((m) => ({ value: m.organisationId, label: m.organisationName }))}
            />
            <GivenHowSelect value={givenHow} onChange={setGivenHow} error={fieldMessage(save.error, 'body.givenHow')} />
          </div>
          <Fieldset legend={t('record.consentCategories')} error={fieldMessage(save.error, 'body.categories')}>
            <CategoryCheckboxes value={categories} onChange={setCategories} />
          </Fieldset>
          <Button type="submit" busy={save.isPending}>
            {t('record.save')}
          </Button>
        </ActionForm>
      )}
    </section>
  );
}

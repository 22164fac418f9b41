import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanResponse } from '../../../../server/src/plan/plan.routes.ts';
import { api } from '../../api.ts';
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
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { CATEGORIES } from '../families/consent-fields.tsx';
import { type FamilyRecord, fieldMessage, formatDate, roleLabel } from '../families/families-api.ts';
import {
  type AudienceDecision,
  AudienceDecisionForm,
  AudienceNote,
  ParentsAudienceField,
} from '../families/parents-audience-field.tsx';
import { useCatalogue } from '../referrals/referrals-api.ts';

type Goal = PlanResponse['goals'][number];

export function usePlan(familyId: string) {
  return useQuery({
    queryKey: queryKeys.plan(familyId),
    queryFn: () => api<PlanResponse>('GET', `/api/families/${familyId}/plan`),
  });
}

/** "Carried by": a professional with their organisation, or a parent by name. */
export function ownerText(owner: Goal['owner'], t: TFunction): string {
  if (owner.kind === 'parent') return owner.name ? `${owner.name} (${t('plan.parent')})` : t('plan.parent');
  return owner.name ?? t('plan.professional');
}

/** The owners to choose from: the team's professionals and the family's adults. */
function ownerOptions(record: FamilyRecord, nameOf: (personId: string) => string) {
  return [
    ...record.persons
      .filter((p) => p.role !== 'child' && p.role !== 'sibling')
      .map((p) => ({ value: `person:${p.id}`, label: `${nameOf(p.id)} (${roleLabel(p, record.persons)})` })),
    ...record.team.flatMap((member) =>
      member.professionals.map((p) => ({
        value: `account:${p.accountId}`,
        label: `${p.name} (${member.organisationName})`,
      })),
    ),
  ];
}

const ownerBody = (value: string) => {
  const [kind, id] = value.split(':');
  return kind === 'account' ? { accountId: id } : { personId: id };
};

/** On the family record: the one plan, its goals, actions and referrals, and who keeps it. */
export function PlanSection({
  familyId,
  record,
  nameOf,
}: {
  familyId: string;
  record: FamilyRecord;
  nameOf: (personId: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const plan = usePlan(familyId);
  const data = plan.data;
  return (
    <section className="kring-card kring-stack" aria-labelledby="plan">
      <Heading level={2} id="plan">
        {t('plan.title')}
      </Heading>
      {plan.error && <Alert type="error">{errorText(plan.error)}</Alert>}
      {data && (
        <>
          <Paragraph muted>
            {data.regiehouder
              ? t('plan.keptBy', { name: data.regiehouder.name, organisation: data.regiehouder.organisationName })
              : t('plan.noRegiehouder')}{' '}
            <Link href={`/gezinnen/${familyId}/plan?taal=${i18n.language}`}>{t('plan.print')}</Link>
          </Paragraph>
          {data.withheld > 0 && <Alert type="info">{t('plan.withheld', { count: data.withheld })}</Alert>}
          {data.goals.length === 0 && <Paragraph>{t('plan.empty')}</Paragraph>}
          {data.goals.map((goal) => (
            <GoalCard
              key={goal.id}
              familyId={familyId}
              goal={goal}
              mayEdit={data.mayEdit}
              record={record}
              nameOf={nameOf}
            />
          ))}
          {data.mayEdit && <AddGoalForm familyId={familyId} record={record} nameOf={nameOf} />}
          {data.changes.length > 0 && (
            <details>
              <summary>{t('plan.changes')}</summary>
              <ul>
                {data.changes.map((c) => (
                  <li key={`${c.goalId}-${c.at}-${c.change}`}>
                    {formatDate(c.at.slice(0, 10), i18n.language)} · {t(`plan.changeKinds.${c.change}`)} ·{' '}
                    {c.professionalName} ({c.organisationName})
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}

function GoalCard({
  familyId,
  goal,
  mayEdit,
  record,
  nameOf,
}: {
  familyId: string;
  goal: Goal;
  mayEdit: boolean;
  record: FamilyRecord;
  nameOf: (personId: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { nameOf: interventionName } = useCatalogue();
  const mark = useMutation({
    mutationFn: ({ id, status, version }: { id: string; status: string; version: number }) =>
      api('PUT', `/api/families/${familyId}/plan/actions/${id}`, { status, version }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.plan(familyId) }),
  });
  const id = `goal-${goal.id}`;
  return (
    <article className="kring-card kring-stack" aria-labelledby={id}>
      <Heading level={3} id={id}>
        {goal.goal}
      </Heading>
      <Paragraph muted>
        {t('plan.carriedBy', { owner: ownerText(goal.owner, t) })} ·{' '}
        {t('plan.evaluateOn', { date: formatDate(goal.evaluateOn, i18n.language) })}{' '}
        <span className="kring-badge">{t(`plan.goalStatus.${goal.status}`)}</span>
        {goal.evaluationDue && (
          <>
            {' '}
            <span className="kring-badge kring-badge--warning">{t('plan.evaluationDue')}</span>
          </>
        )}
      </Paragraph>
      {goal.evaluation && <Paragraph>{t('plan.evaluation', { text: goal.evaluation })}</Paragraph>}
      <AudienceNote decision={goal.parentsAudience} safetyAboutFamily={false} nameOf={nameOf} />
      {record.family.status === 'open' && (
        <AudienceDecisionForm
          familyId={familyId}
          recordType="plan_goal"
          recordId={goal.id}
          concernsPersonId={null}
          label={goal.goal}
          current={goal.parentsAudience}
        />
      )}
      {goal.actions.length > 0 && (
        <ul className="kring-list-plain">
          {goal.actions.map((action) => (
            <li key={action.id}>
              {action.mayUpdate ? (
                <Checkbox
                  label={`${action.action} — ${ownerText(action.owner, t)}${action.dueOn ? `, ${t('plan.by', { date: formatDate(action.dueOn, i18n.language) })}` : ''}`}
                  checked={action.status === 'done'}
                  onChange={(e) =>
                    mark.mutate({ id: action.id, status: e.target.checked ? 'done' : 'open', version: action.version })
                  }
                />
              ) : (
                <span>
                  {action.status === 'done' ? '✓ ' : '○ '}
                  {action.action} — {ownerText(action.owner, t)}
                  {action.dueOn ? `, ${t('plan.by', { date: formatDate(action.dueOn, i18n.language) })}` : ''}
                  <span className="visually-hidden"> ({t(`plan.actionStatus.${action.status}`)})</span>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {goal.referrals.length > 0 && (
        <Paragraph>
          {t('plan.referrals')}:{' '}
          {goal.referrals
            .map(
              (r) =>
                `${r.interventionKey ? interventionName(r.interventionKey) : t('referrals.assessment')} → ${r.toOrganisationName} (${t(`referrals.status.${r.status}`)})`,
            )
            .join('; ')}
        </Paragraph>
      )}
      {mayEdit && goal.status === 'open' && (
        <div className="kring-stack">
          <AddActionForm familyId={familyId} goalId={goal.id} record={record} nameOf={nameOf} />
          <EvaluateGoalForm familyId={familyId} goal={goal} />
        </div>
      )}
    </article>
  );
}

function AddGoalForm({
  familyId,
  record,
  nameOf,
}: {
  familyId: string;
  record: FamilyRecord;
  nameOf: (personId: string) => string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const owners = ownerOptions(record, nameOf);
  const [form, setForm] = useState({
    goal: '',
    owner: owners[0]?.value ?? '',
    evaluateOn: '',
    category: 'psychosocial',
  });
  const [audience, setAudience] = useState<AudienceDecision>(null);
  const add = useMutation({
    mutationFn: () =>
      api('POST', `/api/families/${familyId}/plan/goals`, {
        goal: form.goal,
        owner: ownerBody(form.owner),
        evaluateOn: form.evaluateOn,
        category: form.category,
        ...(audience ? { parentsAudience: audience } : {}),
      }),
    onSuccess: () => {
      setForm({ ...form, goal: '', evaluateOn: '' });
      setAudience(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.plan(familyId) });
    },
  });
  return (
    <details>
      <summary>{t('plan.addGoal')}</summary>
      <ActionForm action={add} saved={t('record.saved')}>
        <TextField
          label={t('plan.goal')}
          description={t('plan.goalHint')}
          value={form.goal}
          error={fieldMessage(add.error, 'body.goal')}
          onChange={(e) => setForm({ ...form, goal: e.target.value })}
        />
        <div className="kring-grid">
          <SelectField
            label={t('plan.owner')}
            value={form.owner}
            error={fieldMessage(add.error, 'body.owner.accountId') ?? fieldMessage(add.error, 'body.owner.personId')}
            onChange={(e) => setForm({ ...form, owner: e.target.value })}
            options={owners}
          />
          <TextField
            type="date"
            label={t('plan.evaluateOnLabel')}
            value={form.evaluateOn}
            error={fieldMessage(add.error, 'body.evaluateOn')}
            onChange={(e) => setForm({ ...form, evaluateOn: e.target.value })}
          />
          <SelectField
            label={t('record.category')}
            value={form.category}
            onChange={(e) => setForm({ ...form, category: e.target.value })}
            options={CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))}
          />
        </div>
        <ParentsAudienceField
          familyId={familyId}
          concernsPersonId={null}
          value={audience}
          onChange={setAudience}
          error={add.error}
        />
        <div>
          <Button type="submit" busy={add.isPending}>
            {t('plan.addGoal')}
          </Button>
        </div>
      </ActionForm>
    </details>
  );
}

function AddActionForm({
  familyId,
  goalId,
  record,
  nameOf,
}: {
  familyId: string;
  goalId: string;
  record: FamilyRecord;
  nameOf: (personId: string) => string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const owners = ownerOptions(record, nameOf);
  const [form, setForm] = useState({ action: '', owner: owners[0]?.value ?? '', dueOn: '' });
  const add = useMutation({
    mutationFn: () =>
      api('POST', `/api/families/${familyId}/plan/goals/${goalId}/actions`, {
        action: form.action,
        owner: ownerBody(form.owner),
        ...(form.dueOn ? { dueOn: form.dueOn } : {}),
      }),
    onSuccess: () => {
      setForm({ ...form, action: '', dueOn: '' });
      void queryClient.invalidateQueries({ queryKey: queryKeys.plan(familyId) });
    },
  });
  return (
    <details>
      <summary>{t('plan.addAction')}</summary>
      <ActionForm action={add}>
        <TextField
          label={t('plan.action')}
          value={form.action}
          error={fieldMessage(add.error, 'body.action')}
          onChange={(e) => setForm({ ...form, action: e.target.value })}
        />
        <div className="kring-grid">
          <SelectField
            label={t('plan.who')}
            value={form.owner}
            onChange={(e) => setForm({ ...form, owner: e.target.value })}
            options={owners}
          />
          <TextField
            type="date"
            label={t('plan.byWhen')}
            value={form.dueOn}
            onChange={(e) => setForm({ ...form, dueOn: e.target.value })}
          />
        </div>
        <div>
          <Button type="submit" busy={add.isPending}>
            {t('plan.addAction')}
          </Button>
        </div>
      </ActionForm>
    </details>
  );
}

function EvaluateGoalForm({ familyId, goal }: { familyId: string; goal: Goal }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ status: 'achieved', evaluation: '' });
  const evaluate = useMutation({
    mutationFn: () =>
      api('PUT', `/api/families/${familyId}/plan/goals/${goal.id}`, {
        status: form.status,
        evaluation: form.evaluation,
        version: goal.version,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.plan(familyId) }),
  });
  return (
    <details>
      <summary>{t('plan.evaluate')}</summary>
      <ActionForm action={evaluate}>
        <SelectField
          label={t('plan.outcome')}
          value={form.status}
          onChange={(e) => setForm({ ...form, status: e.target.value })}
          options={['achieved', 'stopped'].map((s) => ({ value: s, label: t(`plan.goalStatus.${s}`) }))}
        />
        <TextAreaField
          label={t('plan.evaluationLabel')}
          value={form.evaluation}
          error={fieldMessage(evaluate.error, 'body.evaluation')}
          onChange={(e) => setForm({ ...form, evaluation: e.target.value })}
        />
        <div>
          <Button type="submit" appearance="secondary" busy={evaluate.isPending}>
            {t('plan.evaluate')}
          </Button>
        </div>
      </ActionForm>
    </details>
  );
}

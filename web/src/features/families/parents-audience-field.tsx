import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { AudiencePreview } from '../../../../server/src/families/parents-audience.ts';
import { api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import { Button, Checkbox, Fieldset, Paragraph, TextAreaField } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { fieldMessage } from './families-api.ts';

/** A professional's decision: at most these adults see it (none: no parent), and why. */
export type AudienceDecision = { persons: string[]; reason: string } | null;

/**
 * "Who in the family will see this" on every form that records something about the family: the
 * server's answer from the one rule (access/family-audience.ts) before saving, and the choice to
 * decide otherwise — narrow it, or show a safety entry to named adults — with a reason.
 */
export function ParentsAudienceField({
  familyId,
  concernsPersonId,
  code,
  value,
  onChange,
  error,
  fieldPrefix = 'body.parentsAudience',
  alwaysDeciding = false,
}: {
  familyId: string;
  concernsPersonId: string | null;
  code?: string;
  value: AudienceDecision;
  onChange: (value: AudienceDecision) => void;
  error: unknown;
  /** Where the server names this decision's faults. */
  fieldPrefix?: string;
  /** A form that only decides: no "decide otherwise" box; it starts from the rule's answer. */
  alwaysDeciding?: boolean;
}) {
  const { t } = useTranslation();
  const params = new URLSearchParams();
  if (concernsPersonId) params.set('concernsPersonId', concernsPersonId);
  if (code) params.set('code', code);
  const preview = useQuery({
    queryKey: queryKeys.parentsAudience(familyId, concernsPersonId, code ?? null),
    queryFn: () => api<z.infer<typeof AudiencePreview>>('GET', `/api/families/${familyId}/parents-audience?${params}`),
  });
  if (!preview.data) return null;
  const { byRule, mayBeNamed, safety } = preview.data;
  const names = (persons: { givenName: string | null }[]) =>
    persons.map((p) => p.givenName ?? t('audience.unnamed')).join(', ');
  const decision = value ?? (alwaysDeciding ? { persons: byRule.map((p) => p.personId), reason: '' } : null);
  const shownTo = decision ? mayBeNamed.filter((p) => decision.persons.includes(p.personId)) : byRule;
  return (
    <Fieldset legend={t('audience.legend')} error={fieldMessage(error, `${fieldPrefix}.persons`)}>
      <Paragraph>
        {shownTo.length ? t('audience.shownTo', { names: names(shownTo) }) : t('audience.nobody')}
        {!decision && safety ? ` ${t('audience.safety')}` : ''}
      </Paragraph>
      {!alwaysDeciding && mayBeNamed.length > 0 && (
        <Checkbox
          label={t('audience.decide')}
          checked={value !== null}
          onChange={(e) =>
            onChange(e.target.checked ? { persons: byRule.map((p) => p.personId), reason: value?.reason ?? '' } : null)
          }
        />
      )}
      {decision && (
        <>
          {mayBeNamed.map((p) => (
            <Checkbox
              key={p.personId}
              label={t('audience.showTo', { name: p.givenName ?? t('audience.unnamed') })}
              checked={decision.persons.includes(p.personId)}
              onChange={(e) =>
                onChange({
                  ...decision,
                  persons: e.target.checked
                    ? [...decision.persons, p.personId]
                    : decision.persons.filter((id) => id !== p.personId),
                })
              }
            />
          ))}
          <TextAreaField
            label={t('audience.reason')}
            description={t('audience.reasonHint')}
            rows={2}
            value={decision.reason}
            error={fieldMessage(error, `${fieldPrefix}.reason`)}
            onChange={(e) => onChange({ ...decision, reason: e.target.value })}
          />
        </>
      )}
    </Fieldset>
  );
}

/** A decision already made on an entry, as professionals see it beside the entry. */
export function AudienceNote({
  decision,
  safetyAboutFamily,
  nameOf,
}: {
  decision: { persons: string[]; reason: string } | null;
  safetyAboutFamily: boolean;
  nameOf: (personId: string) => string;
}) {
  const { t } = useTranslation();
  if (!decision) return safetyAboutFamily ? <div className="kring-muted">{t('audience.nobody')}</div> : null;
  return (
    <div className="kring-muted">
      {decision.persons.length
        ? t('audience.decided', { names: decision.persons.map(nameOf).join(', '), reason: decision.reason })
        : t('audience.decidedNobody', { reason: decision.reason })}
    </div>
  );
}

/** Decide afterwards who in the family sees an entry (any professional who may read it; a reason is required). */
export function AudienceDecisionForm({
  familyId,
  recordType,
  recordId,
  concernsPersonId,
  code,
  label,
  current,
}: {
  familyId: string;
  recordType: 'signal' | 'contact' | 'judgement' | 'plan_goal' | 'referral';
  recordId: string;
  concernsPersonId: string | null;
  code?: string;
  label: string;
  /** The decision in force, if any: the form starts from it. */
  current: AudienceDecision;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<AudienceDecision>(current ? { ...current, reason: '' } : null);
  const save = useMutation({
    mutationFn: () =>
      api('PUT', `/api/families/${familyId}/parents-audience/${recordType}/${recordId}`, {
        persons: decision?.persons ?? [],
        reason: decision?.reason ?? '',
      }),
    onSuccess: () => {
      setDecision(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.family(familyId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.picture(familyId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.plan(familyId) });
    },
  });
  return (
    <details>
      <summary>
        {t('audience.change')}
        <span className="visually-hidden"> {label}</span>
      </summary>
      <ActionForm action={save} saved={t('record.saved')}>
        <ParentsAudienceField
          familyId={familyId}
          concernsPersonId={concernsPersonId}
          code={code}
          value={decision}
          onChange={setDecision}
          error={save.error}
          fieldPrefix="body"
          alwaysDeciding
        />
        <Button type="submit" appearance="secondary" busy={save.isPending}>
          {t('audience.save')}
        </Button>
      </ActionForm>
    </details>
  );
}

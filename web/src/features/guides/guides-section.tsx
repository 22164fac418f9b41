import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { guideRoutes } from '../../../../server/src/guides/guide.routes.ts';
import type { GuideDefinition } from '../../../../server/src/guides/guide-definitions.ts';
import { type Answer, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Heading,
  Paragraph,
  SelectField,
  TextAreaField,
} from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { type FamilyRecord, fieldMessage, formatDate } from '../families/families-api.ts';
import { KnowledgeLink } from '../knowledge/knowledge-page.tsx';
import { refreshFamily, useCodes } from '../signals/picture-section.tsx';

type Guide = z.infer<typeof GuideDefinition>;
type Value = string | number | boolean;
type Responses = Answer<typeof guideRoutes, 'GET /api/families/:familyId/guide-responses'>;

const ADULTS = ['pregnant_person', 'partner', 'caregiver', 'foster_parent', 'parent_of_minor'];

/** Conversation guides: what was asked, with whom and by whom; and a guide to take now. */
export function GuidesSection({
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
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const list = useQuery({
    queryKey: queryKeys.guides(),
    queryFn: () => api<Answer<typeof guideRoutes, 'GET /api/guides'>>('GET', '/api/guides'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const responses = useQuery({
    queryKey: queryKeys.guideResponses(familyId),
    queryFn: () => api<Responses>('GET', `/api/families/${familyId}/guide-responses`),
  });
  const adults = record.persons.filter((p) => ADULTS.includes(p.role));
  const [choice, setChoice] = useState({ guide: '', person: '' });
  const [opened, setOpened] = useState<{ guideKey: string; personId: string } | null>(null);
  const guideKey = choice.guide || list.data?.guides[0]?.key || '';
  const personId = choice.person || adults[0]?.id || '';
  const titleOf = (key: string) => {
    const guide = list.data?.guides.find((g) => g.key === key);
    return guide ? (en ? guide.title.en : guide.title.nl) : key;
  };
  return (
    <section className="kring-card kring-stack" aria-labelledby="guides">
      <Heading level={2} id="guides">
        {t('guides.title')}
      </Heading>
      {responses.data && responses.data.notAskedTwice > 0 && (
        <Paragraph muted>{t('guides.notAskedTwice', { count: responses.data.notAskedTwice })}</Paragraph>
      )}
      {responses.data?.responses.length === 0 && <Paragraph>{t('guides.none')}</Paragraph>}
      <ul className="kring-timeline">
        {responses.data?.responses.map((r) => (
          <li key={r.id}>
            <strong>{titleOf(r.guideKey)}</strong>
            {r.concernsPersonId ? ` · ${nameOf(r.concernsPersonId)}` : ''} ·{' '}
            {formatDate(r.createdAt.slice(0, 10), i18n.language)} · {r.organisationName} ({r.professionalName})
            {r.score !== null &&
              ` · ${t('guides.score', { score: r.score })}${r.band ? ` (${en ? r.band.en : r.band.nl})` : ''}`}
            {!r.complete && ` · ${t('guides.incomplete')}`}
            {r.attention && (
              <>
                {' '}
                <span className="kring-badge">{t('guides.attention')}</span>
              </>
            )}
            {' · '}
            {t('guides.answers', { count: r.answers.length })}
          </li>
        ))}
      </ul>
      {open && list.data && (
        <form
          className="kring-row"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            setOpened({ guideKey, personId });
          }}
        >
          <SelectField
            label={t('guides.choose')}
            value={guideKey}
            onChange={(e) => setChoice({ ...choice, guide: e.target.value })}
            options={list.data.guides.map((g) => ({ value: g.key, label: en ? g.title.en : g.title.nl }))}
          />
          <SelectField
            label={t('guides.with')}
            value={personId}
            onChange={(e) => setChoice({ ...choice, person: e.target.value })}
            options={adults.map((p) => ({ value: p.id, label: nameOf(p.id) }))}
          />
          <Button type="submit" appearance="secondary">
            {t('guides.open')}
          </Button>
        </form>
      )}
      {opened && (
        <GuideForm
          key={`${opened.guideKey}-${opened.personId}`}
          familyId={familyId}
          guideKey={opened.guideKey}
          personId={opened.personId}
          onClose={() => setOpened(null)}
        />
      )}
    </section>
  );
}

function GuideForm({
  familyId,
  guideKey,
  personId,
  onClose,
}: {
  familyId: string;
  guideKey: string;
  personId: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const codes = useCodes();
  const prepared = useQuery({
    queryKey: queryKeys.guide(familyId, guideKey, personId),
    queryFn: () =>
      api<Answer<typeof guideRoutes, 'GET /api/families/:familyId/guides/:guideKey'>>(
        'GET',
        `/api/families/${familyId}/guides/${guideKey}?personId=${personId}`,
      ),
  });
  const [values, setValues] = useState<Record<string, Value>>({});
  const [confirmed, setConfirmed] = useState<Record<string, boolean>>({});
  const save = useMutation({
    mutationFn: () => {
      const guide = prepared.data?.guide;
      const earlier = prepared.data?.earlier ?? [];
      const answers: ({ code: string; value: Value } | { code: string; confirmAnswerId: string })[] = [];
      for (const item of guide?.items ?? []) {
        const before = earlier.find((e) => e.code === item.code);
        const value = values[item.code];
        if (before && item.kind === 'factual' && confirmed[item.code]) {
          answers.push({ code: item.code, confirmAnswerId: before.answerId });
        } else if (value !== undefined && value !== '') answers.push({ code: item.code, value });
      }
      return api<Answer<typeof guideRoutes, 'POST /api/families/:familyId/guide-responses'>>(
        'POST',
        `/api/families/${familyId}/guide-responses`,
        { guideKey, concernsPersonId: personId, answers },
      );
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.guideResponses(familyId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.family(familyId) });
    },
  });
  const makeSignal = useMutation({
    mutationFn: ({ code, answerId, note }: { code: string; answerId: string; note?: string }) =>
      api('POST', `/api/families/${familyId}/signals`, {
        code,
        concernsPersonId: personId,
        source: 'told_by_parent',
        fromAnswerId: answerId,
        ...(note ? { note: note.slice(0, 4000) } : {}),
      }),
    onSuccess: () => refreshFamily(queryClient, familyId),
  });
  if (prepared.error) return <Alert type="error">{errorText(prepared.error)}</Alert>;
  if (!prepared.data) return <Paragraph>{t('app.loading')}</Paragraph>;
  const { guide, earlier } = prepared.data;
  /** The next steps the answers just saved call for: an item that asks for attention, the score's band. */
  const nextSteps = (score: number | null) => {
    const scoreOf = (item: (typeof guide.items)[number]) =>
      item.options?.find((o) => o.value === String(values[item.code]))?.score;
    const fromItems = guide.items.flatMap((item) =>
      item.attentionFrom !== undefined && item.attentionAdvice && (scoreOf(item) ?? -1) >= item.attentionFrom
        ? [text(item.attentionAdvice)]
        : [],
    );
    const band = guide.instrument?.scoring.bands.find((b) => score !== null && score >= b.min && score <= b.max);
    return [...fromItems, ...(band?.advice ? [text(band.advice)] : [])];
  };
  const text = (value: { nl: string; en: string }) => (en ? value.en : value.nl);
  const shown = (item: Guide['items'][number], value: Value) =>
    typeof value === 'boolean'
      ? t(value ? 'judgement.yes' : 'judgement.no')
      : (item.options?.find((o) => o.value === value)?.[en ? 'en' : 'nl'] ?? String(value));
  return (
    <ActionForm
      action={save}
      heading={
        <Heading level={3} id="guide-title">
          {text(guide.title)}
        </Heading>
      }
      className="kring-stack kring-guide"
      aria-labelledby="guide-title"
    >
      <Paragraph>{text(guide.intro)}</Paragraph>
      {guide.instrument && (
        <Paragraph muted>
          {t('guides.source')}: {guide.instrument.source}
          {guide.instrument.translationToCheck && guide.instrument.translationNote
            ? ` ${text(guide.instrument.translationNote)}`
            : ''}
        </Paragraph>
      )}
      {guide.items.map((item, i) => {
        const before = earlier.find((e) => e.code === item.code);
        const field = fieldMessage(save.error, `body.answers.${i}.value`);
        return (
          <Fieldset key={item.code} legend={`${i + 1}. ${text(item.text)}`}>
            <Paragraph muted>
              {t('guides.why')}: {text(item.why)}
              <KnowledgeLink cardKey={item.knowledge} />
            </Paragraph>
            {before && (
              <Alert type="info">
                {t('guides.askedBefore', {
                  professional: before.professionalName,
                  organisation: before.organisationName,
                  date: formatDate(before.answeredAt.slice(0, 10), i18n.language),
                })}{' '}
                <strong>{shown(item, before.value)}</strong>
              </Alert>
            )}
            {before && item.kind !== 'factual' && <Paragraph muted>{t(`guides.askAgain.${item.kind}`)}</Paragraph>}
            {before && item.kind === 'factual' && (
              <Checkbox
                label={t('guides.confirm')}
                checked={Boolean(confirmed[item.code])}
                onChange={(e) => setConfirmed({ ...confirmed, [item.code]: e.target.checked })}
              />
            )}
            {!(before && item.kind === 'factual' && confirmed[item.code]) &&
              (item.type === 'text' ? (
                <TextAreaField
                  label={t('guides.answer')}
                  value={String(values[item.code] ?? '')}
                  error={field}
                  onChange={(e) => setValues({ ...values, [item.code]: e.target.value })}
                />
              ) : (
                <SelectField
                  label={t('guides.answer')}
                  value={values[item.code] === undefined ? '' : String(values[item.code])}
                  error={field}
                  onChange={(e) =>
                    setValues({
                      ...values,
                      [item.code]:
                        item.type === 'yesno'
                          ? e.target.value === ''
                            ? ''
                            : e.target.value === 'yes'
                          : e.target.value,
                    })
                  }
                  options={[
                    { value: '', label: t('guides.notAnswered') },
                    ...(item.type === 'yesno'
                      ? [
                          { value: 'yes', label: t('judgement.yes') },
                          { value: 'no', label: t('judgement.no') },
                        ]
                      : (item.options ?? []).map((o) => ({ value: o.value, label: en ? o.en : o.nl }))),
                  ]}
                />
              ))}
          </Fieldset>
        );
      })}
      {save.data ? (
        <div className="kring-stack">
          <Alert type={save.data.attention ? 'warning' : 'ok'}>
            {t('guides.saved')}
            {save.data.score !== null ? ` ${t('guides.score', { score: save.data.score })}` : ''}
            {!save.data.complete ? ` ${t('guides.incomplete')}` : ''}
            {save.data.attention ? ` ${t('guides.attentionNow')}` : ''}
          </Alert>
          {nextSteps(save.data.score).map((advice) => (
            <Alert key={advice} type="warning">
              <strong>{t('guides.nextStep')}</strong> {advice}
            </Alert>
          ))}
          {makeSignal.error && <Alert type="error">{errorText(makeSignal.error)}</Alert>}
          {makeSignal.isSuccess && <Alert type="ok">{t('guides.signalMade')}</Alert>}
          {save.data.answers.flatMap(({ code, answerId }) => {
            const item = guide.items.find((it) => it.code === code);
            return (item?.signalCodes ?? []).map((signalCode) => (
              <Button
                key={`${answerId}-${signalCode}`}
                appearance="subtle"
                onClick={() =>
                  makeSignal.mutate({
                    code: signalCode,
                    answerId,
                    note: typeof values[code] === 'string' ? String(values[code]) : undefined,
                  })
                }
              >
                {t('guides.makeSignal', { signal: codes.codeLabel(signalCode) })}
              </Button>
            ));
          })}
          <Button appearance="secondary" onClick={onClose}>
            {t('guides.close')}
          </Button>
        </div>
      ) : (
        <div className="kring-row">
          <Button type="submit" busy={save.isPending}>
            {t('guides.save')}
          </Button>
          <Button appearance="subtle" onClick={onClose}>
            {t('guides.cancel')}
          </Button>
        </div>
      )}
    </ActionForm>
  );
}

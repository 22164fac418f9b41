import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContentResponse, contentRoutes } from '../../../../server/src/content/content.routes.ts';
import { type Answer, ApiError, api } from '../../api.ts';
import { Alert, Button, Heading, Paragraph, SelectField, TextAreaField, TextField } from '../../components/nlds.tsx';
import { queryKeys } from '../../query-keys.ts';
import { useErrorText } from '../auth/use-error-text.ts';
import { ContentForm, usePlaceOfProblem } from './content-forms.tsx';

const KINDS = ['signal_codes', 'guides', 'knowledge', 'interventions'] as const;
type Problem = { field: string; message: string };

/**
 * An administrator keeps Kring's content: the code list, the guides, the knowledge cards and the
 * catalogue. Export it, edit it here or import a file, check it (every problem by its place) and
 * publish it as a new version with a note; the history shows every version, and an earlier one can
 * be loaded to publish again.
 */
export function ContentPanel() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<(typeof KINDS)[number]>('signal_codes');
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<Problem[]>();
  const [notice, setNotice] = useState<string>();
  const content = useQuery({
    queryKey: queryKeys.content(kind),
    queryFn: () => api<ContentResponse>('GET', `/api/admin/content/${kind}`),
  });
  useEffect(() => {
    if (content.data) setText(JSON.stringify(content.data.document, null, 2));
  }, [content.data]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: another kind starts afresh
  useEffect(() => {
    setProblems(undefined);
    setNotice(undefined);
  }, [kind]);

  const parsed = (): { document?: unknown; problem?: Problem } => {
    try {
      return { document: JSON.parse(text) };
    } catch (error) {
      return { problem: { field: 'document', message: t('content.notJson', { detail: (error as Error).message }) } };
    }
  };
  const check = useMutation({
    mutationFn: async () => {
      const { document, problem } = parsed();
      if (problem) return { ok: false, problems: [problem] };
      return api<Answer<typeof contentRoutes, 'POST /api/admin/content/:kind/validate'>>(
        'POST',
        `/api/admin/content/${kind}/validate`,
        { document },
      );
    },
    onSuccess: (result) => {
      setProblems(result.problems);
      setNotice(result.ok ? t('content.valid') : undefined);
    },
  });
  const publish = useMutation({
    mutationFn: async () => {
      const { document, problem } = parsed();
      if (problem) throw new ApiError(400, { code: 'VALIDATION_FAILED', message: problem.message, fields: [problem] });
      return api<Answer<typeof contentRoutes, 'POST /api/admin/content/:kind'>>('POST', `/api/admin/content/${kind}`, {
        document,
        note,
      });
    },
    onSuccess: (result) => {
      setNote('');
      setProblems(undefined);
      setNotice(t('content.published', { version: result.version }));
      return queryClient.invalidateQueries({ queryKey: queryKeys.content(kind) });
    },
    onError: (error) => setProblems(error instanceof ApiError ? error.fields : undefined),
  });
  const loadVersion = async (version: number) => {
    const old = await api<Answer<typeof contentRoutes, 'GET /api/admin/content/:kind/versions/:version'>>(
      'GET',
      `/api/admin/content/${kind}/versions/${version}`,
    );
    setText(JSON.stringify(old.document, null, 2));
    setNotice(t('content.loaded', { version }));
  };
  const download = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    link.download = `kring-${kind}-v${content.data?.version ?? 0}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  const date = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  // The form edits the same document as the JSON below; while that is not valid JSON, only the JSON.
  const formDocument = (() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  })();
  const placeOf = usePlaceOfProblem(kind, formDocument ?? content.data?.document);

  return (
    <section className="kring-card kring-stack" aria-labelledby="content-title">
      <Heading level={2} id="content-title">
        {t('content.title')}
      </Heading>
      <Paragraph>{t('content.intro')}</Paragraph>
      <SelectField
        label={t('content.kind')}
        value={kind}
        onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}
        options={KINDS.map((k) => ({ value: k, label: t(`content.kinds.${k}`) }))}
      />
      {content.data && (
        <Paragraph>
          {content.data.version === 0 ? t('content.shipped') : t('content.inForce', { version: content.data.version })}
        </Paragraph>
      )}
      {formDocument !== undefined && content.data && (
        <ContentForm
          key={kind}
          kind={kind}
          document={formDocument}
          inForce={content.data.document}
          onChange={(next) => setText(JSON.stringify(next, null, 2))}
        />
      )}
      <details className="kring-stack">
        <summary>{t('content.bulk')}</summary>
        <TextAreaField
          label={t('content.document')}
          description={t('content.documentHint')}
          rows={16}
          spellCheck={false}
          className="kring-code-editor"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="content-file">
            {t('content.import')}
          </label>
          <input
            id="content-file"
            type="file"
            accept=".json,application/json"
            className="utrecht-textbox"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (file) setText(await file.text());
            }}
          />
        </div>
      </details>
      <div className="kring-actions">
        <Button appearance="secondary" busy={check.isPending} onClick={() => check.mutate()}>
          {t('content.check')}
        </Button>
        <Button appearance="secondary" onClick={download}>
          {t('content.export')}
        </Button>
      </div>
      {notice && <Alert type="ok">{notice}</Alert>}
      {problems && problems.length > 0 && (
        <Alert type="error">
          {t('content.problems', { count: problems.length })}
          <ul>
            {problems.map((p) => {
              const { place, message, known } = placeOf(p);
              return (
                <li key={`${p.field}:${p.message}`}>
                  {known ? place : <code>{place}</code>}: {message}
                </li>
              );
            })}
          </ul>
        </Alert>
      )}
      {publish.error && !(publish.error instanceof ApiError && publish.error.fields.length) && (
        <Alert type="error">{errorText(publish.error)}</Alert>
      )}
      <form
        className="kring-stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          publish.mutate();
        }}
      >
        <TextField
          label={t('content.note')}
          value={note}
          error={
            publish.error instanceof ApiError
              ? publish.error.fields.find((f) => f.field === 'body.note')?.message
              : undefined
          }
          onChange={(e) => setNote(e.target.value)}
        />
        <div>
          <Button type="submit" busy={publish.isPending}>
            {t('content.publish')}
          </Button>
        </div>
      </form>
      <Heading level={3}>{t('content.history')}</Heading>
      {content.data?.history.length ? (
        <ol className="kring-list-plain kring-stack" reversed>
          {content.data.history.map((h) => (
            <li key={h.version}>
              <strong>{t('content.version', { version: h.version })}</strong> · {date(h.publishedAt)} · {h.publishedBy}:{' '}
              {h.note}{' '}
              <Button appearance="subtle" onClick={() => void loadVersion(h.version)}>
                {t('content.load', { version: h.version })}
              </Button>
            </li>
          ))}
        </ol>
      ) : (
        <Paragraph muted>{t('content.noHistory')}</Paragraph>
      )}
    </section>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EVIDENCE_LEVELS } from '../../../../server/src/interventions/evidence-levels.ts';
import { Button, SelectField, TextAreaField, TextField } from '../../components/nlds.tsx';
import { fieldMessageIn } from '../../i18n/field-messages.ts';
import { CATEGORIES } from '../families/consent-fields.tsx';

/**
 * Forms for the common edits of Kring's content — a signal code and its wording, a knowledge card,
 * an intervention with its rating and eligibility, a guide's question — over the same document the
 * JSON editor holds (which stays for bulk work). Each kind is described once here: where its items
 * are, what names an item, and which fields the form shows; the same description names the place
 * of a problem the server finds ("Code ‘Sociaal isolement’ › Tekst voor ouders (Nederlands)").
 */

type Json = Record<string, unknown>;
type Field = {
  path: string;
  label: string;
  long?: boolean;
  options?: { value: string; label: string }[];
  newOnly?: boolean;
};
type Kind = 'signal_codes' | 'guides' | 'knowledge' | 'interventions';

interface Item {
  /** Where the item sits in the document (`codes.12`, `guides.2.items.5`). */
  at: string;
  name: string;
  value: Json;
}

function get(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Json)[part] : undefined;
  return node;
}

/** A copy of the document with one value set at a path (objects along the way are copied, not changed). */
function set(document: unknown, path: string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const copy: Json | unknown[] = Array.isArray(document) ? [...document] : { ...(document as Json) };
  (copy as Json)[head] = set((document as Json | undefined)?.[head], rest, value);
  return copy;
}

function useDescriptions() {
  const { t } = useTranslation();
  const both = (path: string, label: string, long = false): Field[] => [
    { path: `${path}.nl`, label: t('content.form.inDutch', { what: label }), long },
    { path: `${path}.en`, label: t('content.form.inEnglish', { what: label }), long },
  ];
  const items: Record<Kind, (document: unknown) => Item[]> = {
    signal_codes: (d) =>
      ((get(d, 'codes') as Json[] | undefined) ?? []).map((c, i) => ({
        at: `codes.${i}`,
        name: t('content.form.codeName', { name: String(c.nl || c.key || '…') }),
        value: c,
      })),
    knowledge: (d) =>
      ((get(d, 'cards') as Json[] | undefined) ?? []).map((c, i) => ({
        at: `cards.${i}`,
        name: t('content.form.cardName', { name: String(get(c, 'title.nl') ?? c.key) }),
        value: c,
      })),
    interventions: (d) =>
      ((get(d, 'interventions') as Json[] | undefined) ?? []).map((c, i) => ({
        at: `interventions.${i}`,
        name: t('content.form.interventionName', { name: String(get(c, 'name.nl') ?? c.key) }),
        value: c,
      })),
    guides: (d) =>
      ((get(d, 'guides') as Json[] | undefined) ?? []).flatMap((g, i) =>
        ((g.items as Json[] | undefined) ?? []).map((q, j) => ({
          at: `guides.${i}.items.${j}`,
          name: t('content.form.questionName', {
            guide: String(get(g, 'title.nl') ?? g.key),
            name: String(get(q, 'text.nl') ?? q.code),
          }),
          value: q,
        })),
      ),
  };
  const fields: Record<Kind, Field[]> = {
    signal_codes: [
      { path: 'key', label: t('content.form.key'), newOnly: true },
      ...both('', t('content.form.professionalWording')).map((f) => ({ ...f, path: f.path.slice(1) })),
      { path: 'parentNl', label: t('content.form.inDutch', { what: t('content.form.parentWording') }) },
      { path: 'parentEn', label: t('content.form.inEnglish', { what: t('content.form.parentWording') }) },
      {
        path: 'category',
        label: t('content.form.category'),
        options: CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) })),
      },
    ],
    knowledge: [...both('title', t('content.form.title')), ...both('body', t('content.form.body'), true)],
    interventions: [
      ...both('name', t('content.form.name')),
      {
        path: 'evidence',
        label: t('content.form.evidence'),
        options: EVIDENCE_LEVELS.map((e) => ({ value: e, label: t(`referrals.evidenceLevels.${e}`) })),
      },
      { path: 'evidenceSource', label: t('content.form.evidenceSource') },
      { path: 'evidenceCheckedOn', label: t('content.form.evidenceCheckedOn') },
      ...both('eligibility', t('content.form.eligibility'), true),
      ...both('targetGroup', t('content.form.targetGroup'), true),
    ],
    guides: [...both('text', t('content.form.question')), ...both('why', t('content.form.why'), true)],
  };
  return { items, fields };
}

/**
 * Where a problem is, in words: the item's name and the field's label when the form knows them
 * (`body.document.codes.12.parentNl`), else the path as it is; the message in the reader's language.
 */
export function usePlaceOfProblem(kind: Kind, document: unknown) {
  const { i18n } = useTranslation();
  const { items, fields } = useDescriptions();
  return (problem: { field: string; message: string }) => {
    const path = problem.field.replace(/^body\.document\.?/, '');
    const message = fieldMessageIn(i18n.language, problem.message);
    const item = items[kind](document).find((i) => path === i.at || path.startsWith(`${i.at}.`));
    if (!item) return { place: path || '—', message, known: false };
    const rest = path.slice(item.at.length + 1);
    const field = fields[kind].find((f) => f.path === rest);
    return {
      place: field ? `${item.name} › ${field.label}` : rest ? `${item.name} › ${rest}` : item.name,
      message,
      known: true,
    };
  };
}

/** The form: choose an item (or add a signal code), edit its fields; every change goes into the document. */
export function ContentForm({
  kind,
  document,
  inForce,
  onChange,
}: {
  kind: Kind;
  document: unknown;
  /** The document as published, to know which items are new (a key can only be chosen for a new one). */
  inForce: unknown;
  onChange: (document: unknown) => void;
}) {
  const { t } = useTranslation();
  const { items, fields } = useDescriptions();
  const list = items[kind](document);
  const [chosen, setChosen] = useState(list[0]?.at ?? '');
  const item = list.find((i) => i.at === chosen) ?? list[0];
  const known = new Set(items[kind](inForce).map((i) => i.at));
  const addCode = () => {
    const codes = (get(document, 'codes') as Json[] | undefined) ?? [];
    const domain = (get(document, 'domains.0.key') as string | undefined) ?? '';
    const fresh = {
      key: '',
      domain,
      category: 'psychosocial',
      subjects: ['adult'],
      nl: '',
      en: '',
      parentNl: '',
      parentEn: '',
    };
    onChange(set(document, ['codes'], [...codes, fresh]));
    setChosen(`codes.${codes.length}`);
  };
  return (
    <div className="kring-stack">
      <div className="kring-row">
        <SelectField
          label={t(`content.form.choose.${kind}`)}
          value={item?.at ?? ''}
          onChange={(e) => setChosen(e.target.value)}
          options={list.map((i) => ({ value: i.at, label: i.name }))}
        />
        {kind === 'signal_codes' && (
          <div className="kring-row-end">
            <Button appearance="secondary" onClick={addCode}>
              {t('content.form.addCode')}
            </Button>
          </div>
        )}
      </div>
      {item && (
        <div className="kring-grid">
          {fields[kind]
            .filter((f) => !f.newOnly || !known.has(item.at))
            .map((f) => {
              const value = String(get(item.value, f.path) ?? '');
              const change = (next: string) =>
                onChange(set(document, [...item.at.split('.'), ...f.path.split('.')], next));
              if (f.options) {
                return (
                  <SelectField
                    key={f.path}
                    label={f.label}
                    value={value}
                    onChange={(e) => change(e.target.value)}
                    options={f.options}
                  />
                );
              }
              return f.long ? (
                <TextAreaField
                  key={f.path}
                  label={f.label}
                  rows={5}
                  value={value}
                  onChange={(e) => change(e.target.value)}
                />
              ) : (
                <TextField key={f.path} label={f.label} value={value} onChange={(e) => change(e.target.value)} />
              );
            })}
        </div>
      )}
    </div>
  );
}

import { type RefObject, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Problem {
  /** The control (or fieldset) to move the focus to. */
  target: HTMLElement;
  label: string;
  message: string;
}

/**
 * The error summary of a form that was refused (the NL Design System / GOV.UK pattern): the
 * general message, then every field at fault as a link that moves the focus to it; the focus goes
 * to the summary itself, so a keyboard or screen-reader user hears at once what to correct. It
 * reads the fields' own error messages from the form (each field shows its message beside it), so
 * a form needs no list of its fields.
 */
export function ErrorSummary({
  form,
  error,
  text,
}: {
  form: RefObject<HTMLFormElement | null>;
  error: unknown;
  text: string;
}) {
  const { t } = useTranslation();
  const summary = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const [problems, setProblems] = useState<Problem[]>([]);
  useEffect(() => {
    if (!error || !form.current) {
      setProblems([]);
      return;
    }
    const found: Problem[] = [];
    for (const control of form.current.querySelectorAll<HTMLElement>('[aria-invalid="true"]')) {
      // "Partner — Voornaam": the group a field is in, where the form has several of the same.
      const own = form.current.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent ?? '';
      const group = control.closest('fieldset')?.querySelector('legend')?.textContent;
      const label = group ? `${group} — ${own}` : own;
      const message = document.getElementById(`${control.id}-error`)?.textContent ?? '';
      found.push({ target: control, label, message });
    }
    for (const fieldset of form.current.querySelectorAll<HTMLFieldSetElement>(
      'fieldset.utrecht-form-fieldset--invalid',
    )) {
      const legend = fieldset.querySelector('legend')?.textContent ?? '';
      const message = fieldset.querySelector(':scope > .utrecht-form-field-error-message')?.textContent ?? '';
      const first = fieldset.querySelector<HTMLElement>('input, select, textarea');
      if (first) found.push({ target: first, label: legend, message });
    }
    // In the order of the form.
    found.sort((a, b) => (a.target.compareDocumentPosition(b.target) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    setProblems(found);
    summary.current?.focus();
  }, [error, form]);
  if (!error) return null;
  return (
    <div
      ref={summary}
      className="utrecht-alert utrecht-alert--error kring-error-summary"
      role="alert"
      tabIndex={-1}
      aria-labelledby={titleId}
    >
      <div className="utrecht-alert__content">
        <p id={titleId}>
          <strong>{problems.length ? t('errors.summaryTitle', { count: problems.length }) : text}</strong>
        </p>
        {problems.length > 0 && (
          <ul>
            {problems.map((problem) => (
              <li key={`${problem.target.id}-${problem.label}`}>
                <a
                  className="utrecht-link utrecht-link--html-a"
                  href={`#${problem.target.id}`}
                  onClick={(event) => {
                    event.preventDefault();
                    problem.target.focus();
                  }}
                >
                  {problem.label}: {problem.message}
                </a>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

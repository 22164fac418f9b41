import type React from 'react';
import { type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, useId } from 'react';
import { navigate } from 'wouter/use-browser-location';

/** Thin React components over NL Design System (Utrecht) CSS classes: accessible markup, our own API. */

export function Heading({ level, children, id }: { level: 1 | 2 | 3; children: ReactNode; id?: string }) {
  const Tag = `h${level}` as const;
  return (
    <Tag id={id} className={`utrecht-heading-${level}`}>
      {children}
    </Tag>
  );
}

export function Paragraph({ children, muted }: { children: ReactNode; muted?: boolean }) {
  return <p className={`utrecht-paragraph${muted ? ' kring-muted' : ''}`}>{children}</p>;
}

export function Button({
  appearance = 'primary',
  busy,
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { appearance?: 'primary' | 'secondary' | 'subtle'; busy?: boolean }) {
  return (
    <button
      type="button"
      {...rest}
      aria-busy={busy || undefined}
      className={`utrecht-button utrecht-button--${appearance}-action${busy ? ' utrecht-button--busy' : ''}`}
    >
      {children}
    </button>
  );
}

/**
 * One form field: label, optional description and error message, and the control, wired together
 * for assistive technology (the control gets the id, aria-describedby and aria-invalid).
 */
function FormField({
  label,
  description,
  error,
  kind,
  control,
}: {
  label: string;
  description?: string;
  error?: string;
  kind?: string;
  control: (wiring: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
}) {
  const id = useId();
  const describedBy = [description ? `${id}-description` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div
      className={`utrecht-form-field${kind ? ` utrecht-form-field--${kind}` : ''}${error ? ' utrecht-form-field--invalid' : ''}`}
    >
      <div className="utrecht-form-field__label">
        <label className="utrecht-form-label" htmlFor={id}>
          {label}
        </label>
      </div>
      {description && (
        <div className="utrecht-form-field-description" id={`${id}-description`}>
          {description}
        </div>
      )}
      {error && (
        <div className="utrecht-form-field-error-message" id={`${id}-error`}>
          {error}
        </div>
      )}
      <div className="utrecht-form-field__input">
        {control({
          id,
          ...(describedBy ? { 'aria-describedby': describedBy } : {}),
          ...(error ? { 'aria-invalid': true as const } : {}),
        })}
      </div>
    </div>
  );
}

export function TextField({
  label,
  description,
  error,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; description?: string; error?: string }) {
  return (
    <FormField
      label={label}
      description={description}
      error={error}
      kind="text"
      control={(wiring) => (
        <input
          {...input}
          {...wiring}
          className={`utrecht-textbox utrecht-textbox--html-input${error ? ' utrecht-textbox--invalid' : ''}`}
        />
      )}
    />
  );
}

export function TextAreaField({
  label,
  description,
  error,
  ...textarea
}: React.TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; description?: string; error?: string }) {
  return (
    <FormField
      label={label}
      description={description}
      error={error}
      kind="textarea"
      control={(wiring) => (
        <textarea
          {...textarea}
          {...wiring}
          className={`utrecht-textarea utrecht-textarea--html-textarea${error ? ' utrecht-textarea--invalid' : ''}`}
        />
      )}
    />
  );
}

export function Alert({ type, children }: { type: 'info' | 'ok' | 'warning' | 'error'; children: ReactNode }) {
  return (
    <div className={`utrecht-alert utrecht-alert--${type}`} role={type === 'error' ? 'alert' : 'status'}>
      <div className="utrecht-alert__content">
        <div className="utrecht-alert__message">{children}</div>
      </div>
    </div>
  );
}

export function Link({
  href,
  children,
  current,
  onFollow,
}: {
  href: string;
  children: ReactNode;
  current?: boolean;
  /** Called when the link is followed, before the page changes. */
  onFollow?: () => void;
}) {
  return (
    <a
      href={href}
      className="utrecht-link utrecht-link--html-a"
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        onFollow?.();
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

/** Client-side navigation: push the path; the router (wouter) follows the browser's history. */
export { navigate };

export function SelectField({
  label,
  description,
  options,
  error,
  ...select
}: React.SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  description?: string;
  options: { value: string; label: string }[];
  error?: string;
}) {
  return (
    <FormField
      label={label}
      description={description}
      error={error}
      control={(wiring) => (
        <select {...select} {...wiring} className="utrecht-select utrecht-select--html-select">
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

export function Checkbox({
  label,
  error,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string }) {
  const id = useId();
  return (
    <div className={`utrecht-form-field utrecht-form-field--checkbox${error ? ' utrecht-form-field--invalid' : ''}`}>
      {error && (
        <div className="utrecht-form-field-error-message" id={`${id}-error`}>
          {error}
        </div>
      )}
      <div className="utrecht-form-field__input">
        <input
          id={id}
          type="checkbox"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          {...input}
          className="utrecht-checkbox utrecht-checkbox--html-input"
        />
        <label className="utrecht-form-label utrecht-form-label--checkbox" htmlFor={id}>
          {' '}
          {label}
        </label>
      </div>
    </div>
  );
}

export function Fieldset({ legend, children, error }: { legend: string; children: ReactNode; error?: string }) {
  return (
    <fieldset
      className={`utrecht-form-fieldset utrecht-form-fieldset--html-fieldset${error ? ' utrecht-form-fieldset--invalid' : ''}`}
    >
      <legend className="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">{legend}</legend>
      {error && <div className="utrecht-form-field-error-message">{error}</div>}
      {children}
    </fieldset>
  );
}

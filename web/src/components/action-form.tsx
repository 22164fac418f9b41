import { type FormEvent, type ReactNode, useRef } from 'react';
import { useErrorText } from '../features/auth/use-error-text.ts';
import { ErrorSummary } from './error-summary.tsx';
import { Alert } from './nlds.tsx';

/**
 * A form that runs one action (a react-query mutation): submits without reloading, shows the
 * action's error above the fields as an error summary that links to each field at fault (each
 * field shows its own message too) and, when given, a confirmation once the action succeeded.
 */
export function ActionForm({
  action,
  heading,
  saved,
  className = 'kring-stack',
  children,
  ...aria
}: {
  action: { mutate: () => void; error: unknown; isSuccess: boolean };
  heading?: ReactNode;
  saved?: string;
  className?: string;
  children: ReactNode;
  'aria-labelledby'?: string;
}) {
  const errorText = useErrorText();
  const form = useRef<HTMLFormElement>(null);
  return (
    <form
      ref={form}
      className={className}
      noValidate
      {...aria}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        action.mutate();
      }}
    >
      {heading}
      <ErrorSummary form={form} error={action.error} text={action.error ? errorText(action.error) : ''} />
      {saved && action.isSuccess && <Alert type="ok">{saved}</Alert>}
      {children}
    </form>
  );
}

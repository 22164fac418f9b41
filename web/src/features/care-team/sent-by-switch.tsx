import { useTranslation } from 'react-i18next';
import { Button, Fieldset } from '../../components/nlds.tsx';

/** What was sent by me, or by my whole organisation. */
export function SentBySwitch({
  by,
  onChange,
}: {
  by: 'me' | 'organisation';
  onChange: (by: 'me' | 'organisation') => void;
}) {
  const { t } = useTranslation();
  return (
    <Fieldset legend={t('sent.byLabel')}>
      <div className="kring-toggle">
        {(['me', 'organisation'] as const).map((value) => (
          <Button
            key={value}
            appearance={by === value ? 'primary' : 'secondary'}
            aria-pressed={by === value}
            onClick={() => onChange(value)}
          >
            {t(`sent.by.${value}`)}
          </Button>
        ))}
      </div>
    </Fieldset>
  );
}

import { useTranslation } from 'react-i18next';
import { SelectField } from '../../components/nlds.tsx';

/** A child's sex as recorded (FHIR administrative gender), or not recorded: at birth and for siblings. */
export function SexField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (sex: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <SelectField
      label={t('record.sex')}
      value={value}
      error={error}
      onChange={(e) => onChange(e.target.value)}
      options={['', 'female', 'male', 'other', 'unknown'].map((sex) => ({
        value: sex,
        label: sex ? t(`sexes.${sex}`) : t('record.sexNotRecorded'),
      }))}
    />
  );
}

import { useTranslation } from 'react-i18next';
import { Checkbox, SelectField } from '../../components/nlds.tsx';

export const CATEGORIES = ['medical', 'psychosocial', 'social'] as const;

/** One checkbox per category of information (medical, psychosocial, social). */
export function CategoryCheckboxes({ value, onChange }: { value: string[]; onChange: (categories: string[]) => void }) {
  const { t } = useTranslation();
  return (
    <>
      {CATEGORIES.map((category) => (
        <Checkbox
          key={category}
          label={t(`categories.${category}`)}
          checked={value.includes(category)}
          onChange={(e) => onChange(e.target.checked ? [...value, category] : value.filter((c) => c !== category))}
        />
      ))}
    </>
  );
}

/** How the parents gave their consent to the professional. */
export function GivenHowSelect({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (givenHow: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  // Nothing chosen beforehand: how the parents consented is the professional's own statement.
  return (
    <SelectField
      label={t('register.givenHow')}
      value={value}
      error={error}
      onChange={(e) => onChange(e.target.value)}
      options={[
        { value: '', label: t('givenHow.choose') },
        ...['verbal', 'written'].map((option) => ({ value: option, label: t(`givenHow.${option}`) })),
      ]}
    />
  );
}

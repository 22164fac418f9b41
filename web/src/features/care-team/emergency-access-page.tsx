import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { overrideRoutes } from '../../../../server/src/consent/override.routes.ts';
import { type Answer, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import {
  Alert,
  Button,
  Checkbox,
  Heading,
  Link,
  navigate,
  Paragraph,
  TextAreaField,
  TextField,
} from '../../components/nlds.tsx';
import { fieldMessage } from '../families/families-api.ts';

/**
 * Break the glass: in an acute safety situation, a professional outside the team finds a family by
 * exact BSN (or exact family name and date of birth) and opens its record after stating a reason.
 * The access is read-only, ends after a few hours, is audited and reviewed by the regiehouder.
 */
export function EmergencyAccessPage() {
  const { t } = useTranslation();
  const [form, setForm] = useState({ bsn: '', familyName: '', birthDate: '', reason: '', endangersChild: false });
  const open = useMutation({
    mutationFn: () =>
      api<Answer<typeof overrideRoutes, 'POST /api/emergency-access'>>('POST', '/api/emergency-access', {
        ...(form.bsn.trim()
          ? { bsn: form.bsn.trim() }
          : {
              ...(form.familyName.trim() ? { familyName: form.familyName.trim() } : {}),
              ...(form.birthDate ? { birthDate: form.birthDate } : {}),
            }),
        reason: form.reason,
        endangersChild: form.endangersChild,
      }),
    onSuccess: ({ familyId }) => navigate(`/gezinnen/${familyId}`),
  });
  const field = (name: 'bsn' | 'familyName' | 'birthDate' | 'reason') => ({
    value: form[name],
    error: fieldMessage(open.error, `body.${name}`),
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      setForm({ ...form, [name]: e.target.value }),
  });
  return (
    <div className="kring-stack">
      <Link href="/">{t('record.back')}</Link>
      <Heading level={1}>{t('emergency.title')}</Heading>
      <Alert type="warning">{t('emergency.warning')}</Alert>
      <Paragraph>{t('emergency.intro')}</Paragraph>
      <ActionForm action={open} className="kring-stack kring-card">
        <div className="kring-grid">
          <TextField label={t('register.bsn')} inputMode="numeric" maxLength={9} autoComplete="off" {...field('bsn')} />
          <TextField label={t('register.familyName')} autoComplete="off" {...field('familyName')} />
          <TextField label={t('register.birthDate')} type="date" {...field('birthDate')} />
        </div>
        <TextAreaField label={t('emergency.reason')} description={t('emergency.reasonHint')} {...field('reason')} />
        <Checkbox
          label={t('emergency.endangersChild')}
          checked={form.endangersChild}
          onChange={(e) => setForm({ ...form, endangersChild: e.target.checked })}
        />
        <div>
          <Button type="submit" busy={open.isPending}>
            {t('emergency.submit')}
          </Button>
        </div>
      </ActionForm>
    </div>
  );
}

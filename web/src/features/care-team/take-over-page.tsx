import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { familyRoutes } from '../../../../server/src/families/family.routes.ts';
import { type Answer, api } from '../../api.ts';
import { ActionForm } from '../../components/action-form.tsx';
import { Button, Heading, Link, navigate, Paragraph, TextAreaField, TextField } from '../../components/nlds.tsx';
import { fieldMessage } from '../families/families-api.ts';

/**
 * Take over a family of one's own organisation (a colleague is away): identify a parent by BSN, or
 * by family name and date of birth, and give a reason. The data goes in a POST body; the reason is
 * kept with the assignment and the step is audited.
 */
export function TakeOverPage() {
  const { t } = useTranslation();
  const [form, setForm] = useState({ bsn: '', familyName: '', birthDate: '', reason: '' });
  const takeOver = useMutation({
    mutationFn: () =>
      api<Answer<typeof familyRoutes, 'POST /api/families/take-over'>>('POST', '/api/families/take-over', {
        ...(form.bsn.trim()
          ? { bsn: form.bsn.trim() }
          : {
              ...(form.familyName.trim() ? { familyName: form.familyName.trim() } : {}),
              ...(form.birthDate ? { birthDate: form.birthDate } : {}),
            }),
        reason: form.reason,
      }),
    onSuccess: ({ familyId }) => navigate(`/gezinnen/${familyId}`),
  });
  const field = (name: keyof typeof form) => ({
    value: form[name],
    error: fieldMessage(takeOver.error, `body.${name}`),
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      setForm({ ...form, [name]: e.target.value }),
  });
  return (
    <div className="kring-stack">
      <Link href="/">{t('record.back')}</Link>
      <Heading level={1}>{t('takeOver.title')}</Heading>
      <Paragraph>{t('takeOver.intro')}</Paragraph>
      <ActionForm action={takeOver} className="kring-stack kring-card">
        <div className="kring-grid">
          <TextField label={t('register.bsn')} inputMode="numeric" maxLength={9} autoComplete="off" {...field('bsn')} />
          <TextField label={t('register.familyName')} autoComplete="off" {...field('familyName')} />
          <TextField label={t('register.birthDate')} type="date" {...field('birthDate')} />
        </div>
        <TextAreaField label={t('takeOver.reason')} description={t('takeOver.reasonHint')} {...field('reason')} />
        <Button type="submit" busy={takeOver.isPending}>
          {t('takeOver.submit')}
        </Button>
      </ActionForm>
    </div>
  );
}

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { familyRoutes } from '../../../../server/src/families/family.routes.ts';
import { type Answer, ApiError, api } from '../../api.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Heading,
  Link,
  navigate,
  Paragraph,
  SelectField,
  TextField,
} from '../../components/nlds.tsx';
import { useErrorText } from '../auth/use-error-text.ts';
import { CategoryCheckboxes, GivenHowSelect } from './consent-fields.tsx';
import { fieldMessage } from './families-api.ts';
import { SexField } from './sex-field.tsx';

interface Adult {
  givenName: string;
  familyName: string;
  birthDate: string;
  bsn: string;
  parentalAuthority: boolean;
}
const emptyAdult: Adult = { givenName: '', familyName: '', birthDate: '', bsn: '', parentalAuthority: true };

/** A child already in the family (a brother or sister of the expected child). */
interface Sibling {
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: string;
}

/** The other adults a family can have beside the pregnant person and the partner. */
const OTHER_ROLES = ['caregiver', 'foster_parent', 'parent_of_minor'] as const;
type OtherAdult = Adult & { role: (typeof OTHER_ROLES)[number] };

function AdultFields({
  prefix,
  value,
  onChange,
  error,
}: {
  prefix: string;
  value: Adult;
  onChange: (a: Adult) => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  const field = (name: Exclude<keyof Adult, 'parentalAuthority'>) => ({
    name: `${prefix}.${name}`,
    value: value[name],
    error: fieldMessage(error, `body.${prefix}.${name}`),
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => onChange({ ...value, [name]: event.target.value }),
  });
  return (
    <div className="kring-grid">
      <TextField label={t('register.givenName')} autoComplete="off" required {...field('givenName')} />
      <TextField label={t('register.familyName')} autoComplete="off" required {...field('familyName')} />
      <TextField label={t('register.birthDate')} type="date" required {...field('birthDate')} />
      <TextField label={t('register.bsn')} inputMode="numeric" maxLength={9} {...field('bsn')} />
      <Checkbox
        label={t('register.parentalAuthority')}
        checked={value.parentalAuthority}
        error={fieldMessage(error, `body.${prefix}.parentalAuthority`)}
        onChange={(event) => onChange({ ...value, parentalAuthority: event.target.checked })}
      />
    </div>
  );
}

/** Register a family: parents, the pregnancy (or a wish for a child), address, language and consent. */
export function RegisterFamilyPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [mother, setMother] = useState<Adult>(emptyAdult);
  const [hasPartner, setHasPartner] = useState(true);
  const [partner, setPartner] = useState<Adult>(emptyAdult);
  const [others, setOthers] = useState<OtherAdult[]>([]);
  const [siblings, setSiblings] = useState<Sibling[]>([]);
  const [pregnant, setPregnant] = useState(true);
  const [dueDate, setDueDate] = useState('');
  const [lmpDate, setLmpDate] = useState('');
  const [expectedChildren, setExpectedChildren] = useState('1');
  const [address, setAddress] = useState({ street: '', houseNumber: '', postcode: '', city: '' });
  const [language, setLanguage] = useState('nl');
  const [interpreterNeeded, setInterpreterNeeded] = useState(false);
  const [categories, setCategories] = useState<string[]>([]);
  const [givenHow, setGivenHow] = useState('');

  const adult = (a: Adult) => ({
    givenName: a.givenName,
    familyName: a.familyName,
    birthDate: a.birthDate,
    parentalAuthority: a.parentalAuthority,
    ...(a.bsn.trim() ? { bsn: a.bsn.trim() } : {}),
  });
  const register = useMutation({
    mutationFn: () =>
      api<Answer<typeof familyRoutes, 'POST /api/families'>>('POST', '/api/families', {
        pregnantPerson: adult(mother),
        caregivers: [
          ...(hasPartner ? [{ role: 'partner', ...adult(partner) }] : []),
          ...others.map((other) => ({ role: other.role, ...adult(other) })),
        ],
        pregnancy: pregnant
          ? {
              ...(dueDate ? { dueDate } : {}),
              ...(lmpDate ? { lmpDate } : {}),
              expectedChildren: Number(expectedChildren),
            }
          : null,
        siblings: siblings.map((s) => ({
          givenName: s.givenName,
          familyName: s.familyName,
          birthDate: s.birthDate,
          ...(s.sex ? { sex: s.sex } : {}),
        })),
        address: {
          postcode: address.postcode,
          ...(address.street ? { street: address.street } : {}),
          ...(address.houseNumber ? { houseNumber: address.houseNumber } : {}),
          ...(address.city ? { city: address.city } : {}),
        },
        language,
        interpreterNeeded,
        consent: categories.length ? { categories, givenHow } : { categories: [] },
      }),
    onSuccess: ({ familyId }) => navigate(`/gezinnen/${familyId}`),
  });
  const join = useMutation({
    mutationFn: () =>
      api(
        'POST',
        '/api/families/join-requests',
        mother.bsn ? { bsn: mother.bsn } : { familyName: mother.familyName, birthDate: mother.birthDate },
      ),
  });
  const already = register.error instanceof ApiError && register.error.code === 'ALREADY_EXISTS';
  const error = register.error;

  const form = useRef<HTMLFormElement>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate();
  };

  return (
    <div className="kring-stack">
      <Link href="/">{t('record.back')}</Link>
      <Heading level={1}>{t('register.title')}</Heading>
      <Paragraph>{t('register.intro')}</Paragraph>
      <form ref={form} onSubmit={submit} noValidate className="kring-stack kring-card">
        <ErrorSummary form={form} error={already ? null : error} text={error ? errorText(error) : ''} />
        {already && (
          <Alert type="warning">
            {t('register.already')}{' '}
            {join.isSuccess ? (
              t('register.joinSent')
            ) : (
              <Button appearance="secondary" onClick={() => join.mutate()}>
                {t('register.askToJoin')}
              </Button>
            )}
          </Alert>
        )}
        <Fieldset legend={t('register.pregnantPerson')}>
          <AdultFields prefix="pregnantPerson" value={mother} onChange={setMother} error={error} />
        </Fieldset>
        <Checkbox
          label={t('register.addPartner')}
          checked={hasPartner}
          onChange={(e) => setHasPartner(e.target.checked)}
        />
        {hasPartner && (
          <Fieldset legend={t('register.partner')}>
            <AdultFields prefix="caregivers.0" value={partner} onChange={setPartner} error={error} />
          </Fieldset>
        )}
        <Fieldset legend={t('register.otherAdults')} error={fieldMessage(error, 'body.caregivers')}>
          <Paragraph muted>{t('register.otherAdultsHint')}</Paragraph>
          {others.map((other, i) => {
            const index = (hasPartner ? 1 : 0) + i;
            const update = (changed: Partial<OtherAdult>) =>
              setOthers(others.map((o, j) => (j === i ? { ...o, ...changed } : o)));
            return (
              <div key={`other-${i.toString()}`} className="kring-stack">
                <SelectField
                  label={t('register.role')}
                  value={other.role}
                  onChange={(e) => update({ role: e.target.value as OtherAdult['role'] })}
                  options={OTHER_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
                />
                <AdultFields
                  prefix={`caregivers.${index}`}
                  value={other}
                  onChange={(changed) => update(changed)}
                  error={error}
                />
                <Button appearance="secondary" onClick={() => setOthers(others.filter((_, j) => j !== i))}>
                  {t('register.removeAdult')}
                </Button>
              </div>
            );
          })}
          {others.length < 3 && (
            <Button
              appearance="secondary"
              onClick={() => setOthers([...others, { ...emptyAdult, parentalAuthority: false, role: 'caregiver' }])}
            >
              {t('register.addAdult')}
            </Button>
          )}
        </Fieldset>
        <Checkbox label={t('register.pregnant')} checked={pregnant} onChange={(e) => setPregnant(e.target.checked)} />
        {pregnant && (
          <Fieldset legend={t('register.pregnancy')}>
            <div className="kring-grid">
              <TextField
                label={t('register.dueDate')}
                description={t('register.dueDateHint')}
                type="date"
                name="dueDate"
                value={dueDate}
                error={fieldMessage(error, 'body.pregnancy.dueDate')}
                onChange={(e) => setDueDate(e.target.value)}
              />
              <TextField
                label={t('register.lmpDate')}
                type="date"
                name="lmpDate"
                value={lmpDate}
                disabled={Boolean(dueDate)}
                error={fieldMessage(error, 'body.pregnancy.lmpDate')}
                onChange={(e) => setLmpDate(e.target.value)}
              />
              <SelectField
                label={t('register.expectedChildren')}
                value={expectedChildren}
                onChange={(e) => setExpectedChildren(e.target.value)}
                options={['1', '2', '3'].map((n) => ({ value: n, label: n }))}
              />
            </div>
          </Fieldset>
        )}
        <Fieldset legend={t('register.siblings')} error={fieldMessage(error, 'body.siblings')}>
          <Paragraph muted>{t('register.siblingsHint')}</Paragraph>
          {siblings.map((sibling, i) => {
            const update = (changed: Partial<Sibling>) =>
              setSiblings(siblings.map((s, j) => (j === i ? { ...s, ...changed } : s)));
            const field = (name: Exclude<keyof Sibling, 'sex'>) => ({
              name: `siblings.${i}.${name}`,
              value: sibling[name],
              error: fieldMessage(error, `body.siblings.${i}.${name}`),
              onChange: (event: React.ChangeEvent<HTMLInputElement>) => update({ [name]: event.target.value }),
            });
            return (
              <Fieldset key={`sibling-${i.toString()}`} legend={t('register.sibling', { n: i + 1 })}>
                <div className="kring-grid">
                  <TextField label={t('register.givenName')} autoComplete="off" required {...field('givenName')} />
                  <TextField label={t('register.familyName')} autoComplete="off" required {...field('familyName')} />
                  <TextField label={t('register.birthDate')} type="date" required {...field('birthDate')} />
                  <SexField
                    value={sibling.sex}
                    error={fieldMessage(error, `body.siblings.${i}.sex`)}
                    onChange={(sex) => update({ sex })}
                  />
                </div>
                <Button appearance="secondary" onClick={() => setSiblings(siblings.filter((_, j) => j !== i))}>
                  {t('register.removeSibling')}
                </Button>
              </Fieldset>
            );
          })}
          {siblings.length < 10 && (
            <Button
              appearance="secondary"
              onClick={() =>
                setSiblings([...siblings, { givenName: '', familyName: mother.familyName, birthDate: '', sex: '' }])
              }
            >
              {t('register.addSibling')}
            </Button>
          )}
        </Fieldset>
        <Fieldset legend={t('register.address')}>
          <div className="kring-grid">
            <TextField
              label={t('register.street')}
              name="street"
              value={address.street}
              onChange={(e) => setAddress({ ...address, street: e.target.value })}
            />
            <TextField
              label={t('register.houseNumber')}
              name="houseNumber"
              value={address.houseNumber}
              onChange={(e) => setAddress({ ...address, houseNumber: e.target.value })}
            />
            <TextField
              label={t('register.postcode')}
              name="postcode"
              required
              value={address.postcode}
              error={fieldMessage(error, 'body.address.postcode')}
              onChange={(e) => setAddress({ ...address, postcode: e.target.value })}
            />
            <TextField
              label={t('register.city')}
              name="city"
              value={address.city}
              onChange={(e) => setAddress({ ...address, city: e.target.value })}
            />
            <TextField
              label={t('register.language')}
              name="language"
              value={language}
              onChange={(e) => setLanguage(e.target.value)}
            />
          </div>
          <Checkbox
            label={t('register.interpreter')}
            checked={interpreterNeeded}
            onChange={(e) => setInterpreterNeeded(e.target.checked)}
          />
        </Fieldset>
        <Fieldset legend={t('register.consent')}>
          <Paragraph>{t('register.consentIntro')}</Paragraph>
          <CategoryCheckboxes value={categories} onChange={setCategories} />
          {categories.length > 0 && (
            <GivenHowSelect
              value={givenHow}
              onChange={setGivenHow}
              error={fieldMessage(register.error, 'body.consent.givenHow')}
            />
          )}
        </Fieldset>
        <Button type="submit" busy={register.isPending} disabled={register.isPending}>
          {t('register.submit')}
        </Button>
      </form>
    </div>
  );
}

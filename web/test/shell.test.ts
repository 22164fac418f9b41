import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, goTo, openBrowser, signIn } from './browser.ts';

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
});
afterAll(() => browser.close());

describe('the shell, in a real browser', () => {
  it('shows an accessible Dutch sign-in page', async () => {
    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inloggen');
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await expectAccessible(page);
  });

  it('says so, without revealing anything, when the password is wrong', async () => {
    await signIn(page, 'verloskundige@duinstad.demo', 'not-the-password', { waitUntilIn: false });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('klopt niet');
    await expectAccessible(page);
  });

  it('signs the midwife in and shows her name, organisation and role in Dutch', async () => {
    await signIn(page, 'verloskundige@duinstad.demo');
    const actor = page.getByTestId('actor');
    await expect.poll(() => actor.textContent()).toContain('Anouk de Vries');
    expect(await actor.textContent()).toContain('Verloskundige');
    expect(await actor.textContent()).toContain('Verloskundigenpraktijk De Duinroos');
    expect(await page.getByRole('navigation', { name: 'Hoofdmenu' }).textContent()).toContain('Mijn gezinnen');
    await expectAccessible(page);
  });

  it('switches to English and back, by keyboard', async () => {
    await page.getByRole('button', { name: 'Switch to English' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByTestId('actor').textContent()).toContain('Midwife');
    await expectAccessible(page);
    // The choice is kept in the account: a reload stays English.
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    // And back, while signed in, so the account speaks Dutch again for the journeys after this one.
    await page.getByRole('button', { name: 'Schakel naar Nederlands' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Uitloggen' }).count()).toBe(1);
  });

  it('signs out and is back at the sign-in page; the session is gone', async () => {
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inloggen');
    const me = await page.request.get('/api/me');
    expect(me.status()).toBe(401);
    // Signed out, the language is the browser's own choice (anyone may be a parent: all the parents' languages).
    await page.getByLabel('Taal').selectOption('en');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await page.getByLabel('Language').selectOption('tr');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).not.toBe('Sign in');
    await page.locator('.kring-language-select').selectOption('nl');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inloggen');
  });

  it('shows the administrator the audit-trail check, and it finds the trail intact', async () => {
    await signIn(page, 'beheer@duinstad.demo');
    await goTo(page, 'Beveiliging en audit');
    await page.getByRole('button', { name: 'Controleer de audittrail' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('In orde');
    await expectAccessible(page);
    // The JGZ contact schedule: Kring's default until the administrator adjusts it.
    await goTo(page, 'Organisaties');
    const schedule = page.getByRole('region', { name: 'JGZ-contactschema' });
    await expect.poll(() => schedule.textContent()).toContain('volgt het standaardschema van Kring');
    await schedule.getByLabel('Leeftijd in dagen (Huisbezoek rond 2 weken)').fill('10');
    await schedule.getByRole('button', { name: 'Schema opslaan' }).click();
    await expect.poll(() => schedule.textContent()).toContain('volgt een eigen schema');
    await expectAccessible(page);
    await schedule.getByRole('button', { name: 'Terug naar het standaardschema' }).click();
    await expect.poll(() => schedule.textContent()).toContain('volgt het standaardschema van Kring');
    // Importing interventions (Beheer → Inhoud): a bad file names its bad rows and imports nothing.
    await goTo(page, 'Inhoud');
    const catalogue = page.getByRole('region', { name: 'Interventies importeren (CSV)' });
    await catalogue.getByLabel('CSV-bestand').setInputFiles({
      name: 'interventies.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('key,name_nl\nbabymassage,Babymassage\n'),
    });
    await catalogue.getByRole('button', { name: /Importeren/ }).click();
    await expect.poll(() => catalogue.textContent()).toContain('line 1: missing column(s)');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Uitloggen' }).click();
  });
});

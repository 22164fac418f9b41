import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { birthDateOnRecord, expectAccessible, goTo, openBrowser, openFamily, signIn, signOut } from './browser.ts';

/**
 * What one parent tells stays theirs (PRODUCT.md point 10), in a real browser on the demo: the
 * midwife records domestic violence about Eline; her partner's Kring shows nothing of it — not even
 * that something is held back — nor that Veilig Thuis looked; Eline sees both.
 */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let elineBirthDate = '';

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
});
afterAll(() => browser.close());

const main = () => page.getByRole('main').textContent();

describe('confidentiality within the family, in a real browser', () => {
  it('lets the midwife record domestic violence about Eline, told before saving that only Eline will see it', async () => {
    await signIn(page, 'verloskundige@duinstad.demo');
    await openFamily(page, 'Verhoeven', 'Eline Verhoeven');
    elineBirthDate = await birthDateOnRecord(page, 'Eline Verhoeven');
    const picture = page.getByRole('region', { name: 'Wat staat er tussen ouder en kind' });
    await picture.getByText('Signaal vastleggen').click();
    const form = picture.locator('details', { has: page.getByText('Signaal vastleggen') });
    await form.getByLabel('Gebied').selectOption({ label: 'Stress van buitenaf' });
    await form.getByLabel('Signaal', { exact: true }).selectOption({ label: 'Huiselijk geweld' });
    const audience = form.getByRole('group', { name: 'Wie in het gezin ziet dit in de eigen Kring van de ouders' });
    // About the family as a whole, domestic violence is shown to no parent until someone decides.
    await expect.poll(() => audience.textContent()).toContain('Niemand in het gezin ziet dit.');
    await form.getByLabel('Gaat over').selectOption({ label: 'Eline Verhoeven' });
    await expect.poll(() => audience.textContent()).toContain('Zichtbaar voor: Eline.');
    await form
      .getByLabel('In eigen woorden')
      .fill('Vertelde over dreiging door haar partner; wil dat hij het niet weet.');
    await expectAccessible(page);
    await form.getByRole('button', { name: 'Signaal opslaan' }).click();
    await expect.poll(() => picture.textContent()).toContain('Vertelde over dreiging door haar partner');
    await signOut(page);
  });

  it('lets Veilig Thuis open the record in an emergency', async () => {
    await signIn(page, 'veiligthuis@duinstad.demo');
    await page.goto('/noodtoegang');
    await page.getByLabel('Achternaam').fill('Verhoeven');
    await page.getByLabel('Geboortedatum').fill(elineBirthDate);
    await page.getByLabel('Reden', { exact: true }).fill('Melding van dreiging; acute beoordeling van de veiligheid.');
    await page.getByRole('button', { name: 'Dossier openen' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Eline Verhoeven');
    // Read only, and until when: nothing on the record can be recorded.
    await expect.poll(() => page.getByRole('main').textContent()).toMatch(/alleen lezen.*Je toegang eindigt \w+dag/);
    expect(await page.getByText('Contactmoment vastleggen').count()).toBe(0);
    expect(await page.getByText('Signaal vastleggen').count()).toBe(0);
    expect(await page.getByRole('button', { name: /opslaan|vastleggen/i }).count()).toBe(0);
    await expectAccessible(page);
    await signOut(page);
  });

  it('shows her partner nothing of it: not what she confided, nor that something is held back, nor who looked', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, 'partner@duinstad.demo');
    await goTo(page, 'Wat is vastgelegd');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Wat er over jullie is vastgelegd');
    await expect.poll(main).toContain('wat over een andere volwassene gaat, is van die persoon');
    const recorded = (await main()) ?? '';
    expect(recorded).not.toContain('Onveiligheid thuis');
    expect(recorded).not.toContain('Psychische');
    expect(recorded).not.toMatch(/verborgen|niet getoond|achtergehouden/i);
    await expectAccessible(page);
    await goTo(page, 'Wie keek mee');
    await expect.poll(main).toContain('Verloskundigenpraktijk De Duinroos');
    const looked = (await main()) ?? '';
    expect(looked).not.toContain('Veilig Thuis');
    expect(looked).not.toMatch(/noodtoegang/i);
    await expectAccessible(page);
    await signOut(page);
  });

  it('shows Eline what she told and that Veilig Thuis looked, and lets her choose to share what is about her', async () => {
    await signIn(page, 'ouder@duinstad.demo');
    await goTo(page, 'Wat is vastgelegd');
    await expect.poll(main).toContain('Onveiligheid thuis');
    await goTo(page, 'Wie keek mee');
    await expect.poll(main).toContain('Veilig Thuis Kustregio');
    await goTo(page, 'Toestemming');
    const sharing = page.getByRole('region', { name: 'Wat over mij is vastgelegd' });
    await expect.poll(() => sharing.textContent()).toContain('ziet niet wat over jou is vastgelegd');
    await expectAccessible(page);
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('lists that access, with its reason and open review, for the privacy officer', async () => {
    await signIn(page, 'beheer@duinstad.demo');
    await page.getByRole('link', { name: 'Noodtoegang' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Noodtoegang: overzicht voor de privacy officer');
    const access = page.locator('li', { hasText: 'Melding van dreiging; acute beoordeling van de veiligheid.' });
    await expect.poll(() => access.textContent()).toContain('Veilig Thuis Kustregio');
    expect(await access.textContent()).toContain('nog niet beoordeeld door de regiehouder');
    await expect.poll(() => access.getByRole('link', { name: /Audittrail van dit gezin/ }).count()).toBe(1);
    await expectAccessible(page);
    await signOut(page);
  });
});

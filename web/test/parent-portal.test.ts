import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openBrowser, openFamily, signIn, signOut } from './browser.ts';

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let code = '';

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
});
afterAll(() => browser.close());

describe("the parents' own Kring, on a phone-sized screen", () => {
  it('lets JGZ give Daan Visser a code for his own Kring', async () => {
    await signIn(page, 'jgz@duinstad.demo');
    await openFamily(page, 'Visser', 'Noor Visser');
    const section = page.getByRole('region', { name: 'Eigen Kring voor de ouders' });
    await section.getByText('Een ouder uitnodigen').click();
    await section.getByLabel('Wie nodig je uit?').selectOption({ label: 'Daan Visser' });
    await section.getByRole('button', { name: 'Code maken' }).click();
    await expect.poll(() => section.getByTestId('parent-code').count()).toBe(1);
    code = (await section.getByTestId('parent-code').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await section.getByText('Vragen voor thuis sturen').click();
    await section.getByLabel('Aan wie?').selectOption({ label: 'Daan Visser' });
    await section.getByRole('button', { name: 'Versturen' }).click();
    await expect.poll(() => section.textContent()).toContain('Verstuurd: de ouder ziet de vragen');
    await expectAccessible(page);
    await signOut(page);
  });

  it('lets Daan make his account with the code and see where the family is, who is in the team and the contacts', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/ouder#${code}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Welkom in jullie eigen Kring');
    await page.getByLabel('E-mailadres').fill('daan.visser@thuis.example');
    await page.getByLabel('Kies een wachtwoord').fill('ons eigen wachtwoord');
    await page.getByLabel('Herhaal het wachtwoord').fill('ons eigen wachtwoord');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Account maken' }).click();
    await expect.poll(() => page.getByText('Je account is gemaakt.', { exact: false }).count()).toBe(1);
    await signIn(page, 'daan.visser@thuis.example', 'ons eigen wachtwoord');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Jullie Kring, Daan');
    const team = page.getByRole('region', { name: 'Wie met jullie meedenkt' });
    await expect.poll(() => team.textContent()).toContain('JGZ Duinstad');
    expect(await team.textContent()).toContain('jullie vaste aanspreekpunt');
    await page.getByRole('link', { name: 'Vragen voor thuis' }).click();
    await expect.poll(() => page.getByRole('main').textContent()).toContain('Gestuurd door JGZ Duinstad');
    await page.getByRole('link', { name: 'Onze reis' }).click();
    expect(await page.getByRole('region', { name: 'Contacten tot nu toe' }).textContent()).toContain(
      'Consultatiebureau',
    );
    await expectAccessible(page);
    await signOut(page);
  });

  it('shows the demo parent of the Verhoeven family her pregnancy', async () => {
    await signIn(page, 'ouder@duinstad.demo');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Jullie Kring, Eline');
    await expect
      .poll(() => page.getByRole('region', { name: 'Waar jullie nu zijn' }).textContent())
      .toContain('weken zwanger');
    await expectAccessible(page);
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

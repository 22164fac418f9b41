import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

/** A fresh Chromium profile (Debian's chromium, headless) and its first page. */
export async function openBrowser(): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.KRING_CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    baseURL: inject('baseUrl'),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** axe-core on the page as it is now: no serious or critical violations (WCAG 2.1 AA rules). */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}

export async function signIn(
  page: Page,
  email: string,
  password = 'kring-demo',
  { waitUntilIn = true } = {},
): Promise<void> {
  await page.goto('/');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  // Signed in when the sign-out button is there (the session cookie is set by then; on a phone it
  // waits folded in the menu).
  if (waitUntilIn) await page.locator('#kring-actor').waitFor({ state: 'attached' });
}

/** On a phone the account and navigation fold behind the menu button: open it when it is shown and closed. */
export async function openMenu(page: Page): Promise<void> {
  const menu = page.locator('.kring-menu-button');
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
}

/** Go to a page of the main navigation, as a person would on any screen. */
export async function goTo(page: Page, name: string): Promise<void> {
  await openMenu(page);
  await page
    .getByRole('navigation', { name: /Hoofdmenu|Main/ })
    .getByRole('link', { name, exact: true })
    .click();
}

/** Sign out and wait for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await openMenu(page);
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inloggen');
}

/** Find a family in the caseload by family name and open the record of the named mother. */
export async function openFamily(page: Page, familyName: string, motherName: string): Promise<void> {
  await page.getByLabel('Zoek in je gezinnen').fill(familyName);
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await page
    .getByRole('link', { name: new RegExp(motherName) })
    .first()
    .click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(motherName);
}

/** An ISO date this many days from today. */
export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The birth date of the named person as the record's persons list writes it ("5 april 2000"), as ISO. */
export async function birthDateOnRecord(page: Page, name: string): Promise<string> {
  const persons = (await page.getByRole('region', { name: 'Gezinsleden' }).textContent()) ?? '';
  const [, day = '', month = '', year = ''] =
    new RegExp(`${name} — [^,]*, (\\d{1,2}) (\\p{L}+) (\\d{4})`, 'u').exec(persons) ?? [];
  const months = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september'];
  months.push('oktober', 'november', 'december');
  const iso = `${year}-${String(months.indexOf(month) + 1).padStart(2, '0')}-${day.padStart(2, '0')}`;
  expect(iso).toMatch(/^\d{4}-(0[1-9]|1[0-2])-\d{2}$/);
  return iso;
}

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, inDays, openBrowser, openFamily, signIn, signOut } from './browser.ts';

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
});
afterAll(() => browser.close());

describe('what works for whom: from finding an intervention to an accepted referral, in a real browser', () => {
  it('lets JGZ find Stevig Ouderschap for a demo family and refer her to the wijkteam', async () => {
    await signIn(page, 'jgz@duinstad.demo');
    await openFamily(page, 'Visser', 'Noor Visser');
    const referrals = page.getByRole('region', { name: 'Verwijzingen en interventies' });
    await referrals.getByText('Interventie zoeken voor dit gezin').click();
    const stevig = referrals.getByRole('article', { name: 'Stevig Ouderschap' });
    await expect.poll(() => stevig.textContent()).toContain('Effectief volgens eerste aanwijzingen');
    expect(await stevig.textContent()).toContain('Wijkteam Duinstad-Noord: 3 weken wachten');
    // Noor's stress factors meet the Gezondheidsraad rule: nothing holds the relationship interventions back.
    expect(await referrals.textContent()).toContain('Interventies voor de ouder-kindrelatie passen hier');
    await expectAccessible(page);
    await stevig.getByRole('button', { name: 'Verwijzen naar Stevig Ouderschap' }).click();
    const form = referrals.getByRole('form', { name: 'Verwijzing' });
    await form.getByLabel('Naar').selectOption({ label: 'Wijkteam Duinstad-Noord (3 weken wachten)' });
    await form.getByLabel('Waarom verwijs je?').fill('Moeder is uitgeput en heeft weinig mensen om zich heen.');
    await form.getByLabel('Psychosociaal').check();
    await form.getByLabel('De ouders geven nu toestemming om dit te delen').check();
    await form.getByLabel('Hoe gegeven').selectOption({ label: 'Mondeling' });
    await expectAccessible(page);
    await form.getByRole('button', { name: 'Versturen' }).click();
    await expect.poll(() => referrals.locator('.kring-timeline').textContent()).toContain('verstuurd');
    expect(await referrals.locator('.kring-timeline').textContent()).toContain('Wijkteam Duinstad-Noord');
    // JGZ finds it under what it sent, with its status.
    await page.getByRole('link', { name: 'Verwijzingen', exact: true }).click();
    await page.getByRole('button', { name: 'Verstuurd' }).click();
    const sent = page.getByRole('region', { name: 'Wat er is verwezen' });
    await expect.poll(() => sent.textContent()).toContain('Stevig Ouderschap → Wijkteam Duinstad-Noord');
    expect(await sent.textContent()).toContain('verstuurd');
    await expectAccessible(page);
    await signOut(page);
  });

  it('lets the wijkteam accept it from its inbox', async () => {
    await signIn(page, 'wijkteam@duinstad.demo');
    await page.getByRole('link', { name: 'Verwijzingen', exact: true }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Verwijzingen voor jouw organisatie');
    // The demo's late referral stands out.
    await expect.poll(() => page.getByText('te laat').count()).toBeGreaterThanOrEqual(1);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Noor Visser' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Verwijzing: Stevig Ouderschap');
    // Opening it marked it received; what went along is shown.
    await expect.poll(() => page.locator('main').textContent()).toContain('ontvangen');
    expect(await page.getByRole('region', { name: 'Wat is meegestuurd' }).textContent()).toContain('Noor Visser');
    await expectAccessible(page);
    await page.getByLabel('Verwachte start').fill(inDays(21));
    await page.getByRole('button', { name: 'Accepteren' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Verloop' }).textContent()).toContain('geaccepteerd');
    await signOut(page);
  });

  it('shows JGZ "accepted" on the record, and the sociale kaart on its own', async () => {
    await signIn(page, 'jgz@duinstad.demo');
    await openFamily(page, 'Visser', 'Noor Visser');
    const referrals = page.getByRole('region', { name: 'Verwijzingen en interventies' });
    await expect.poll(() => referrals.locator('.kring-timeline').textContent()).toContain('geaccepteerd');
    await page.getByRole('link', { name: 'Sociale kaart' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sociale kaart');
    await page.getByLabel('Zoeken').fill('schuld');
    await expect
      .poll(() => page.getByRole('heading', { level: 2 }).allTextContents())
      .toEqual(['Schuldhulp via het wijkteam']);
    await expectAccessible(page);
    await signOut(page);
  });

  it('lets JGZ, as regiehouder, write a goal with Noor in the plan and print it for her in English', async () => {
    await signIn(page, 'jgz@duinstad.demo');
    await openFamily(page, 'Visser', 'Noor Visser');
    const plan = page.getByRole('region', { name: 'Plan van het gezin' });
    await plan.getByText('Doel toevoegen').first().click();
    await plan.getByLabel('Doel', { exact: true }).fill('Meer rust, en iemand in de buurt om op terug te vallen.');
    await plan.getByLabel('Wie draagt het doel').selectOption({ label: 'Noor Visser (Moeder)' });
    await plan.getByLabel('Evalueren op').fill(inDays(42));
    await plan.getByRole('button', { name: 'Doel toevoegen' }).click();
    const goal = plan.getByRole('article', { name: 'Meer rust, en iemand in de buurt om op terug te vallen.' });
    await expect.poll(() => goal.count()).toBe(1);
    await goal.getByText('Actie toevoegen').first().click();
    await goal.getByLabel('Wat', { exact: true }).fill('Samen de ouder-en-kindgroep in de wijk bezoeken');
    await goal.getByRole('button', { name: 'Actie toevoegen' }).click();
    await expect.poll(() => goal.textContent()).toContain('Samen de ouder-en-kindgroep in de wijk bezoeken');
    await expectAccessible(page);
    await plan.getByRole('link', { name: /Plan voor de ouders/ }).click();
    await page.getByRole('button', { name: 'English version' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Our plan — Noor Visser');
    expect(await page.locator('main').textContent()).toContain('Meer rust, en iemand in de buurt');
    await expectAccessible(page);
    await signOut(page);
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../server/src/accounts/totp.ts';
import { expectAccessible, goTo, openBrowser, signIn, signOut } from './browser.ts';

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
const email = `marieke.${Date.now().toString(36)}@duinstad.demo`;
let secret = '';
let recoveryCode = '';
let invitationLink = '';

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
});
afterAll(() => browser.close());

describe('bringing a new JGZ nurse in, in a real browser', () => {
  it('lets the administrator invite a JGZ nurse by e-mail', async () => {
    await signIn(page, 'beheer@duinstad.demo');
    // The administrator keeps the region's organisations too.
    await goTo(page, 'Organisaties');
    const organisations = page.getByRole('region', { name: 'Organisaties' });
    await organisations.getByText('Organisatie toevoegen').click();
    const form = organisations.locator('details').last();
    await form.getByLabel('Naam').fill('Verloskundigenpraktijk Het Strand');
    await form.getByLabel('AGB-code of andere code').fill('AGB 99000077');
    await form.getByRole('group', { name: 'Wijken waarin zij werkt' }).getByRole('checkbox').first().check();
    await form.getByRole('button', { name: 'Toevoegen' }).click();
    await expect
      .poll(() => organisations.textContent())
      .toContain('Verloskundigenpraktijk Het Strand · Verloskundigenpraktijk · AGB 99000077');
    await expectAccessible(page);
    await goTo(page, 'Mensen');
    const invite = page.getByRole('region', { name: 'Een professional uitnodigen' });
    await invite.getByLabel('Naam').fill('Marieke Nieuwenhuis');
    await invite.getByLabel('E-mailadres').fill(email);
    await invite.getByLabel('Organisatie').selectOption({ label: 'JGZ Duinstad, consultatiebureau Centrum' });
    await invite.getByLabel('Discipline').selectOption({ label: 'Jeugdverpleegkundige' });
    await invite.getByRole('button', { name: 'Uitnodiging versturen' }).click();
    await expect.poll(() => invite.getByText('De uitnodiging is verstuurd.').count()).toBe(1);
    await expectAccessible(page);
    // The demo outbox is the administrator's: its links set passwords; Mensen links to it.
    await page.getByRole('link', { name: 'Verzonden e-mail (demo)' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Verzonden e-mail (demo)');
    await expectAccessible(page);
    const mail = page.getByRole('article').filter({ hasText: email });
    invitationLink = (await mail.getByRole('link', { name: /uitnodiging#/ }).getAttribute('href')) ?? '';
    await page.goto('/');
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inloggen');
    await page.goto('/outbox');
    await expect.poll(() => page.locator('main').textContent()).toContain('Alleen de beheerder');
  });

  it('lets the nurse follow the link the administrator passed on, choose a password and connect her app', async () => {
    await page.goto(invitationLink);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Welkom bij Kring');
    await page.getByLabel('Kies een wachtwoord').fill('zon zee en duinen');
    await page.getByLabel('Herhaal het wachtwoord').fill('zon zee en duinen');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await expect.poll(() => page.locator('code').count()).toBe(1);
    secret = (await page.locator('code').textContent()) ?? '';
    await page.getByLabel('Code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await expect.poll(() => page.getByText('Je authenticator-app is gekoppeld. Je kunt nu inloggen.').count()).toBe(1);
    const codes = page.getByRole('region', { name: 'Je herstelcodes' }).locator('code');
    expect(await codes.count()).toBe(10);
    recoveryCode = (await codes.nth(2).textContent()) ?? '';
    await expectAccessible(page);
  });

  it('signs her in with password and code, at her JGZ organisation', async () => {
    await page.goto('/');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill('zon zee en duinen');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByLabel('Code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await expect.poll(() => page.getByTestId('actor').textContent()).toContain('Marieke Nieuwenhuis');
    expect(await page.getByTestId('actor').textContent()).toContain('JGZ Duinstad');
  });

  it('lets her choose a new password through the link in a mail when she forgot it', async () => {
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByRole('button', { name: 'Link versturen' }).click();
    await expect.poll(() => page.getByText('Als dit adres bij Kring bekend is').count()).toBe(1);
    await expectAccessible(page);
    // In the demo the administrator reads the outbox and passes the link on.
    await signIn(page, 'beheer@duinstad.demo');
    await page.goto('/outbox');
    const mail = page.getByRole('article', { name: 'Nieuw wachtwoord voor Kring' }).filter({ hasText: email });
    const resetLink =
      (await mail
        .getByRole('link', { name: /wachtwoord#/ })
        .first()
        .getAttribute('href')) ?? '';
    await page.goto('/');
    await signOut(page);
    await page.goto(resetLink);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Nieuw wachtwoord kiezen');
    await page.getByLabel('Kies een wachtwoord').fill('eb en vloed aan zee');
    await page.getByLabel('Herhaal het wachtwoord').fill('eb en vloed aan zee');
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await expect.poll(() => page.getByText('Je wachtwoord is gewijzigd.', { exact: false }).count()).toBe(1);
    await expectAccessible(page);
  });

  it('signs her in with a recovery code when her phone is not at hand', async () => {
    await page.goto('/');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill('eb en vloed aan zee');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('button', { name: 'Telefoon kwijt? Gebruik een herstelcode' }).click();
    await expectAccessible(page);
    await page.getByLabel('Herstelcode').fill(recoveryCode.toUpperCase());
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await expect.poll(() => page.getByTestId('actor').textContent()).toContain('Marieke Nieuwenhuis');
    await page.getByRole('link', { name: 'Mijn account' }).click();
    const digest = page.getByRole('region', { name: 'E-mail over nieuwe meldingen' });
    await digest.getByLabel('Stuur me dagelijks een e-mail als er nieuwe meldingen of taken zijn').uncheck();
    await expect.poll(() => digest.textContent()).toContain('Opgeslagen.');
    await expectAccessible(page);
    const panel = page.getByRole('region', { name: 'Herstelcodes' });
    await expect.poll(() => panel.textContent()).toContain('Je hebt nog 9 ongebruikte herstelcodes.');
    await page.getByRole('button', { name: 'Uitloggen' }).click();
  });

  it('lets the administrator offboard her again: at once, without losing anything', async () => {
    await signIn(page, 'beheer@duinstad.demo');
    await goTo(page, 'Mensen');
    const people = page.getByRole('region', { name: 'Mensen' });
    await people.getByLabel('Organisatie').selectOption({ label: 'JGZ Duinstad, consultatiebureau Centrum' });
    // She becomes the team's jeugdarts: a new role.
    await people.getByText('Rol van Marieke Nieuwenhuis wijzigen').click();
    await people.getByLabel('Nieuwe rol van Marieke Nieuwenhuis').selectOption({ label: 'Jeugdarts' });
    await people.getByRole('button', { name: 'Rol wijzigen' }).click();
    await expect.poll(() => people.getByText('De rol is gewijzigd.').count()).toBe(1);
    await expect.poll(() => people.textContent()).toContain('Jeugdarts');
    // A lost phone: the administrator resets her second factor; she is told by e-mail.
    await people.getByText('Tweede stap van Marieke Nieuwenhuis opnieuw instellen').click();
    await people.getByRole('button', { name: 'Opnieuw instellen' }).click();
    await expect.poll(() => people.getByText('Opnieuw ingesteld; de e-mail is verstuurd.').count()).toBe(1);
    await people.getByText('Marieke Nieuwenhuis uit dienst melden').click();
    await expectAccessible(page);
    await people.getByRole('button', { name: 'Uit dienst melden' }).click();
    await expect.poll(() => people.textContent()).toContain('uit dienst');
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inloggen');
    await signIn(page, email, 'eb en vloed aan zee', { waitUntilIn: false });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('klopt niet');
  });
});

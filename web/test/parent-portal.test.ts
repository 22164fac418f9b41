import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../server/src/accounts/totp.ts';
import { expectAccessible, goTo, openBrowser, openFamily, signIn, signOut } from './browser.ts';

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let code = '';
let daanSecret = '';

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
});
afterAll(() => browser.close());

const heading = () => page.getByRole('heading', { level: 1 }).textContent();
const main = () => page.getByRole('main').textContent();

describe("the parents' own Kring, on a phone-sized screen", () => {
  it('lets JGZ give Daan Visser a code for his own Kring, and send him questions for home', async () => {
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

  it('lets Daan make his account with the code and find his journey, the team, who looked and a second factor', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/ouder#${code}`);
    await expect.poll(heading).toBe('Welkom in jullie eigen Kring');
    await page.getByLabel('E-mailadres').fill('daan.visser@thuis.example');
    await page.getByLabel('Kies een wachtwoord').fill('ons eigen wachtwoord');
    await page.getByLabel('Herhaal het wachtwoord').fill('ons eigen wachtwoord');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Account maken' }).click();
    await expect.poll(() => page.getByText('Je account is gemaakt.', { exact: false }).count()).toBe(1);
    await signIn(page, 'daan.visser@thuis.example', 'ons eigen wachtwoord');
    await expect.poll(heading).toBe('Jullie Kring, Daan');
    const team = page.getByRole('region', { name: 'Wie met jullie meedenkt' });
    await expect.poll(() => team.textContent()).toContain('JGZ Duinstad');
    expect(await team.textContent()).toContain('jullie vaste aanspreekpunt');
    expect(await page.getByRole('region', { name: 'Contacten tot nu toe' }).textContent()).toContain(
      'Consultatiebureau',
    );
    expect(await page.getByRole('region', { name: 'Waar jullie nu zijn' }).textContent()).toContain(
      'Wat er aankomt bij het consultatiebureau',
    );
    await expectAccessible(page);

    // Asking for help, in his own words.
    const help = page.getByRole('region', { name: 'Hulp vragen' });
    await help.getByLabel('Waar willen jullie hulp bij?').fill('Wij willen graag tips voor het slapen van de baby.');
    await help.getByRole('button', { name: 'Vraag versturen' }).click();
    await expect.poll(() => help.textContent()).toContain('Je vraag is verstuurd');

    // The questions JGZ sent.
    await goTo(page, 'Vragen voor thuis');
    await expect.poll(main).toContain('Gestuurd door JGZ Duinstad');

    // Who looked: one line per visit — organisation, role, what and when — no names; steps on demand.
    await goTo(page, 'Wie keek mee');
    await expect
      .poll(main)
      .toMatch(
        /JGZ Duinstad, consultatiebureau Centrum, jeugdverpleegkundige, bekeek jullie dossier( en legde iets vast)? — \w+dag \d+ \w+/,
      );
    expect(await main()).not.toContain('Marleen Visser');
    const visit = page.locator('.kring-visit').filter({ hasText: 'JGZ Duinstad' }).first();
    await visit.locator('summary').click();
    await expect.poll(() => visit.locator('details li').count()).toBeGreaterThan(0);
    await page
      .getByLabel('Organisatie', { exact: true })
      .selectOption({ label: 'JGZ Duinstad, consultatiebureau Centrum' });
    await expect.poll(() => page.locator('.kring-visit').filter({ hasNotText: 'JGZ Duinstad' }).count()).toBe(0);
    await expectAccessible(page);

    // If he wants, a second factor.
    await goTo(page, 'Mijn account');
    const second = page.getByRole('region', { name: 'Tweestapsverificatie instellen' });
    await second.getByRole('button', { name: 'Tweestapsverificatie instellen' }).click();
    await expect.poll(() => second.locator('code').count()).toBe(1);
    daanSecret = (await second.locator('code').textContent()) ?? '';
    await second.getByLabel('Code').fill(totpCode(daanSecret));
    await second.getByRole('button', { name: 'Bevestigen' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Je herstelcodes' }).locator('code').count()).toBe(10);
    await expectAccessible(page);
    await signOut(page);
  });

  it('lets the demo parent answer questions at home, see what is recorded, file a request, download her data and change consent', async () => {
    await signIn(page, 'ouder@duinstad.demo');
    await expect.poll(heading).toBe('Jullie Kring, Eline');
    await expect
      .poll(() => page.getByRole('region', { name: 'Waar jullie nu zijn' }).textContent())
      .toContain('weken zwanger');
    // How to reach each organisation of the team: phone, e-mail and when.
    const team = page.getByRole('region', { name: 'Wie met jullie meedenkt' });
    await expect.poll(() => team.textContent()).toContain('012-345 67 01');
    expect(await team.textContent()).toContain('bij spoed dag en nacht bereikbaar');
    await expectAccessible(page);

    // Questions for home, sent by JGZ: why each is asked; she answers one and skips the rest.
    await goTo(page, 'Vragen voor thuis');
    const guide = page.getByRole('region', { name: 'Gesprek over de band met de baby in de zwangerschap' });
    await expect.poll(() => guide.textContent()).toContain('Waarom we dit vragen:');
    await expectAccessible(page);
    await guide.getByRole('textbox').first().fill('Een ouder die er gewoon is.');
    await guide.getByRole('button', { name: 'Antwoorden versturen' }).click();
    await expect.poll(() => page.getByText('Er staan nu geen vragen voor jullie klaar.').count()).toBe(1);

    // What is recorded, in words for parents; she adds how she sees one of them, and files a request.
    await goTo(page, 'Wat is vastgelegd');
    await expect.poll(heading).toBe('Wat er over jullie is vastgelegd');
    const signals = page.getByRole('region', { name: 'Wat helpt en wat zwaar kan zijn' });
    await expect.poll(() => signals.locator('li').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await signals.locator('summary').first().click();
    await signals.getByRole('textbox').first().fill('Wij zien dit als iets dat al beter gaat.');
    await signals.getByRole('button', { name: 'Opslaan' }).first().click();
    await expect
      .poll(() => signals.textContent())
      .toContain('Zo zie jij het: “Wij zien dit als iets dat al beter gaat.”');
    const requests = page.getByRole('region', { name: 'Iets laten corrigeren of verwijderen' });
    await requests.getByText('Een verzoek doen').click();
    await requests.getByLabel('Wat klopt er niet, of wat moet weg, en waarom?').fill('Ons adres is veranderd.');
    await requests
      .getByLabel('Wat wil je laten verbeteren of verwijderen?')
      .selectOption({ label: 'Iets laten verbeteren' });
    await requests.getByRole('button', { name: 'Verzoek versturen' }).click();
    await expect.poll(() => requests.textContent()).toContain('“Ons adres is veranderd.”');
    // The request says what it is about and who decides by when, in the parent's words.
    expect(await requests.textContent()).toContain('Iets laten verbeteren · iets anders');
    expect(await requests.textContent()).toMatch(/beslist uiterlijk \d+ \w+ \d{4}/);
    await expectAccessible(page);

    // Their data: a readable page and a JSON download.
    await goTo(page, 'Onze gegevens');
    await expect.poll(heading).toBe('Alles wat Kring over jullie bewaart');
    // A readable document: labelled parts, Dutch wording of every code, no snake_case keys or ids.
    await expect.poll(main).toContain('Contacten');
    const text = (await main()) ?? '';
    expect(text).toContain('Geboortedatum');
    expect(text).not.toMatch(/[a-z]+_[a-z]+/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Downloaden (JSON)' }).click();
    expect((await download).suggestedFilename()).toBe('kring-onze-gegevens.json');
    await expectAccessible(page);

    // Consent: she withdraws the psychosocial information for JGZ, with one action.
    await goTo(page, 'Toestemming');
    const jgz = page.getByRole('region', { name: 'JGZ Duinstad, consultatiebureau Centrum' });
    const stop = jgz.getByRole('button', { name: /^Hoe het met jullie gaat \(psychosociaal\) niet meer delen met/ });
    await expect.poll(() => stop.count()).toBe(1);
    await expectAccessible(page);
    await stop.click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('Ingetrokken: JGZ Duinstad, consultatiebureau Centrum ziet Hoe het met jullie gaat');
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("shows JGZ the parent's answers, and no longer the midwife's psychosocial answers about her", async () => {
    await signIn(page, 'jgz@duinstad.demo');
    await page.goto('/taken');
    await expect.poll(main).toContain('Ouder heeft de vragen voor thuis beantwoord');
    await page.getByRole('link', { name: 'Mijn gezinnen' }).first().click();
    await openFamily(page, 'Verhoeven', 'Eline Verhoeven');
    const guides = page.getByRole('region', { name: 'Gesprekken en vragenlijsten' });
    await guides.getByLabel('Gesprek of vragenlijst').selectOption({
      label: 'Gesprek over de band met de baby in de zwangerschap',
    });
    await guides.getByRole('button', { name: 'Openen' }).click();
    await expect.poll(() => guides.textContent()).toContain('Een ouder die er gewoon is.');
    // What the midwife asked Eline is psychosocial, about her: without her consent JGZ sees none of it.
    expect(await guides.getByText(/Al gevraagd door Anouk de Vries/).count()).toBe(0);
    await signOut(page);
  });

  it("lets JGZ record that only Noor holds parental authority over the baby; Daan's Kring then shows nothing about the baby itself", async () => {
    await signIn(page, 'jgz@duinstad.demo');
    await openFamily(page, 'Visser', 'Noor Visser');
    const baby = page.locator('li', { hasText: /gezag: / }).first();
    await expect.poll(() => baby.textContent()).toContain('gezag: Noor Visser, Daan Visser');
    await page.getByText('Gezag per kind').click();
    await page.getByLabel('Daan Visser (Partner)').uncheck();
    await page.getByRole('button', { name: 'Gezag vastleggen' }).click();
    // No reason: refused, named at the field, nothing changed.
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Waarom verandert dit?');
    expect(await baby.textContent()).toContain('Daan Visser');
    await page
      .getByLabel(/^Waarom verandert dit\?/)
      .fill('Uitspraak van de rechtbank: het gezag ligt alleen bij Noor.');
    await page.getByRole('button', { name: 'Gezag vastleggen' }).click();
    await expect.poll(() => baby.textContent()).toMatch(/gezag: Noor Visser$/);
    await expectAccessible(page);
    await signOut(page);

    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, 'daan.visser@thuis.example', 'ons eigen wachtwoord', { waitUntilIn: false });
    await page.getByLabel('Code').fill(totpCode(daanSecret));
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await expect.poll(heading).toBe('Jullie Kring, Daan');
    const where = page.getByRole('region', { name: 'Waar jullie nu zijn' });
    await expect.poll(() => where.textContent()).toContain('Nu is er niets om te laten zien.');
    expect(await where.textContent()).not.toContain('Wat er aankomt bij het consultatiebureau');
    await expectAccessible(page);
    await signOut(page);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('lets her give the consent back', async () => {
    await signIn(page, 'ouder@duinstad.demo');
    await goTo(page, 'Toestemming');
    const jgz = page.getByRole('region', { name: 'JGZ Duinstad, consultatiebureau Centrum' });
    await jgz.getByRole('button', { name: /^Hoe het met jullie gaat \(psychosociaal\) delen met/ }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Gegeven:');
    await signOut(page);
  });

  it('gives her short pages on tension in pregnancy, a crying baby and where to find help, each with its sources', async () => {
    await signIn(page, 'ouder@duinstad.demo');
    await goTo(page, 'Goed om te weten');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Goed om te weten');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([
      'Spanning en somberheid in de zwangerschap',
      'Als je baby veel huilt — en nooit schudden',
      'Waar vind je hulp',
    ]);
    const help = page.getByRole('region', { name: 'Waar vind je hulp' });
    expect(await help.textContent()).toContain('0800-2000');
    await help.getByText('Waar komt dit vandaan?').click();
    expect(await help.getByRole('listitem').count()).toBeGreaterThan(1);
    await expectAccessible(page);
    await signOut(page);
  });
});

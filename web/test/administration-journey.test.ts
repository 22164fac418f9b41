import { generateKeyPairSync } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startIdentityProvider, type TestIdentityProvider } from '../../server/test/oidc-provider.ts';
import { expectAccessible, goTo, openBrowser, signIn, signOut } from './browser.ts';

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let idp: TestIdentityProvider;

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
  idp = await startIdentityProvider(`${inject('baseUrl')}/api/auth/oidc/callback`);
});
afterAll(async () => {
  await browser.close();
  await idp.close();
});

/** At the provider's own (development) sign-in pages: a login name, then consent. */
async function signInAtProvider(login: string) {
  await page.waitForURL((url) => url.href.startsWith(idp.issuer));
  await page.locator('input[name="login"]').waitFor();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('whatever');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click();
}

describe("administration in a real browser: an organisation's own sign-in, and the content Kring runs on", () => {
  it('lets the administrator connect Kraamzorg Zeewind’s identity provider', async () => {
    await signIn(page, 'beheer@duinstad.demo');
    await goTo(page, 'Organisaties');
    const organisations = page.getByRole('region', { name: 'Organisaties' });
    const form = organisations.locator('details', { hasText: 'Eigen inlogdienst van Kraamzorg Zeewind' });
    await form.locator('summary').click();
    await form.getByLabel('Issuer-adres van de inlogdienst').fill(idp.issuer);
    await form.getByLabel('Client-ID').fill(idp.clientId);
    await form.getByLabel('Client secret (wordt niet getoond)').fill(idp.clientSecret);
    await form.getByRole('button', { name: 'Koppelen' }).click();
    await expect.poll(() => form.getByText('De inlogdienst is gekoppeld.').count()).toBe(1);
    await expectAccessible(page);
    await signOut(page);
  });

  it('signs the kraamverzorgende in there, and brings her back into Kring', async () => {
    const choose = page.getByRole('region', { name: 'Inloggen via je organisatie' });
    await choose.getByLabel('Je organisatie').selectOption({ label: 'Kraamzorg Zeewind' });
    await expectAccessible(page);
    await choose.getByRole('button', { name: 'Verder bij je organisatie' }).click();
    await signInAtProvider('kraamzorg@duinstad.demo');
    await expect.poll(() => page.getByTestId('actor').textContent()).toContain('Fatima El Amrani');
    await signOut(page);
    // Signing out of Kring leaves her signed in at her organisation; another person at this computer
    // would sign in there afresh (the provider's own cookies start with "_").
    await browser.context.clearCookies({ name: /^_/ });
  });

  it('says so on the sign-in page when the provider knows someone Kring does not', async () => {
    const choose = page.getByRole('region', { name: 'Inloggen via je organisatie' });
    await choose.getByLabel('Je organisatie').selectOption({ label: 'Kraamzorg Zeewind' });
    await choose.getByRole('button', { name: 'Verder bij je organisatie' }).click();
    await signInAtProvider('onbekend@zeewind.example');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Inloggen via je organisatie is niet gelukt');
    expect(page.url()).not.toContain('mislukt');
    await expectAccessible(page);
  });

  it('lets the administrator disconnect it again', async () => {
    await signIn(page, 'beheer@duinstad.demo');
    await goTo(page, 'Organisaties');
    const form = page.getByRole('region', { name: 'Organisaties' }).locator('details', {
      hasText: 'Eigen inlogdienst van Kraamzorg Zeewind',
    });
    await form.locator('summary').click();
    await form.getByRole('button', { name: 'Ontkoppelen' }).click();
    await expect.poll(() => form.textContent()).toContain('Nog geen inlogdienst gekoppeld.');
    await signOut(page);
  });

  it("connects Kraamzorg Zeewind's own system to the FHIR API with its public key, and stops it again", async () => {
    await signIn(page, 'beheer@duinstad.demo');
    await goTo(page, 'Gekoppelde systemen');
    const panel = page.getByRole('region', { name: 'Gekoppelde systemen (FHIR)' });
    await panel.getByLabel('Organisatie').selectOption({ label: 'Kraamzorg Zeewind' });
    await panel.getByLabel('Naam van het systeem').fill('Zeewind EPD');
    // A paste that is not JSON is said at its field; nothing is sent.
    await panel.getByLabel('Publieke sleutels (JWK Set)').fill('{"keys": [');
    await panel.getByRole('button', { name: 'Koppelen' }).click();
    await expect.poll(() => panel.getByText('Dit is geen geldige JSON.').count()).toBe(1);
    const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' });
    await panel.getByLabel('Publieke sleutels (JWK Set)').fill(JSON.stringify({ keys: [publicKey] }));
    await panel.getByRole('button', { name: 'Koppelen' }).click();
    const list = panel.getByTestId('fhir-clients');
    await expect.poll(() => list.textContent()).toContain('Zeewind EPD · Kraamzorg Zeewind · 1 sleutel · actief');
    await expectAccessible(page);
    await panel.getByRole('button', { name: 'Koppeling van Zeewind EPD stoppen' }).click();
    await expect.poll(() => list.textContent()).toContain('gestopt');
    await signOut(page);
  });

  it('lets the administrator edit the knowledge cards, check them and publish a version that is in force at once', async () => {
    await signIn(page, 'beheer@duinstad.demo');
    await goTo(page, 'Inhoud');
    const panel = page.getByRole('region', { name: 'Inhoud beheren' });
    await panel.getByLabel('Welke inhoud').selectOption({ label: 'Kenniskaarten' });
    // Bulk work in JSON: folded below the form.
    await panel.getByText('JSON: grote wijzigingen, importeren en exporteren').click();
    const editor = panel.getByLabel('Inhoud (JSON)');
    await expect.poll(async () => (await editor.inputValue()).includes('Wat werkt voor wie')).toBe(true);
    const cards = JSON.parse(await editor.inputValue());
    await editor.fill('{ "cards": [ ');
    await panel.getByRole('button', { name: 'Controleren' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('Dit is geen geldige JSON');
    const card = cards.cards.find((c: { title: { nl: string } }) => c.title.nl === 'Wat werkt voor wie');
    card.title.nl = 'Wat werkt voor wie in Duinstad';
    await editor.fill(JSON.stringify(cards, null, 2));
    await panel.getByRole('button', { name: 'Controleren' }).click();
    await expect.poll(() => panel.textContent()).toContain('Geen problemen gevonden.');
    await panel.getByLabel('Wat is er veranderd? (verplicht, komt in de versiegeschiedenis)').fill('Regionale titel');
    await panel.getByRole('button', { name: 'Publiceren als nieuwe versie' }).click();
    await expect.poll(() => panel.textContent()).toContain('Versie 1 is gepubliceerd en in gebruik.');
    await expect.poll(() => panel.textContent()).toContain('Ruben de Boer: Regionale titel');
    expect(await panel.textContent()).toContain('In gebruik: versie 1.');
    await expectAccessible(page);
    await signOut(page);
    await signIn(page, 'jgz@duinstad.demo');
    await page.goto('/kennis');
    await expect.poll(() => page.getByRole('main').textContent()).toContain('Wat werkt voor wie in Duinstad');
    await signOut(page);
  });

  it('lets the administrator change a code’s wording for parents in a form, with a problem named in Dutch by its place', async () => {
    await signIn(page, 'beheer@duinstad.demo');
    await goTo(page, 'Inhoud');
    const panel = page.getByRole('region', { name: 'Inhoud beheren' });
    await panel.getByLabel('Welke inhoud').selectOption({ label: 'Signalenlijst' });
    await panel.getByLabel('Welke code?').selectOption({ label: 'Code ‘Sociaal isolement’' });
    const wording = panel.getByLabel('Tekst voor ouders (Nederlands)');
    await expect.poll(() => wording.inputValue()).toBe('Weinig mensen om op terug te vallen');
    await wording.fill('');
    await panel.getByRole('button', { name: 'Controleren' }).click();
    await expect
      .poll(() => panel.getByRole('alert').textContent())
      .toContain('Code ‘Sociaal isolement’ › Tekst voor ouders (Nederlands): vul dit in');
    await wording.fill('Weinig mensen om op te leunen');
    await panel.getByRole('button', { name: 'Controleren' }).click();
    await expect.poll(() => panel.textContent()).toContain('Geen problemen gevonden.');
    await expectAccessible(page);
    await panel
      .getByLabel('Wat is er veranderd? (verplicht, komt in de versiegeschiedenis)')
      .fill('Woorden voor ouders');
    await panel.getByRole('button', { name: 'Publiceren als nieuwe versie' }).click();
    await expect.poll(() => panel.textContent()).toContain('Versie 1 is gepubliceerd en in gebruik.');
    await signOut(page);
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startIdentityProvider, type TestIdentityProvider } from '../../server/test/oidc-provider.ts';
import { expectAccessible, openBrowser, signIn, signOut } from './browser.ts';

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

describe("signing in at the organisation's own identity provider, in a real browser", () => {
  it('lets the administrator connect Kraamzorg Zeewind’s identity provider', async () => {
    await signIn(page, 'beheer@duinstad.demo');
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
    const form = page.getByRole('region', { name: 'Organisaties' }).locator('details', {
      hasText: 'Eigen inlogdienst van Kraamzorg Zeewind',
    });
    await form.locator('summary').click();
    await form.getByRole('button', { name: 'Ontkoppelen' }).click();
    await expect.poll(() => form.textContent()).toContain('Nog geen inlogdienst gekoppeld.');
    await signOut(page);
  });
});

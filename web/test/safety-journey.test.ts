import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { birthDateOnRecord, expectAccessible, inDays, openBrowser, openFamily, signIn, signOut } from './browser.ts';

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
let noorBirthDate = '';

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
});
afterAll(() => browser.close());

async function sign(step: number) {
  const section = page.getByRole('region', { name: new RegExp(`^Stap ${step}:`) });
  await section.getByRole('button', { name: `Stap ${step} ondertekenen` }).click();
  await expect.poll(() => section.textContent()).toContain('Ondertekend door');
  return section;
}

describe('safety in the chain: consultation, the Meldcode route and break the glass, in a real browser', () => {
  it('lets JGZ ask Veilig Thuis anonymously, and refuses a question that names the family', async () => {
    await signIn(page, 'jgz@duinstad.demo');
    await openFamily(page, 'Visser', 'Noor Visser');
    noorBirthDate = await birthDateOnRecord(page, 'Noor Visser');
    const consult = page.getByRole('region', { name: 'Consultatie' });
    await consult.getByText('Een collega raadplegen').click();
    await consult.getByLabel('Aan welke organisatie').selectOption({ label: 'Veilig Thuis Kustregio' });
    await consult.getByLabel('Je vraag').fill('Noor vertelt over spanningen thuis; wat raden jullie aan?');
    await consult.getByRole('button', { name: 'Vraag stellen' }).click();
    await expect.poll(() => consult.getByRole('alert').textContent()).toMatch(/Je vraag: .*noemt het gezin/);
    await consult
      .getByLabel('Je vraag')
      .fill('Een moeder vertelt over spanningen thuis en schrikt van haar partner; wat raden jullie aan?');
    await consult.getByRole('button', { name: 'Vraag stellen' }).click();
    await expect.poll(() => consult.getByText('Je vraag is verstuurd.').count()).toBe(1);
    await expectAccessible(page);
  });

  it('asks the perinatal GGZ with the record only with consent the professional names, person by person', async () => {
    const consult = page.getByRole('region', { name: 'Consultatie' });
    await consult.getByLabel('Aan welke organisatie').selectOption({ label: 'Perinatale GGZ Kustregio' });
    await consult.getByLabel('Met het dossier (de ouders geven toestemming)').check();
    await consult.getByLabel('Psychosociaal').check();
    await consult.getByLabel('De ouders geven nu toestemming om dit te delen').check();
    const who = consult.getByRole('group', { name: 'Wie gaf toestemming?' });
    // Nothing ticked beforehand: consent is an explicit act of named persons.
    await expect.poll(() => who.getByRole('checkbox', { name: /Noor Visser/ }).count()).toBe(1);
    expect(await who.locator('input:checked').count()).toBe(0);
    await consult.getByLabel('Hoe gegeven').selectOption({ label: 'Mondeling' });
    await consult
      .getByLabel('Je vraag')
      .fill('Moeder slaapt slecht en piekert veel sinds de zwangerschap; graag jullie blik.');
    await consult.getByRole('button', { name: 'Vraag stellen' }).click();
    await expect
      .poll(() => consult.getByRole('alert').textContent())
      .toContain('Wie gaf toestemming?: kies er minstens 1');
    // Everyone whose consent counts (who holds gezag depends on what earlier journeys recorded).
    for (const box of await who.getByRole('checkbox').all()) await box.check();
    await consult.getByRole('button', { name: 'Vraag stellen' }).click();
    await expect.poll(() => consult.getByText('Je vraag is verstuurd.').count()).toBe(1);
    await expectAccessible(page);
  });

  it('lets JGZ run the Meldcode route in five signed steps to “offer help”, read back as one document', async () => {
    const meldcode = page.getByRole('region', { name: 'Meldcode huiselijk geweld en kindermishandeling' });
    await meldcode.getByText('Meldcode-route starten').first().click();
    await meldcode
      .getByLabel('Wat zijn je zorgen?')
      .fill('Moeder oogt angstig en vertelt over spanningen met haar partner.');
    await meldcode.getByRole('button', { name: 'Meldcode-route starten' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Meldcode-route');
    await expectAccessible(page);
    const step1 = page.getByRole('region', { name: /^Stap 1:/ });
    await step1.getByRole('group', { name: 'Signalen' }).getByRole('checkbox').first().check();
    await step1.getByLabel('Toelichting').fill('Moeder schrikt bij het noemen van haar partner.');
    await sign(1);
    const step2 = page.getByRole('region', { name: /^Stap 2:/ });
    await step2.getByLabel('Met wie overlegd (naam en rol)').fill('Aandachtsfunctionaris JGZ Duinstad');
    await step2.getByLabel('Advies').fill('Bespreek het met moeder alleen; vraag zo nodig Veilig Thuis.');
    await step2.getByLabel('Veilig Thuis geraadpleegd').check();
    await step2.getByRole('group', { name: 'Consultaties die erbij horen' }).getByRole('checkbox').first().check();
    await sign(2);
    const step3 = page.getByRole('region', { name: /^Stap 3:/ });
    // Nothing is chosen beforehand: the professional says whether the talk was held.
    expect(await step3.getByLabel('Is het gesprek met de ouders gevoerd?').inputValue()).toBe('');
    await step3.getByLabel('Is het gesprek met de ouders gevoerd?').selectOption({ label: 'ja' });
    await step3.getByLabel('Met wie').fill('Moeder, alleen');
    await step3.getByLabel('Toelichting').fill('Moeder herkent de spanningen en wil hulp, samen met haar partner.');
    await sign(3);
    const step4 = page.getByRole('region', { name: /^Stap 4:/ });
    for (const [question, answer] of [
      [/vermoeden van huiselijk geweld/, 'ja'],
      [/acute onveiligheid/, 'nee'],
      [/effectieve hulp te bieden/, 'ja'],
      [/Aanvaarden de betrokkenen/, 'ja'],
      [/noodzakelijke resultaten/, 'ja'],
    ] as const) {
      await step4.getByLabel(question).selectOption({ label: answer });
    }
    await expect.poll(() => step4.textContent()).toContain('Bied of organiseer hulp');
    await step4.getByLabel('Toelichting').fill('Geen acute onveiligheid; ouders nemen hulp aan.');
    await sign(4);
    const step5 = page.getByRole('region', { name: /^Stap 5:/ });
    expect(await step5.getByLabel('Besluit').inputValue()).toBe('');
    await step5.getByLabel('Besluit').selectOption({ label: 'hulp geboden of georganiseerd' });
    await step5.getByLabel('Reden').fill('Hulp via het wijkteam; over twee weken samen kijken hoe het gaat.');
    await step5.getByLabel('Volgen op').fill(inDays(14));
    await sign(5);
    await expect.poll(() => page.locator('main').textContent()).toContain('hulp geboden of georganiseerd');
    expect(await page.locator('main').textContent()).toContain('niet zichtbaar voor de ouders');
    // Read back as one document: the family, the signal the route rests on, each step signed and dated.
    const main = page.locator('main');
    await expect.poll(() => main.getByRole('definition').first().textContent()).toContain('Noor Visser');
    const step1Signals = page.getByRole('region', { name: /^Stap 1:/ }).getByRole('listitem');
    await expect.poll(() => step1Signals.count()).toBe(1);
    expect(await step1Signals.first().textContent()).toMatch(/· aanwezig · /);
    expect(await main.textContent()).toMatch(/Ondertekend door .+ op \d+ \w+ \d{4}\./);
    const print = page.getByRole('button', { name: 'Afdrukken of opslaan als pdf' });
    expect(await print.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await print.isVisible()).toBe(false);
    expect(await page.getByRole('region', { name: /^Stap 5:/ }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await expectAccessible(page);
    await signOut(page);
  });

  it('lets Veilig Thuis answer the consultation and, in an emergency, open the family’s record for a few hours', async () => {
    await signIn(page, 'veiligthuis@duinstad.demo');
    await page.getByRole('link', { name: 'Consultaties' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Consultaties');
    const asked = page.getByRole('region', { name: 'Gevraagd aan jouw organisatie' });
    await expect.poll(() => asked.textContent()).toContain('schrikt van haar partner');
    await asked
      .getByLabel('Je antwoord')
      .first()
      .fill('Maak samen met moeder een veiligheidsplan en bel ons bij twijfel.');
    await asked.getByRole('button', { name: 'Antwoord versturen' }).first().click();
    await expect.poll(() => asked.textContent()).toContain('veiligheidsplan');
    await expectAccessible(page);
    await page.goto('/noodtoegang');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Noodtoegang (break the glass)');
    await page.getByLabel('Achternaam').fill('Visser');
    await page.getByLabel('Geboortedatum').fill(noorBirthDate);
    await page
      .getByLabel('Reden', { exact: true })
      .fill('Melding van acute onveiligheid; politie vraagt om informatie over de baby.');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Dossier openen' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Noor Visser');
    expect(await page.locator('main').textContent()).toContain('Je leest dit dossier met noodtoegang');
    await expectAccessible(page);
    await signOut(page);
  });

  it('shows the regiehouder the emergency access to review', async () => {
    await signIn(page, 'jgz@duinstad.demo');
    await openFamily(page, 'Visser', 'Noor Visser');
    const overrides = page.getByRole('region', { name: 'Gedeeld zonder toestemming' });
    await expect.poll(() => overrides.textContent()).toContain('Noodtoegang');
    await overrides.getByLabel('Je beoordeling').fill('Terecht gebruikt, besproken met Veilig Thuis.');
    await overrides.getByRole('button', { name: 'Beoordeling vastleggen' }).click();
    await expect.poll(() => overrides.textContent()).toContain('beoordeeld door');
    await expectAccessible(page);
    await signOut(page);
  });

  it("records the parents' request to delete a signal, which the organisation that recorded it grants", async () => {
    await signIn(page, 'jgz@duinstad.demo');
    await openFamily(page, 'Visser', 'Noor Visser');
    const requests = page.getByRole('region', { name: 'Verzoeken van ouders: corrigeren of verwijderen' });
    await requests.getByText('Verzoek van de ouders vastleggen').click();
    await requests.getByLabel('Wat vragen de ouders?').selectOption({ label: 'Verwijdering' });
    const entry = requests.getByLabel('Over welk gegeven?');
    const options = () => entry.locator('option').allTextContents();
    await expect.poll(async () => (await options()).some((label) => label.includes('Signaal:'))).toBe(true);
    const signal = (await options()).find((label) => label.startsWith('Signaal:'));
    await entry.selectOption({ label: signal ?? '' });
    await requests.getByLabel('Het verzoek in de woorden van de ouders').fill('Dit klopt niet meer; graag weghalen.');
    await expectAccessible(page);
    await requests.getByRole('button', { name: 'Verzoek vastleggen' }).click();
    await expect.poll(() => requests.textContent()).toContain('Nog te beslissen');
    // JGZ recorded that signal, so JGZ decides.
    await requests
      .getByLabel('Reden (de ouders krijgen die te zien)')
      .fill('Besproken met Noor: het is voorbij, verwijderd.');
    await requests.getByRole('button', { name: 'Besluit vastleggen' }).click();
    await expect.poll(() => requests.textContent()).toContain('Toegekend · Marleen Visser: Besproken met Noor');
    await expect.poll(() => requests.textContent()).toContain('Een signaal (niet meer in het dossier)');
    await expectAccessible(page);
    await signOut(page);
  });
});

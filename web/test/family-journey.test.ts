import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, inDays, openBrowser, signIn, signOut } from './browser.ts';

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
const familyName = `Proef${Date.now().toString(36)}`;
let familyUrl = '';

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
});
afterAll(() => browser.close());

describe('the family record across the chain, in a real browser', () => {
  it('shows the midwife her caseload of demo families', async () => {
    await signIn(page, 'verloskundige@duinstad.demo');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Mijn gezinnen');
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(5);
    expect(await page.locator('tbody').textContent()).toContain('van 1001');
    await expectAccessible(page);
  });

  it('lets the midwife register a family and land on its record', async () => {
    await page.getByRole('link', { name: 'Gezin registreren' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Gezin registreren');
    await expectAccessible(page);
    const mother = page.getByRole('group', { name: 'Zwangere (of met kinderwens)' });
    await mother.getByLabel('Voornaam').fill('Merel');
    await mother.getByLabel('Achternaam').fill(familyName);
    await mother.getByLabel('Geboortedatum').fill('1993-04-21');
    const partner = page.getByRole('group', { name: 'Partner' });
    await partner.getByLabel('Voornaam').fill('Joost');
    await partner.getByLabel('Achternaam').fill(familyName);
    await partner.getByLabel('Geboortedatum').fill('1991-09-02');
    // A big brother: a member of the family with his own birth date and sex.
    await page.getByRole('button', { name: 'Kind toevoegen' }).click();
    const brother = page.getByRole('group', { name: 'Kind 1', exact: true });
    await brother.getByLabel('Voornaam').fill('Sem');
    expect(await brother.getByLabel('Achternaam').inputValue()).toBe(familyName);
    await brother.getByLabel('Geboortedatum').fill('2022-05-10');
    await brother.getByLabel('Geslacht').selectOption({ label: 'jongen' });
    await page.getByLabel('Uitgerekende datum').fill(inDays(60));
    await page.getByLabel('Postcode').fill('1234 AB');
    // Consent is an explicit act: no box is ticked beforehand, and how it was given is asked.
    const consent = page.getByRole('group', { name: 'Toestemming van de ouders voor jouw organisatie' });
    expect(await consent.getByRole('checkbox', { checked: true }).count()).toBe(0);
    for (const category of ['Medisch', 'Psychosociaal', 'Sociaal (wonen, geld, werk)'])
      await consent.getByLabel(category, { exact: true }).check();
    await consent.getByLabel('Hoe gegeven').selectOption({ label: 'Mondeling' });
    await page.getByRole('button', { name: 'Registreren' }).click();
    // A postcode outside the region is refused at the field, and the error summary (which has the
    // focus) links to it.
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.textContent()).toContain('Postcode: deze postcode ligt buiten de regio');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('kring-error-summary'))).toBe(true);
    await summary.getByRole('link', { name: /Postcode/ }).click();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('1234 AB');
    await expectAccessible(page);
    await page.getByLabel('Postcode').fill('9901 AB');
    await page.getByRole('button', { name: 'Registreren' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Merel ${familyName}`);
    familyUrl = new URL(page.url()).pathname;
    expect(await page.getByRole('region', { name: 'Gezinsleden' }).textContent()).toContain(
      `Sem ${familyName} — Broer of zus (geboren), jongen, 10 mei 2022`,
    );
    expect(familyUrl).toMatch(/^\/gezinnen\/[0-9a-f-]{36}$/);
    expect(await page.locator('.kring-ribbon [aria-current="step"]').textContent()).toBe('Zwanger, 3e trimester');
    expect(await page.getByText(/Vandaag: dag \d+ van 1001/).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Toestemming' }).textContent()).toContain(
      'Psychosociaal: toestemming compleet',
    );
    await expectAccessible(page);
  });

  it('records a contact that appears on the record', async () => {
    // The record's menu takes her to the timeline in one click.
    await page
      .getByRole('navigation', { name: 'Onderdelen van het dossier' })
      .getByRole('link', { name: 'Tijdlijn' })
      .click();
    expect(new URL(page.url()).hash).toBe('#tijdlijn');
    const contactForm = page.getByRole('form', { name: 'Contactmoment vastleggen' });
    await contactForm.getByLabel('Korte notitie').fill('Controle, alles goed');
    await contactForm.getByRole('button', { name: 'Opslaan' }).click();
    const contacts = page.getByRole('region', { name: 'Contactmomenten' });
    await expect.poll(() => contacts.locator('.kring-timeline').textContent()).toContain('Controle, alles goed');
    // The contact is also on the ribbon: counted in today's phase; opened, with its day of 1001 and who made it.
    await expect
      .poll(() => page.locator('.kring-ribbon > li[aria-current="step"]').textContent())
      .toMatch(/gebeurtenis/);
    const log = page.locator('.kring-ribbon-log').first();
    await log.locator('summary').click();
    await expect
      .poll(() => log.getByRole('region', { name: 'Zwanger, 3e trimester' }).textContent())
      .toMatch(/dag \d+ Prenatale controle · Verloskundigenpraktijk De Duinroos/);
    await expectAccessible(page);
  });

  it('records a signal, and the picture shows it beside what protects, without a score', async () => {
    const picture = page.getByRole('region', { name: 'Wat staat er tussen ouder en kind' });
    await expect.poll(() => picture.textContent()).toContain('Nog geen signalen vastgelegd.');
    await picture.getByText('Signaal vastleggen').click();
    await picture.getByLabel('Gebied').selectOption({ label: 'Stress van buitenaf' });
    await picture.getByLabel('Signaal', { exact: true }).selectOption({ label: 'Financiële zorgen of schulden' });
    await picture.getByLabel('Bron').selectOption({ label: 'verteld door de ouder' });
    await picture.getByLabel('In eigen woorden').fill('Vader is zijn baan kwijt');
    await picture.getByRole('button', { name: 'Signaal opslaan' }).click();
    await expect.poll(() => picture.textContent()).toContain('1 stressfactor');
    expect(await picture.textContent()).toContain('Vader is zijn baan kwijt');
    await picture.getByLabel('Gebied').selectOption({ label: 'Wat beschermt' });
    await picture.getByLabel('Signaal', { exact: true }).selectOption({ label: 'Steunende partner' });
    await picture.getByRole('button', { name: 'Signaal opslaan' }).click();
    await expect.poll(() => picture.textContent()).toContain('1 beschermende factor');
    // What protects is shown first.
    const headings = await picture.getByRole('heading', { level: 3 }).allTextContents();
    expect(headings.slice(0, 2)).toEqual(['Wat beschermt', 'Stress van buitenaf']);
    // A signal is corrected in place; its history is kept on the server.
    const correction = picture.locator('details', { hasText: 'Financiële zorgen of schulden' }).first();
    await correction.locator('summary').click();
    await correction.getByLabel('In eigen woorden').fill('Vader is zijn baan kwijt, nu een uitkering');
    await correction.getByRole('button', { name: 'Correctie opslaan' }).click();
    await expect.poll(() => picture.textContent()).toContain('nu een uitkering');
    expect(await page.locator('.kring-ribbon-log').first().textContent()).toContain(
      'Signaal: Financiële zorgen of schulden',
    );
    await expectAccessible(page);
  });

  it('hands the family over to kraamzorg with the parents’ consent', async () => {
    await page.getByLabel('Naar organisatie').selectOption({ label: 'Kraamzorg Zeewind' });
    await page.getByLabel('Samenvatting voor de ontvanger').fill('Eerste kind, graag aandacht voor voeding.');
    const shares = page.getByRole('group', { name: 'De ouders geven toestemming om te delen' });
    await shares.getByLabel('Medisch').check();
    await page.getByRole('button', { name: 'Overdracht versturen' }).click();
    // How the parents consented is the professional's own statement: asked, never preset.
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Hoe gegeven: kies een van de mogelijkheden');
    await page
      .getByRole('region', { name: 'Warme overdracht' })
      .getByLabel('Hoe gegeven')
      .selectOption({ label: 'Mondeling' });
    await page.getByRole('button', { name: 'Overdracht versturen' }).click();
    await expect.poll(() => page.getByText('De overdracht is verstuurd.').count()).toBe(1);
    await expectAccessible(page);
    // She finds it under what she sent, waiting for an answer.
    await page.getByRole('link', { name: 'Overdrachten' }).click();
    await page.getByRole('button', { name: 'Verstuurd' }).click();
    const sent = page.getByRole('region', { name: 'Wat er is overgedragen' });
    await expect.poll(() => sent.textContent()).toContain(`Merel ${familyName} → Kraamzorg Zeewind`);
    expect(await sent.textContent()).toContain('wacht op antwoord');
    await expectAccessible(page);
    await signOut(page);
  });

  it('lets kraamzorg accept the handover and then open the family', async () => {
    await signIn(page, 'kraamzorg@duinstad.demo');
    await expect.poll(() => page.getByRole('link', { name: /ongelezen melding/ }).count()).toBe(1);
    await page.getByRole('link', { name: /ongelezen melding/ }).click();
    const tasks = page.getByRole('region', { name: 'Open taken' });
    await expect.poll(() => tasks.textContent()).toContain('Overdracht accepteren');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Overdrachten' }).click();
    // The new handover comes first among the waiting ones, and search finds it.
    await expect.poll(() => page.getByRole('article').first().textContent()).toContain(familyName);
    await page.getByLabel('Zoeken').fill(familyName);
    expect(await page.getByRole('article').count()).toBe(1);
    const card = page.getByRole('article').filter({ hasText: familyName });
    await expect.poll(() => card.count()).toBe(1);
    await expectAccessible(page);
    await card.getByRole('button', { name: 'Accepteren' }).click();
    await expect.poll(() => page.getByText(/Geaccepteerd/).count()).toBe(1);
    await page.goto(familyUrl);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Merel ${familyName}`);
    expect(await page.getByRole('region', { name: 'Zorgteam' }).textContent()).toContain('Kraamzorg Zeewind');
    // Kraamzorg has consent for medical information only: the rest is marked as missing.
    expect(await page.getByRole('region', { name: 'Toestemming' }).textContent()).toContain(
      'Psychosociaal: toestemming ontbreekt',
    );
    await expectAccessible(page);
    await signOut(page);
  });

  it('lets kraamzorg propose a higher care intensity, which waits for the midwife’s second look', async () => {
    await signIn(page, 'kraamzorg@duinstad.demo');
    await page.goto(familyUrl);
    const picture = page.getByRole('region', { name: 'Wat staat er tussen ouder en kind' });
    await picture.getByText('Zorgintensiteit inschatten').click();
    await picture.getByLabel('Stress', { exact: true }).selectOption({ label: 'toxische stress' });
    await picture.getByLabel('Passende zorgintensiteit').selectOption({ label: 'specifieke interventie' });
    await picture.getByLabel('Collega voor de tweede blik').selectOption({
      label: 'Anouk de Vries (Verloskundigenpraktijk De Duinroos)',
    });
    await picture.getByLabel('Waarom denk ik dit?').fill('Baanverlies, weinig slaap en zorgen over de woning.');
    await picture.getByRole('button', { name: 'Inschatting opslaan' }).click();
    await expect.poll(() => picture.textContent()).toContain('Opgeslagen als voorstel');
    await expectAccessible(page);
    await signOut(page);

    // The task opens the record at the judgement to review, with the focus there.
    await signIn(page, 'verloskundige@duinstad.demo');
    await page.getByRole('link', { name: 'Taken' }).click();
    const task = page
      .getByRole('region', { name: 'Open taken' })
      .locator('li', { hasText: `Tweede blik op een inschatting · Merel ${familyName}` });
    await task.getByRole('link', { name: 'Openen' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('wat-speelt-er');
    expect(new URL(page.url()).pathname).toBe(familyUrl);
    await expect.poll(() => picture.textContent()).toContain('voorstel, wacht op een collega');
    await picture.getByRole('button', { name: 'Akkoord' }).click();
    await expect.poll(() => picture.textContent()).toContain('Van kracht: toxische stress · specifieke interventie');
    await expectAccessible(page);
    await signOut(page);
  });

  it('lets JGZ open the prenatal conversation for a demo family and see what the midwife already asked', async () => {
    await signIn(page, 'jgz@duinstad.demo');
    // The caseload names each family's next JGZ moment and marks the late ones.
    await expect
      .poll(() => page.locator('table').textContent())
      .toMatch(/Contactmoment [0-9,]+ maanden( \(vaccinatie\))?.*te laat/);
    await page.getByLabel('Zoek in je gezinnen').fill('Verhoeven');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page
      .getByRole('link', { name: /Eline Verhoeven/ })
      .first()
      .click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Eline Verhoeven');
    const guides = page.getByRole('region', { name: 'Gesprekken en vragenlijsten' });
    await guides.getByLabel('Gesprek of vragenlijst').selectOption({
      label: 'Gesprek over de band met de baby in de zwangerschap',
    });
    await guides.getByRole('button', { name: 'Openen' }).click();
    const asked = guides.getByText(/Al gevraagd door Anouk de Vries \(Verloskundigenpraktijk De Duinroos\)/);
    await expect.poll(() => asked.count()).toBeGreaterThanOrEqual(3);
    await expectAccessible(page);
    // Confirm the first earlier answer instead of asking again, and save.
    await guides.getByLabel('Dit antwoord bevestigen in plaats van opnieuw vragen').first().check();
    await guides.getByRole('button', { name: 'Antwoorden opslaan' }).click();
    await expect.poll(() => guides.textContent()).toContain('1 vraag hoefde niet opnieuw gesteld te worden');
    // Each question links to the knowledge that explains it.
    await guides
      .getByRole('link', { name: /Prenatale hechting/ })
      .first()
      .click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Kennis over de eerste 1001 dagen');
    await page.getByLabel('Zoek in de kennis').fill('R4U');
    await expect
      .poll(() => page.getByRole('heading', { level: 2 }).allTextContents())
      .toEqual(['Waarom geen screening met checklists']);
    await expectAccessible(page);
    await signOut(page);
  });

  it('keeps the family from the wijkteam: search finds nothing and the record does not open', async () => {
    await signIn(page, 'wijkteam@duinstad.demo');
    await page.getByLabel('Zoek in je gezinnen').fill(familyName);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expect.poll(() => page.getByText('Geen gezinnen gevonden.').count()).toBe(1);
    await page.goto(familyUrl);
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Niet gevonden.');
    await expectAccessible(page);
    // Nor can the wijkteam take the family over: it is not in the family's team.
    await page.goto('/overnemen');
    await page.getByLabel('Achternaam').fill(familyName);
    await page.getByLabel('Geboortedatum').fill('1993-04-21');
    await page.getByLabel('Reden').fill('Ik wil meekijken');
    await page.getByRole('button', { name: 'Overnemen' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Niet gevonden.');
    await expectAccessible(page);
    await signOut(page);
  });

  it('lets the midwife record the birth, with the child’s sex for JGZ’s growth charts', async () => {
    await signIn(page, 'verloskundige@duinstad.demo');
    await page.goto(familyUrl);
    const birth = page.locator('details', { hasText: 'Geboorte vastleggen' });
    await birth.locator('summary').click();
    await birth.getByLabel('Geboortegewicht (gram)').fill('3450');
    await birth.getByLabel('Geslacht').selectOption({ label: 'meisje' });
    await birth.getByLabel('Voornaam kind').fill('Fenna');
    await expectAccessible(page);
    await birth.getByRole('button', { name: 'Opslaan' }).click();
    const persons = page.getByRole('region', { name: 'Gezinsleden' });
    await expect.poll(() => persons.textContent()).toContain(`Fenna ${familyName} — Kind (geboren), meisje`);
    await expectAccessible(page);
    await signOut(page);
  });
});

import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openBrowser, signIn, signOut } from './browser.ts';

let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
});
afterAll(() => browser.close());

const heading = () => page.getByRole('heading', { level: 1 }).textContent();

describe("the municipality's figures", () => {
  it('shows the analyst which region, with real figures beside the region total, and suppressed small cells', async () => {
    await signIn(page, 'analist@duinstad.demo');
    // The first answer after a refresh sums the region's cells (later ones come from the cache).
    await expect.poll(heading, { timeout: 15_000 }).toBe('Cijfers Kansrijke Start — Gemeente Duinstad');
    const region = page.getByTestId('figures-region');
    expect(await region.textContent()).toContain('Gemeente Duinstad (CBS-code GM9901)');
    const phases = page.getByRole('region', { name: 'Gezinnen in de eerste 1001 dagen, per fase' });
    const byHood = phases.getByRole('table', { name: /Per wijk, met de hele gemeente/ });
    const regionRow = byHood.getByRole('row', { name: /Hele gemeente/ });
    // The synthetic background families make the region's total far larger than the threshold.
    // Written as Dutch writes numbers: a thousands point.
    const total = await regionRow.getByRole('cell').nth(8).textContent();
    expect(Number(total?.replaceAll('.', ''))).toBeGreaterThan(500);
    // A hidden cell says why: "<10" for a small count, "•" for one hidden to protect it.
    expect(await page.getByText(/niet klein, maar afgeschermd/).count()).toBeGreaterThan(0);
    expect(await byHood.getByRole('row', { name: /Havenkwartier/ }).count()).toBe(1);
    // One theme at a time, each indicator with its headline number; periods written out.
    expect(await page.getByRole('region', { name: /^Verwijzingen/ }).count()).toBe(0);
    expect(await phases.locator('.kring-figure-headline').textContent()).toMatch(/^[\d.]+ gezinnen in \w+ \d{4}$/);
    await page.getByRole('link', { name: 'Hulp en verwijzingen' }).click();
    await expect.poll(() => page.getByRole('region', { name: /^Verwijzingen/ }).count()).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Gezinnen en zorg' }).click();
    await expectAccessible(page);
  });

  it('filters on a neighbourhood, and refuses a period in the future at its field', async () => {
    await page.getByLabel('Wijk', { exact: true }).selectOption({ label: 'Havenkwartier' });
    await page.getByLabel('Per', { exact: true }).selectOption({ label: 'Kwartaal' });
    await page.getByRole('button', { name: 'Toon cijfers' }).click();
    const firstContact = page.getByRole('region', { name: 'Eerste contact in de keten, naar zwangerschapsduur' });
    await expect
      .poll(() => firstContact.getByRole('table', { name: /Verloop in de tijd — Havenkwartier/ }).count())
      .toBe(1);
    expect(await firstContact.getByRole('row', { name: /\de kwartaal \d{4}/ }).count()).toBeGreaterThanOrEqual(4);
    await page.getByLabel('Tot en met maand').fill('2099-01');
    await page.getByRole('button', { name: 'Toon cijfers' }).click();
    await expect.poll(() => page.getByText('The period cannot end in the future.').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await page.getByLabel('Tot en met maand').fill(new Date().toISOString().slice(0, 7));
    await page.getByRole('button', { name: 'Toon cijfers' }).click();
    await expect.poll(() => page.getByText('The period cannot end in the future.').count()).toBe(0);
  });

  it('exports a table as CSV, with the hidden cells marked "<10" (small) or "•" (protected)', async () => {
    const section = page.getByRole('region', { name: 'Gezinnen in de eerste 1001 dagen, per fase' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Download als CSV' }).nth(1).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^kring-families_by_phase-neighbourhood-\d{4}-\d{2}-\d{4}-\d{2}\.csv$/,
    );
    const file = await download.path();
    const lines = fs
      .readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '"Wijk","Kinderwens","1e trimester","2e trimester","3e trimester","Geboorte en kraamtijd","0–6 maanden","6–12 maanden","12–24 maanden","Gezinnen"',
    );
    // Five neighbourhoods and the whole municipality; every cell a number, "<10" (small) or "•" (protected).
    expect(lines).toHaveLength(7);
    for (const line of lines.slice(1)) {
      for (const cell of line.split('","').slice(1)) expect(cell.replaceAll('"', '')).toMatch(/^(\d[\d.]*|<10|•)$/);
    }
    expect(lines.at(-1)).toMatch(/^"Hele gemeente",/);
    await signOut(page);
  });
});

import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openBrowser, openFamily, openMenu, signIn, signOut } from './browser.ts';

/**
 * Dutch as a person writes it (issue 23): every page of every kind of account, in Dutch and in
 * English, without a text key that no language has, a raw code ("home_visit_2w"), an ISO date or
 * an English status word in the Dutch pages.
 */
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
});
afterAll(() => browser.close());

const PAGES: Record<string, string[]> = {
  'jgz@duinstad.demo': [
    '/',
    '/taken',
    '/overdrachten',
    '/verwijzingen',
    '/sociale-kaart',
    '/consultaties',
    '/kennis',
    '/account',
    '/gezinnen/nieuw',
    '/overnemen',
    '/noodtoegang',
  ],
  'kraamzorg@duinstad.demo': ['/', '/overdrachten', '/taken'],
  'ouder@duinstad.demo': [
    '/',
    '/vragen',
    '/vastgelegd',
    '/wie-keek-mee',
    '/toestemming',
    '/onze-gegevens',
    '/goed-om-te-weten',
    '/account',
  ],
  'analist@duinstad.demo': ['/'],
  'beheer@duinstad.demo': [
    '/',
    '/beheer/mensen',
    '/beheer/organisaties',
    '/beheer/inhoud',
    '/beheer/systemen',
    '/beheer/beveiliging',
    '/beheer/meldingen',
    '/noodtoegang-overzicht',
    '/account',
  ],
};

/** Words of the English statuses and values that must never show in the Dutch pages. */
const ENGLISH =
  /\b(pending|accepted|declined|completed|cancelled|received|withdrawn|draft|true|false|null|undefined|NaN|Invalid)\b/;
/** A code as stored (snake_case), an ISO date: signs that a value reached the page unworded. */
const RAW = /\b[a-z]+_[a-z0-9_]+\b|\b\d{4}-\d{2}-\d{2}\b/;

/** What a person reads on the page now (header, navigation and main), and the keys no language had. */
async function readPage(): Promise<{ text: string; missing: string[]; fellBack: string[] }> {
  await page.waitForLoadState('networkidle');
  return page.evaluate(() => {
    // What is shown as code (a file's column names) is meant to be read as such.
    let text = document.body.innerText;
    for (const code of document.querySelectorAll('code')) text = text.replace(code.textContent ?? '', '');
    const kept = window as unknown as { kringMissingKeys?: string[]; kringFallbackKeys?: string[] };
    return { text, missing: [...(kept.kringMissingKeys ?? [])], fellBack: [...(kept.kringFallbackKeys ?? [])] };
  });
}

/**
 * A screenshot of the page as it is now, on a laptop (1366×900) and a phone (390×844), kept as a
 * test artifact in .test-tmp/screenshots/ to look at (the whole page: its length shows too).
 */
async function keepScreenshots(email: string, path: string): Promise<string[]> {
  const name = `${email.split('@')[0]}${path.replaceAll('/', '-').replace(/-$/, '') || '-start'}`;
  fs.mkdirSync('.test-tmp/screenshots', { recursive: true });
  const problems: string[] = [];
  for (const [width, height] of [
    [1366, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `.test-tmp/screenshots/${name}-${width}.png`, fullPage: true });
  }
  // No page scrolls sideways on a phone; a parent's page not even at 320 px wide.
  for (const width of email.startsWith('ouder') ? [390, 320] : [390]) {
    await page.setViewportSize({ width, height: 844 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 0) problems.push(`${path}: ${wide} px wider than a ${width} px screen`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  return problems;
}

/** The lines of the page that hold a match (for a message that says where). */
const linesWith = (text: string, pattern: RegExp) =>
  text
    .split('\n')
    .filter((line) => pattern.test(line))
    // An e-mail address or a web address may hold underscores and dots: not a code.
    .filter((line) => !/@|https?:\/\//.test(line));

/** The parents' Kring in each of its languages (issue 25): Arabic right to left. */
describe("the parents' Kring in the parents' languages", () => {
  const parentPaths = PAGES['ouder@duinstad.demo'] ?? [];
  for (const language of ['en', 'ar', 'tr', 'pl', 'uk'] as const) {
    it(`shows every parent page in ${language}: whole (or whole in Dutch), no key or code, no sideways scroll, accessible`, async () => {
      await signIn(page, 'ouder@duinstad.demo');
      await openMenu(page);
      await page.locator('.kring-language-select').selectOption(language);
      const problems: string[] = [];
      for (const path of parentPaths) {
        await page.goto(path);
        const { text, missing, fellBack } = await readPage();
        for (const key of missing) problems.push(`${path}: no text for ${key}`);
        // Never half a page: a text of this language that fell back to Dutch on its own.
        for (const key of fellBack) problems.push(`${path}: half translated (${key})`);
        for (const line of linesWith(text, RAW)) problems.push(`${path}: ${line}`);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
        expect(await page.evaluate(() => document.documentElement.dir)).toBe(language === 'ar' ? 'rtl' : 'ltr');
        await expectAccessible(page);
        if (language === 'ar') problems.push(...(await keepScreenshots(`ouder-ar@`, path)));
        else {
          for (const width of [390, 320]) {
            await page.setViewportSize({ width, height: 844 });
            const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            if (wide > 0) problems.push(`${path}: ${wide} px wider than a ${width} px screen`);
          }
          await page.setViewportSize({ width: 1280, height: 800 });
        }
      }
      await openMenu(page);
      await page.locator('.kring-language-select').selectOption('nl');
      await signOut(page);
      expect(problems).toEqual([]);
    });
  }

  it("offers the parents' languages before signing in, and turns the page right to left for Arabic", async () => {
    await page.goto('/');
    await page.locator('.kring-language-select').selectOption('ar');
    await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await expectAccessible(page);
    fs.mkdirSync('.test-tmp/screenshots', { recursive: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '.test-tmp/screenshots/login-ar-390.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('.kring-language-select').selectOption('nl');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
  });
});

describe('Dutch as a person writes it, on every page', () => {
  it('has the same texts in Dutch and in English', () => {
    const keys = (file: string) => {
      const flat: string[] = [];
      const walk = (node: unknown, prefix: string) => {
        if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) walk(value, prefix ? `${prefix}.${key}` : key);
        } else flat.push(prefix);
      };
      walk(JSON.parse(fs.readFileSync(`web/src/i18n/${file}`, 'utf8')), '');
      return flat.sort();
    };
    expect(keys('en.json')).toEqual(keys('nl.json'));
  });

  for (const [email, paths] of Object.entries(PAGES)) {
    it(`shows ${email.split('@')[0]} no key, code, ISO date or English status in Dutch, no key in English, and passes axe`, async () => {
      await signIn(page, email);
      const visit = async (path: string) => {
        await page.goto(path);
        return readPage();
      };
      const problems: string[] = [];
      for (const path of paths) {
        const { text, missing } = await visit(path);
        await expectAccessible(page);
        problems.push(...(await keepScreenshots(email, path)));
        for (const key of missing) problems.push(`${path}: no text for ${key}`);
        for (const line of linesWith(text, RAW)) problems.push(`${path}: ${line}`);
        for (const line of linesWith(text, ENGLISH)) problems.push(`${path}: ${line}`);
      }
      if (email.startsWith('jgz')) {
        // A family record, with every part opened.
        await page.goto('/');
        await openFamily(page, 'Visser', 'Noor Visser');
        await page.evaluate(() => {
          for (const details of document.querySelectorAll('details')) details.open = true;
        });
        const { text, missing } = await readPage();
        await keepScreenshots(email, '/gezinnen/visser');
        for (const key of missing) problems.push(`record: no text for ${key}`);
        for (const line of linesWith(text, RAW)) problems.push(`record: ${line}`);
        for (const line of linesWith(text, ENGLISH)) problems.push(`record: ${line}`);
      }
      // The same pages in English: every text there (the parents' Kring in all its languages: below).
      if (!email.startsWith('ouder')) {
        await page.getByRole('button', { name: 'Switch to English' }).click();
        for (const path of paths) {
          const { missing } = await visit(path);
          await expectAccessible(page);
          for (const key of missing) problems.push(`${path} (en): no text for ${key}`);
        }
        await page.getByRole('button', { name: 'Schakel naar Nederlands' }).click();
      }
      await signOut(page);
      expect(problems).toEqual([]);
    }, 240_000); // every page read, checked with axe and photographed twice, in two languages
  }
});

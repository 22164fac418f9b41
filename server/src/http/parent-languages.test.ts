import { describe, expect, it } from 'vitest';
import { fieldMessageIn, hasDutch } from '../../../web/src/i18n/field-messages.ts';
import nl from '../../../web/src/i18n/nl.json' with { type: 'json' };
import { at, leaves, missingTexts, PARENT_TEXTS, type Tree } from '../../../web/src/i18n/parent-texts.ts';
import ar from '../../../web/src/i18n/parents/ar.json' with { type: 'json' };
import pl from '../../../web/src/i18n/parents/pl.json' with { type: 'json' };
import tr from '../../../web/src/i18n/parents/tr.json' with { type: 'json' };
import uk from '../../../web/src/i18n/parents/uk.json' with { type: 'json' };
import { parentInformation } from '../knowledge/parent-information.ts';
import { TEMPLATES } from '../mail/mailer.ts';
import PARENT_MAILS from '../mail/parent-languages.json' with { type: 'json' };

const BUNDLES = { ar, tr, pl, uk } as const;
const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}|\{(\w+)\}/g)].map((m) => m[1] ?? m[2]).sort();

describe("the parents' languages", () => {
  for (const [language, bundle] of Object.entries(BUNDLES)) {
    it(`${language}: every text of the parents' Kring, with the same placeholders, marked for a translator's check`, () => {
      expect(missingTexts(bundle)).toEqual([]);
      // Each translation says what a professional translator must still check.
      const check = (bundle as { _translatorCheck?: { status: string; checked: string[] } })._translatorCheck;
      expect(check?.status).toMatch(/professional translator/);
      expect(Array.isArray(check?.checked)).toBe(true);
      for (const key of PARENT_TEXTS.flatMap((path) => leaves(at(nl as unknown as Tree, path), path))) {
        const source = at(nl as unknown as Tree, key) as string;
        const base = key.replace(/_(one|other)$/, '');
        const translated = (at(bundle as unknown as Tree, key) ??
          at(bundle as unknown as Tree, `${base}_other`)) as string;
        // A plural form may leave out the count where its language says "one" or "two" in words.
        const expected = placeholders(source).filter((name) => !(base !== key && name === 'count'));
        for (const name of expected) expect(placeholders(translated), `${language} ${key}`).toContain(name);
      }
    });
  }

  it("words the messages of a parent's forms in every language, each a message the server gives", () => {
    for (const [language, bundle] of Object.entries(BUNDLES)) {
      const messages = Object.keys(bundle._fieldMessages);
      expect(messages.length, language).toBeGreaterThanOrEqual(8);
      for (const message of messages) {
        expect(hasDutch(message), message).toBe(true);
        expect(fieldMessageIn(language, message)).toBe((bundle._fieldMessages as Record<string, string>)[message]);
      }
    }
  });

  it('has the mails a parent can get in every language, with their placeholders', () => {
    for (const language of Object.keys(BUNDLES)) {
      const mails = (PARENT_MAILS as unknown as Record<string, Record<string, { subject: string; body: string }>>)[
        language
      ];
      for (const key of ['parent_invitation', 'password_reset', 'second_factor_reset'] as const) {
        expect(mails?.[key]?.subject, `${language} ${key}`).toBeTruthy();
        expect(placeholders(mails?.[key]?.body ?? '')).toEqual(placeholders(TEMPLATES[key].nl.body));
      }
    }
  });

  it("has the parents' information pages in every language, paragraph for paragraph", () => {
    for (const page of parentInformation().pages) {
      for (const language of Object.keys(BUNDLES) as (keyof typeof BUNDLES)[]) {
        expect(page.title[language], `${page.key} ${language}`).toBeTruthy();
        expect(page.body[language]?.split('\n\n').length).toBe(page.body.nl.split('\n\n').length);
      }
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldMessageIn, hasDutch } from '../../../web/src/i18n/field-messages.ts';

/**
 * Every message the server can put under a form field has its Dutch in the web app's catalogue,
 * so a Dutch interface never shows an English sentence under a field. The messages are read from
 * the server's source: `message: '…'` and zod's own message arguments; a template's varying
 * parts stand in as a value.
 */

const SERVER = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

/** A template literal from its opening backtick, each of its `${…}` (however nested) as 7. */
function template(text: string, start: number): string {
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '`') return out;
    if (text[i] === '$' && text[i + 1] === '{') {
      let depth = 0;
      for (i++; i < text.length; i++) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}' && --depth === 0) break;
      }
      out += '7';
    } else out += text[i];
  }
  return out;
}

const RENDERED: Record<string, string[]> = {
  'required: regiehouder of 7 famil7': ['required: regiehouder of 1 family', 'required: regiehouder of 3 families'],
  'names the family (7 identifying detail7): remove them, or ask with the record': [
    'names the family (1 identifying detail): remove them, or ask with the record',
    'names the family (2 identifying details): remove them, or ask with the record',
  ],
  'line 1: 7': ['line 1: missing column(s): name; unknown column(s): colour'],
  'this code cannot concern 7': [
    'this code cannot concern the family as a whole',
    'this code cannot concern a child',
    'this code cannot concern an adult',
  ],
};

function serverMessages(): Set<string> {
  const found = new Set<string>();
  const literal = (text: string) => text.replace(/\\\\/g, '\\').replace(/\\'/g, "'");
  for (const file of sources(SERVER)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/message: '((?:[^'\\]|\\.)+)'/g)) found.add(literal(match[1] ?? ''));
    for (const match of text.matchAll(/message: `/g)) {
      found.add(template(text, (match.index ?? 0) + 'message: '.length));
    }
    for (const match of text.matchAll(
      /\.(?:min|max|length|refine|regex|date|email|url|uuid)\([^()']*'((?:[^'\\]|\\.)+)'\)/g,
    )) {
      found.add(literal(match[1] ?? ''));
    }
  }
  // Templates whose varying part is words: as they come out.
  for (const [standIn, renderings] of Object.entries(RENDERED)) {
    expect(found.has(standIn), standIn).toBe(true);
    found.delete(standIn);
    for (const rendering of renderings) found.add(rendering);
  }
  // Built from parts elsewhere: a guide answer's problem, and zod's unknown keys.
  for (const problem of ['a text', 'yes or no (true or false)', 'one of a, b']) found.add(`must be ${problem}`);
  found.add('unknown field(s): colour');
  return found;
}

describe('field messages in Dutch', () => {
  it('has the Dutch for every message the server gives a field', () => {
    const messages = [...serverMessages()];
    // Not vacuous: the server's messages were found.
    expect(messages.length).toBeGreaterThan(120);
    expect(messages).toContain('must be in the past');
    expect(messages).toContain('more than 7 years ago: check the year');
    expect(messages.filter((message) => !hasDutch(message))).toEqual([]);
  });

  it('shows English as it came, Dutch for a known message and for zod’s own, and an unknown one as it is', () => {
    expect(fieldMessageIn('en', 'must be in the past')).toBe('must be in the past');
    expect(fieldMessageIn('nl', 'must be in the past')).toBe('moet in het verleden liggen');
    expect(fieldMessageIn('nl', 'more than 100 years ago: check the year')).toBe(
      'meer dan 100 jaar geleden: controleer het jaartal',
    );
    expect(fieldMessageIn('nl', 'must be one of 0, 1, 2')).toBe('moet een van deze zijn: 0, 1, 2');
    expect(fieldMessageIn('nl', 'Too small: expected number to be >=300')).toBe('minstens 300');
    expect(fieldMessageIn('nl', 'something new')).toBe('something new');
  });
});

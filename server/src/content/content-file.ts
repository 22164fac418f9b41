import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';

const CONTENT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../content');

/**
 * A content file as shipped (content/<file>), validated by its schema; a broken one throws with
 * what it is and the place at fault ("knowledge cards: cards.3.sources: …").
 */
export function readContentFile<S extends z.ZodType>(file: string, schema: S, what: string): z.output<S> {
  const result = schema.safeParse(JSON.parse(fs.readFileSync(path.join(CONTENT, file), 'utf8')));
  if (!result.success) {
    const first = result.error.issues[0];
    throw new Error(`${what}: ${first?.path.join('.')}: ${first?.message}`);
  }
  return result.data;
}

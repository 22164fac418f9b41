import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The shape the family store promises (ARCHITECTURE.md, "One door to family data"): outside
 * `access/`, no code builds a family scope of its own from the access decision point, and the
 * server's modules import each other without cycles.
 */
const serverSource = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sourceFiles(serverSource);

describe('one door to family data', () => {
  it('builds family scopes only in access/ (everything else asks the family store)', () => {
    const scopeMethods = /\.(familyScope|familyReadScope|readableFamilies|regieFamilies|emergencyAccess)\(/;
    const outside = files
      .filter((file) => !relative(serverSource, file).startsWith('access/'))
      .filter((file) => scopeMethods.test(readFileSync(file, 'utf8')))
      .map((file) => relative(serverSource, file));
    expect(files.length).toBeGreaterThan(100);
    expect(outside).toEqual([]);
  });

  it('lets the figures job read family records only through its door in access/ (figures-source.ts)', () => {
    const familyTables =
      /selectFrom\('(families|persons|trajectories|contacts|signals|judgements|referrals|handovers|guide_answers|consents|care_team_organisations)\b/;
    const figures = files.filter((file) => relative(serverSource, file).startsWith('figures/'));
    expect(figures.length).toBeGreaterThan(3);
    expect(
      figures.filter((file) => familyTables.test(readFileSync(file, 'utf8'))).map((f) => relative(serverSource, f)),
    ).toEqual([]);
  });

  it('has no import cycle between server modules (value imports)', () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(\.[^']+\.ts)'/gms)].map((m) =>
        resolve(dirname(file), m[1] as string),
      );
      graph.set(file, imports);
    }
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
    // Tarjan's strongly connected components: any component of more than one module is a cycle.
    let index = 0;
    const indices = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (node: string) => {
      indices.set(node, index);
      low.set(node, index);
      index++;
      stack.push(node);
      onStack.add(node);
      for (const next of graph.get(node) ?? []) {
        if (!graph.has(next)) continue;
        if (!indices.has(next)) {
          visit(next);
          low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
        } else if (onStack.has(next)) {
          low.set(node, Math.min(low.get(node) as number, indices.get(next) as number));
        }
      }
      if (low.get(node) === indices.get(node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(relative(serverSource, member));
        } while (member !== node);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const file of graph.keys()) if (!indices.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});

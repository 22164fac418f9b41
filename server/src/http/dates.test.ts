import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Client, createTestApp, seedAccount, seedOrganisation, type TestApp } from '../../test/helpers.ts';
import { roleAllows } from '../access/access.ts';
import { apiRoutes } from '../app.ts';
import type { AccountKind } from '../database/schema.ts';
import type { AnyRoute } from './route.ts';

/**
 * Every date a client sends is a real calendar date, everywhere (issue 22: "2024-02-30" once gave
 * a 500). Walks every API route's schemas for the fields that take a date — by format, and by a
 * name that says "date" — and sends each an impossible date over HTTP: a 400 that names the field,
 * and nothing written. The FHIR search's date parameters are checked the same way.
 */

type Json = { [key: string]: unknown };
interface DateField {
  path: (string | number)[];
  format: 'date' | 'date-time';
  /** The discriminating constants of the union alternative the field belongs to. */
  around: Json;
}

const IMPOSSIBLE = {
  date: ['2024-02-30', '2023-02-29', '2024-13-01', '0000-00-00'],
  'date-time': ['2024-02-30T10:00:00Z'],
};
/** Names that mean a date: a field so named must be checked as one (a free string is a defect). */
const DATE_NAME = /[a-z](Date|On|At)$|^(date|since|from|to|day)$/;

function dateFields(schema: Json, path: (string | number)[] = [], around: Json = {}): DateField[] {
  if (schema.format === 'date' || schema.format === 'date-time') {
    return [{ path, format: schema.format as 'date' | 'date-time', around }];
  }
  const found: DateField[] = [];
  for (const alternatives of [schema.anyOf, schema.oneOf, schema.allOf]) {
    for (const alternative of (alternatives as Json[] | undefined) ?? []) {
      const constants = Object.fromEntries(
        Object.entries((alternative.properties as Record<string, Json> | undefined) ?? {})
          .filter(([, p]) => 'const' in p)
          .map(([name, p]) => [name, p.const]),
      );
      found.push(...dateFields(alternative, path, { ...around, ...constants }));
    }
  }
  for (const [name, property] of Object.entries((schema.properties as Record<string, Json> | undefined) ?? {})) {
    found.push(...dateFields(property, [...path, name], {}).map((f) => ({ ...f, around: { ...around, ...f.around } })));
  }
  if (schema.items && typeof schema.items === 'object') found.push(...dateFields(schema.items as Json, [...path, 0]));
  return found;
}

/** Fields whose name says they hold a date but whose schema takes any string. */
function looseDateNames(schema: Json, path: string[] = []): string[] {
  const loose: string[] = [];
  for (const alternative of [schema.anyOf, schema.oneOf, schema.allOf].flatMap(
    (a) => (a as Json[] | undefined) ?? [],
  )) {
    loose.push(...looseDateNames(alternative, path));
  }
  for (const [name, property] of Object.entries((schema.properties as Record<string, Json> | undefined) ?? {})) {
    const stringy =
      property.type === 'string' && !property.format && !property.pattern && !property.enum && !property.const;
    if (stringy && DATE_NAME.test(name)) loose.push([...path, name].join('.'));
    loose.push(...looseDateNames(property, [...path, name]));
  }
  if (schema.items && typeof schema.items === 'object')
    loose.push(...looseDateNames(schema.items as Json, [...path, '0']));
  return loose;
}

const inputSchema = (schema: z.ZodType | undefined): Json =>
  schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json) : {};

function withValue(around: Json, path: (string | number)[], value: string): unknown {
  const root: Json = structuredClone(around);
  let node: Json | unknown[] = root;
  path.forEach((key, i) => {
    const last = i === path.length - 1;
    const next = last ? value : typeof path[i + 1] === 'number' ? [] : {};
    const container = node as Record<string | number, unknown>;
    container[key] = container[key] ?? next;
    if (last) container[key] = value;
    node = container[key] as Json;
  });
  return root;
}

const KINDS: AccountKind[] = ['professional', 'admin', 'analyst', 'parent'];
const kindFor = (route: AnyRoute) =>
  route.permission ? KINDS.find((kind) => roleAllows(kind, route.permission as never)) : 'professional';

let t: TestApp;
const clients = new Map<AccountKind, Client>();
beforeAll(async () => {
  t = await createTestApp();
  const organisationId = await seedOrganisation(t.db, 'jgz');
  for (const kind of KINDS) {
    const account = await seedAccount(t.db, {
      kind,
      organisationId: kind === 'professional' || kind === 'analyst' ? organisationId : null,
    });
    clients.set(kind, await t.signIn(account.email));
  }
});
afterAll(() => t.close());

const apiOnly = apiRoutes.filter((route) => route.url.startsWith('/api/'));
const cases = apiOnly.flatMap((route) =>
  (['query', 'body'] as const).flatMap((where) =>
    dateFields(inputSchema(route[where])).flatMap((field) =>
      IMPOSSIBLE[field.format].map((value) => ({ route, where, field, value })),
    ),
  ),
);

describe('dates a client sends', () => {
  it('finds the date fields of the API (the walk itself works)', () => {
    const names = new Set(cases.map((c) => `${c.route.method} ${c.route.url} ${c.where}.${c.field.path.join('.')}`));
    expect(names.size).toBeGreaterThan(30);
    expect(names).toContain('POST /api/families body.pregnancy.dueDate');
    expect(names).toContain('GET /api/admin/break-glass query.from');
  });

  it('never takes a free string in a field whose name says it is a date', () => {
    const loose = apiOnly.flatMap((route) =>
      (['query', 'body'] as const).flatMap((where) =>
        looseDateNames(inputSchema(route[where])).map((field) => `${route.method} ${route.url} ${where}.${field}`),
      ),
    );
    expect(loose).toEqual([]);
  });

  it('answers every impossible date on every route with a 400 naming the field, and writes nothing', async () => {
    const before = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const wrong: string[] = [];
    for (const { route, where, field, value } of cases) {
      const kind = kindFor(route);
      const client = route.auth === 'public' ? t.anonymous() : kind ? clients.get(kind) : undefined;
      if (!client) {
        wrong.push(`${route.method} ${route.url}: no kind of account may call it, so its dates went unchecked`);
        continue;
      }
      const url = route.url.replace(/:[a-zA-Z]+/g, () => randomUUID());
      const fieldName = `${where}.${field.path.join('.')}`;
      const response =
        where === 'query'
          ? await client.request(
              route.method,
              `${url}?${new URLSearchParams({ ...(field.around as Record<string, string>), [String(field.path[0])]: value })}`,
            )
          : await client.request(route.method, url, withValue(field.around, field.path, value));
      const fields: { field: string }[] = response.json()?.fields ?? [];
      if (response.statusCode !== 400 || !fields.some((f) => f.field === fieldName)) {
        wrong.push(
          `${route.method} ${route.url} ${fieldName}=${value}: ${response.statusCode} ${response.body.slice(0, 200)}`,
        );
      }
    }
    expect(wrong).toEqual([]);
    // Validation refusals write nothing, not even audit events.
    const after = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('answers an impossible date in a FHIR search with a 400 OperationOutcome', async () => {
    const professional = clients.get('professional') as Client;
    for (const url of [
      '/fhir/Patient?birthdate=2024-02-30',
      '/fhir/Patient?birthdate=ge2023-02-29',
      '/fhir/Observation?date=lt2024-13-01',
      '/fhir/Encounter?date=2024-02-30',
      '/fhir/Observation?_lastUpdated=gt2024-02-30T10:00:00Z',
    ]) {
      const response = await professional.get(url);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
      expect(response.json().resourceType).toBe('OperationOutcome');
    }
  });
});

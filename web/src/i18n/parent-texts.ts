import nl from './nl.json' with { type: 'json' };

/**
 * The texts the parents' Kring reads (sections of nl.json, or single texts): what each parents'
 * language (web/src/i18n/parents/) must hold in full. The professionals' pages stay in Dutch and
 * English.
 */
export const PARENT_TEXTS = [
  'app',
  'language',
  'login',
  'secondFactor',
  'shell',
  'nav',
  'portal',
  'errors',
  'pager',
  'recovery',
  'passwordReset',
  'invitation',
  'kinds',
  'disciplines',
  'organisationTypes',
  'phases',
  'contactKinds',
  'audience',
  'categories',
  'childStatus',
  'givenHow',
  'roles',
  'sexes',
  'legalRoles',
  'dataRequests.grounds',
  'dataRequests.statuses',
  'dataRequests.kinds',
  'dataRequests.recordTypes',
  'picture.source',
  'plan.actionStatus',
  'plan.goalStatus',
  'record.purposes',
  'referrals.status',
  'home.organisation',
  'home.role',
  'home.parent',
  'home.secondFactor',
  'home.secondFactorOn',
  'home.secondFactorOff',
  'home.enableSecondFactor',
] as const;

export type Tree = { [key: string]: Tree | string };

/** The text or section at a dotted path; as for i18next, a key may itself hold dots (`dataFields["family.street"]`). */
export function at(tree: Tree, path: string): Tree | string | undefined {
  const parts = path.split('.');
  const find = (node: Tree | string | undefined, from: number): Tree | string | undefined => {
    if (from === parts.length) return node;
    if (typeof node !== 'object') return undefined;
    for (let to = parts.length; to > from; to--) {
      const key = parts.slice(from, to).join('.');
      const found = key in node ? find(node[key], to) : undefined;
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return find(tree, 0);
}

export function leaves(node: Tree | string | undefined, prefix: string): string[] {
  if (node === undefined) return [];
  if (typeof node === 'string') return [prefix];
  return Object.entries(node).flatMap(([key, child]) => leaves(child, `${prefix}.${key}`));
}

/**
 * The Dutch texts of the given paths that a language lacks. A plural (`x_one` and `x_other`) counts
 * as there when the language has its `x_other` (each language has its own plural forms).
 */
export function missingTexts(bundle: object, paths: readonly string[] = PARENT_TEXTS): string[] {
  const translated = bundle as Tree;
  const source = nl as unknown as Tree;
  const all = paths.flatMap((path) => leaves(at(source, path), path));
  const has = (key: string) => typeof at(translated, key) === 'string';
  return all.filter((key) => {
    const plural = key.match(/^(.*)_(one|other)$/);
    if (plural && all.includes(`${plural[1]}_one`) && all.includes(`${plural[1]}_other`)) {
      return !has(`${plural[1]}_other`);
    }
    return !has(key);
  });
}

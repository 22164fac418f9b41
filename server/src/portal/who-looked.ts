import { type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { AUDIENCE_TABLES, type FamilyReader, parentSeesEntry, signalIsSafety } from '../access/family-audience.ts';
import { AppError } from '../errors.ts';
import type { RequestContext, Tx } from '../http/context.ts';

/**
 * "Who looked at our record" in the parents' own Kring: the family's audit trail in plain terms —
 * which organisation, in which role, looked at or changed which part, and when. Professionals'
 * names are not shown (the organisation and role are). Per parent: only the accesses to what that
 * parent may see (PRODUCT.md point 10), so the list never tells the other parent what was confided:
 * - an event about an entry (a signal, a contact, …) only if the parent sees that entry, about a
 *   correction request only for the parent who filed it;
 * - the steps of a Meldcode route only once its professionals decided the parents may see it;
 * - a break-the-glass access recorded as "parents not informed" (and every read under it) not at all;
 * - where the family has a safety concern (a signal of the safety class — domestic violence, or one
 *   a Meldcode route rests on — or a route not shown to the parents), Veilig Thuis's accesses and
 *   every break-the-glass access are held back from a parent who is not the person it protects
 *   (the person such a signal concerns): nothing may tell the other parent that Veilig Thuis looked.
 */
export function accessLogFor(tx: Tx, link: { familyId: string; personId: string; reader: FamilyReader }) {
  const reader = sql.val(link.personId);
  const family = sql.val(link.familyId);
  const entryTypes = Object.keys(AUDIENCE_TABLES) as (keyof typeof AUDIENCE_TABLES)[];
  // The family's entries this reader may not see, worked out once (a family has tens of entries;
  // testing each of 300 events against its entry cost a lookup per event).
  const hiddenEntries = sql.join(
    entryTypes.map(
      (
        type,
      ) => sql`(e.record_type = ${type} AND e.record_id IN (SELECT x.id FROM ${sql.table(AUDIENCE_TABLES[type].table)} x
        WHERE x.family_id = ${family} AND NOT ${parentSeesEntry(link.reader, type, 'x')}))`,
    ),
    sql` OR `,
  );
  // Not correlated with the event: PostgreSQL works it out once per request. Held back while a
  // Meldcode route is not shown to the parents, or while a safety concern stands that no route's
  // decision (setParentsVisibility, with a reason) has opened to them.
  const routeSignals = link.reader.routeSignals;
  const heldBack = sql`((EXISTS (SELECT 1 FROM meldcode_routes mr WHERE mr.family_id = ${family} AND NOT mr.shown_to_parents)
      OR (EXISTS (SELECT 1 FROM signals hs WHERE hs.family_id = ${family} AND ${signalIsSafety('hs', routeSignals)})
        AND NOT EXISTS (SELECT 1 FROM meldcode_routes sr WHERE sr.family_id = ${family} AND sr.shown_to_parents)))
    AND NOT EXISTS (SELECT 1 FROM signals ps WHERE ps.family_id = ${family} AND ps.concerns_person_id = ${reader}
      AND ${signalIsSafety('ps', routeSignals)}))`;
  return (
    tx.db
      .selectFrom('audit_events as e')
      .leftJoin('organisations as o', 'o.id', 'e.actor_organisation_id')
      .select([
        'e.id',
        'e.occurred_at',
        'e.action',
        'e.outcome',
        'e.actor_role',
        'e.actor_account_id',
        'o.name as organisation',
      ])
      // Whether accesses are being held back from this parent (recorded with the read, below).
      .select(sql<boolean>`${heldBack}`.as('held_back'))
      .where('e.family_id', '=', link.familyId)
      .where(sql<SqlBool>`NOT coalesce(${hiddenEntries}, false)`)
      // Safety measures are never shown in the parents' Kring.
      .where(sql<SqlBool>`e.record_type IS DISTINCT FROM 'safety_measure'`)
      .where(
        sql<SqlBool>`NOT coalesce(e.record_type = 'data_request' AND e.record_id IN (SELECT d.id FROM data_requests d
        WHERE d.family_id = ${family} AND d.requested_by_person_id IS DISTINCT FROM ${reader}), false)`,
      )
      .where(
        sql<SqlBool>`(e.action NOT LIKE 'meldcode.%' OR e.record_id IN (SELECT id FROM meldcode_routes
        WHERE family_id = ${family} AND shown_to_parents))`,
      )
      .where(
        sql<SqlBool>`NOT EXISTS (SELECT 1 FROM consent_overrides co
        WHERE co.family_id = e.family_id AND co.kind = 'break_the_glass' AND co.account_id = e.actor_account_id
          AND (e.record_id = co.id OR e.occurred_at BETWEEN co.created_at AND co.expires_at)
          AND (NOT co.parents_informed OR ${heldBack}))`,
      )
      .where(sql<SqlBool>`(o.type IS DISTINCT FROM 'veilig_thuis' OR NOT ${heldBack})`)
  );
}

/** Events of one person closer together than this belong to one visit. */
const VISIT_GAP_MS = 30 * 60 * 1000;
/** How many events a parent's list covers at most (the newest), before grouping into visits. */
const WHO_LOOKED_LIMIT = 2000;

export const WhoLookedQuery = z.strictObject({
  from: z.iso.date('must be a date (YYYY-MM-DD)').optional(),
  to: z.iso.date('must be a date (YYYY-MM-DD)').optional(),
});

type VisitKind = 'looked' | 'changed' | 'refused' | 'emergency' | 'parent';

/** What one event was, in the parents' terms. */
function kindOf(e: { action: string; outcome: string; actor_role: string | null }): VisitKind {
  const verb = e.action.split('.').at(-1) ?? '';
  if (e.actor_role === 'parent') return 'parent';
  if (e.action === 'family.emergency_access') return 'emergency';
  if (e.outcome === 'refused') return 'refused';
  return /read|list|search|open|export/.test(verb) || e.action === 'family.read' ? 'looked' : 'changed';
}

/**
 * The family's audit trail as visits: one person of one organisation, in one role, within half an
 * hour between steps is one visit ("JGZ Duinstad, jeugdverpleegkundige, bekeek het dossier —
 * maandag 6 december, 23:44"), with its steps as details, newest visit first. A visit is summed up
 * by its weightiest step: an emergency access, then a change, then a look, then a refusal.
 */
export async function readWhoLooked(ctx: RequestContext, query: z.output<typeof WhoLookedQuery>) {
  if (query.from && query.to && query.from > query.to) {
    throw new AppError('VALIDATION_FAILED', 'The period ends before it begins.', {
      fields: [{ field: 'query.to', message: 'The period ends before it begins.' }],
    });
  }
  return ctx.transaction(async (tx) => {
    const link = await tx.families.parent('portal.audit');
    let events = accessLogFor(tx, link);
    if (query.from) events = events.where('e.occurred_at', '>=', new Date(`${query.from}T00:00:00Z`));
    if (query.to)
      events = events.where('e.occurred_at', '<', new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000));
    const rows = await events.orderBy('e.occurred_at', 'desc').limit(WHO_LOOKED_LIMIT).execute();
    // The holding back is itself recorded (PRODUCT.md point 10), for the professionals' audit trail.
    const heldBack = rows.some((e) => e.held_back);
    await tx.audit({
      action: 'portal.audit_read',
      familyId: link.familyId,
      ...(heldBack ? { details: { heldBack: true } } : {}),
      recordType: 'family',
      recordId: link.familyId,
    });
    const weight: Record<VisitKind, number> = { emergency: 4, changed: 3, looked: 2, refused: 1, parent: 0 };
    const visits: {
      id: string;
      startedAt: Date;
      endedAt: Date;
      organisation: string | null;
      role: string | null;
      kind: VisitKind;
      who: string;
      steps: { id: string; occurredAt: string; area: string; kind: VisitKind }[];
    }[] = [];
    // Newest first: a step joins the same person's visit (same organisation and role) when it lies
    // less than half an hour before that visit's earliest step — whatever others did in between.
    const open = new Map<string, (typeof visits)[number]>();
    for (const e of rows) {
      const kind = kindOf(e);
      const who = `${e.actor_account_id ?? ''}|${e.organisation ?? ''}|${e.actor_role ?? ''}|${kind === 'parent'}`;
      const step = {
        id: e.id,
        occurredAt: e.occurred_at.toISOString(),
        area: e.action.split('.')[0] || 'family',
        kind,
      };
      const visit = open.get(who);
      if (visit && visit.startedAt.getTime() - e.occurred_at.getTime() < VISIT_GAP_MS) {
        visit.steps.push(step);
        visit.startedAt = e.occurred_at;
        if (weight[kind] > weight[visit.kind]) visit.kind = kind;
      } else {
        const started = {
          id: e.id,
          startedAt: e.occurred_at,
          endedAt: e.occurred_at,
          organisation: e.organisation,
          role: e.actor_role,
          kind,
          who,
          steps: [step],
        };
        visits.push(started);
        open.set(who, started);
      }
    }
    return {
      complete: rows.length < WHO_LOOKED_LIMIT,
      visits: visits.map(({ who: _who, startedAt, endedAt, steps, ...visit }) => ({
        ...visit,
        startedAt: startedAt.toISOString(),
        endedAt: endedAt.toISOString(),
        // The parts of the record, each once, in the order they were first opened.
        areas: [...new Set(steps.map((s) => s.area).reverse())],
        steps: steps.reverse(),
      })),
    };
  });
}

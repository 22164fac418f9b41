import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { DB } from '../database/schema.ts';
import type { RequestContext } from '../http/context.ts';
import { deliverMail, queueMail } from './mailer.ts';

/**
 * The daily notification digest (a daily job): each active professional with unread notifications
 * that arrived since the last digest gets one e-mail saying how many, with a link — never what
 * they are about. Each person can turn it off.
 */
export async function sendDigests(db: Kysely<DB>, config: Config): Promise<number> {
  const due = await db
    .selectFrom('accounts as a')
    .innerJoin('notifications as n', 'n.account_id', 'a.id')
    .select(['a.id', 'a.email', 'a.display_name', 'a.language', (eb) => eb.fn.countAll<number>().as('count')])
    .where('a.active', '=', true)
    .where('a.kind', '=', 'professional')
    .where('a.digest_enabled', '=', true)
    .where('n.read_at', 'is', null)
    .where((eb) =>
      eb('n.created_at', '>', sql<Date>`coalesce(${eb.ref('a.digest_sent_at')}, '-infinity'::timestamptz)`),
    )
    .groupBy(['a.id', 'a.email', 'a.display_name', 'a.language'])
    .execute();
  for (const account of due) {
    await db.transaction().execute(async (tx) => {
      await queueMail(tx, config, {
        to: account.email,
        template: 'digest',
        language: account.language === 'en' ? 'en' : 'nl',
        params: { name: account.display_name, count: String(account.count), link: config.publicUrl },
      });
      await tx.updateTable('accounts').set({ digest_sent_at: new Date() }).where('id', '=', account.id).execute();
    });
  }
  await deliverMail(db, config);
  return due.length;
}

export const DigestInput = z.strictObject({ enabled: z.boolean() });

/** Whether the signed-in person gets the daily digest (their own setting: not audited as data access). */
export async function digestSetting(ctx: RequestContext) {
  const row = await ctx.deps.database.db
    .selectFrom('accounts')
    .select('digest_enabled')
    .where('id', '=', ctx.access.actor.accountId)
    .executeTakeFirstOrThrow();
  return { enabled: row.digest_enabled };
}

export async function setDigest(ctx: RequestContext, input: z.infer<typeof DigestInput>) {
  return ctx.transaction(async (tx) => {
    await tx.db
      .updateTable('accounts')
      .set({ digest_enabled: input.enabled })
      .where('id', '=', ctx.access.actor.accountId)
      .execute();
    await tx.audit({ action: 'account.digest', details: { enabled: input.enabled } });
    return { enabled: input.enabled };
  });
}

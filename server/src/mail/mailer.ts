import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Language } from '../accounts/languages.ts';
import type { Config } from '../config.ts';
import type { DB } from '../database/schema.ts';
import PARENT_MAILS from './parent-languages.json' with { type: 'json' };

/**
 * Mail through an outbox: `queueMail` writes the mail in the caller's transaction (so a mail is
 * sent exactly when the work commits), `deliverMail` sends what is queued through the SMTP server
 * of `KRING_SMTP_URL` and then clears the body (it may hold a one-time link). Without an SMTP
 * server — the demo — mails stay readable in the outbox page. Templates hold no personal health
 * data: a name, an organisation, a link.
 */
export const TEMPLATES = {
  invitation: {
    nl: {
      subject: 'Uitnodiging voor Kring',
      body: 'Beste {name},\n\n{organisation} nodigt je uit om met Kring te werken, de gedeelde werkplek van de zorg rond de eerste 1001 dagen.\n\nKies je wachtwoord en koppel je authenticator-app via deze link (7 dagen geldig, één keer te gebruiken):\n{link}\n\nHeb je deze uitnodiging niet verwacht? Dan kun je deze e-mail negeren.',
    },
    en: {
      subject: 'Invitation to Kring',
      body: 'Dear {name},\n\n{organisation} invites you to work with Kring, the shared workplace of care around the first 1001 days.\n\nChoose your password and connect your authenticator app through this link (valid for 7 days, to be used once):\n{link}\n\nDid you not expect this invitation? Then you can ignore this e-mail.',
    },
  },
  password_reset: {
    nl: {
      subject: 'Nieuw wachtwoord voor Kring',
      body: 'Beste {name},\n\nJe hebt gevraagd om een nieuw wachtwoord voor Kring. Kies het via deze link (een uur geldig, één keer te gebruiken):\n{link}\n\nHeb je dit niet gevraagd? Dan kun je deze e-mail negeren; je wachtwoord blijft hetzelfde.',
    },
    en: {
      subject: 'New password for Kring',
      body: 'Dear {name},\n\nYou asked for a new password for Kring. Choose it through this link (valid for an hour, to be used once):\n{link}\n\nDid you not ask for this? Then you can ignore this e-mail; your password stays the same.',
    },
  },
  second_factor_reset: {
    nl: {
      subject: 'Je tweede stap voor Kring is opnieuw ingesteld',
      body: 'Beste {name},\n\nEen beheerder heeft de koppeling met je authenticator-app opnieuw ingesteld (bijvoorbeeld omdat je een nieuwe telefoon hebt). Koppel je app opnieuw via deze link (24 uur geldig, één keer te gebruiken):\n{link}\n\nHeb je hier niet om gevraagd? Neem dan meteen contact op met je beheerder.',
    },
    en: {
      subject: 'Your second step for Kring was reset',
      body: 'Dear {name},\n\nAn administrator reset the connection with your authenticator app (for instance because you have a new phone). Connect your app again through this link (valid for 24 hours, to be used once):\n{link}\n\nDid you not ask for this? Then contact your administrator at once.',
    },
  },
  parent_invitation: {
    nl: {
      subject: 'Uitnodiging voor jullie eigen Kring',
      body: 'Beste {name},\n\n{organisation} nodigt je uit voor jullie eigen Kring: daar zie je wat er over jullie gezin is vastgelegd en waarom, wie er meekeek, en geef je zelf toestemming.\n\nMaak je account via deze link (twee weken geldig, één keer te gebruiken):\n{link}\n\nHeb je deze uitnodiging niet verwacht? Dan kun je deze e-mail negeren.',
    },
    en: {
      subject: 'Invitation to your own Kring',
      body: 'Dear {name},\n\n{organisation} invites you to your own Kring: there you see what is recorded about your family and why, who looked, and you give consent yourself.\n\nCreate your account through this link (valid for two weeks, to be used once):\n{link}\n\nDid you not expect this invitation? Then you can ignore this e-mail.',
    },
  },
  digest: {
    nl: {
      subject: 'Nieuwe meldingen in Kring',
      body: 'Beste {name},\n\nEr staan {count} nieuwe meldingen of taken voor je klaar in Kring. Log in om ze te zien:\n{link}\n\nDeze e-mail zegt bewust niet waar het over gaat: gegevens van gezinnen blijven in Kring. Wil je deze dagelijkse e-mail niet meer? Zet hem uit bij "Mijn account".',
    },
    en: {
      subject: 'New notifications in Kring',
      body: 'Dear {name},\n\nThere are {count} new notifications or tasks waiting for you in Kring. Sign in to see them:\n{link}\n\nThis e-mail deliberately does not say what they are about: families\' data stays in Kring. No longer want this daily e-mail? Turn it off under "My account".',
    },
  },
} as const;
export type TemplateKey = keyof typeof TEMPLATES;

/**
 * The template in the asked language: Dutch and English for every mail; the parents' other
 * languages for the mails a parent can get (parent-languages.json), otherwise Dutch.
 */
function templateIn(
  key: TemplateKey,
  language: Language,
): { template: { subject: string; body: string }; language: Language } {
  if (language === 'nl' || language === 'en') return { template: TEMPLATES[key][language], language };
  const translated = (
    PARENT_MAILS as unknown as Record<string, Record<string, { subject: string; body: string }> | undefined>
  )[language]?.[key];
  return translated ? { template: translated, language } : { template: TEMPLATES[key].nl, language: 'nl' };
}

function render(text: string, params: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? '');
}

export async function queueMail(
  db: Kysely<DB>,
  config: Config,
  mail: { to: string; template: TemplateKey; language: Language; params: Record<string, string> },
): Promise<string> {
  const { template, language } = templateIn(mail.template, mail.language);
  const id = randomUUID();
  await db
    .insertInto('mail_outbox')
    .values({
      id,
      to_address: mail.to,
      template: mail.template,
      language,
      subject: template.subject,
      body: render(template.body, mail.params),
      status: config.smtpUrl ? 'queued' : 'demo',
    })
    .execute();
  return id;
}

const MAX_ATTEMPTS = 5;

/** Send what is queued (after the commit that queued it, and from the sweep); returns how many were sent. */
export async function deliverMail(db: Kysely<DB>, config: Config): Promise<number> {
  if (!config.smtpUrl) return 0;
  const transport = nodemailer.createTransport(config.smtpUrl);
  const queued = await db
    .selectFrom('mail_outbox')
    .select(['id', 'to_address', 'subject', 'body', 'attempts'])
    .where('status', 'in', ['queued', 'failed'])
    .where('attempts', '<', MAX_ATTEMPTS)
    .orderBy('created_at')
    .limit(100)
    .execute();
  let sent = 0;
  for (const mail of queued) {
    // Claim it, so that two processes do not both send it.
    const claimed = await db
      .updateTable('mail_outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', mail.id)
      .where('attempts', '=', mail.attempts)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    try {
      await transport.sendMail({
        from: config.mailFrom,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.body ?? '',
      });
      await db
        .updateTable('mail_outbox')
        .set({ status: 'sent', sent_at: new Date(), body: null })
        .where('id', '=', mail.id)
        .execute();
      sent++;
    } catch (error) {
      await db.updateTable('mail_outbox').set({ status: 'failed' }).where('id', '=', mail.id).execute();
      // The SMTP error's code only: no address, no content.
      console.error(`mail ${mail.id} not sent (${(error as { code?: string }).code ?? 'error'}); retried later.`);
    }
  }
  transport.close();
  return sent;
}

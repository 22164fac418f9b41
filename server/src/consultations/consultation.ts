import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { consentPersons } from '../access/family-store.ts';
import { grantOrganisationConsent, requireSharingConsent } from '../consent/record-consent.ts';
import { CONSENT_CATEGORIES, textArray } from '../database/schema.ts';
import { AppError } from '../errors.ts';
import { isValidBsn } from '../families/bsn.ts';
import { requireOpen, requireVersion } from '../families/family-guards.ts';
import { sharedWith } from '../families/shared-with.ts';
import type { RequestContext } from '../http/context.ts';
import { createTask } from '../tasks/create-task.ts';

/**
 * Consultation (consultatie): a professional asks another organisation — an infant mental health
 * specialist, Veilig Thuis for advice — a question about a family. Anonymously: nothing links the
 * consultation to the family, and a question that names the family is refused. Or with the
 * record: the consulted organisation sees what the parents' consent for it allows, and the
 * exchange is kept with the family.
 */
export const AskInput = z.strictObject({
  consultedOrganisationId: z.uuid(),
  question: z.string().trim().min(10, 'ask your question in a few sentences').max(4000),
  /** The family the question is about (its record must be within the asker's reach). */
  familyId: z.uuid().optional(),
  /** With the record: needs the parents' consent for the consulted organisation in these categories. */
  withRecord: z.boolean().default(false),
  sharedCategories: z.array(z.enum(CONSENT_CATEGORIES)).max(3).default([]),
  consentGivenHow: z.enum(['verbal', 'written']).optional(),
  /**
   * With consent given now: who gave it (the parents with gezag, the pregnant person). Everyone
   * whose consent counts for what is shared must have given it, now or before.
   */
  consentedBy: z.array(z.uuid()).min(1).max(10).optional(),
});
export const AnswerInput = z.strictObject({
  answer: z.string().trim().min(3, 'write your answer').max(4000),
  version: z.number().int().positive(),
});
export const ConsultationParams = z.strictObject({ consultationId: z.uuid() });

/** Words of an anonymous question that identify the family: its members' names, BSNs, postcode, house number. */
function identifyingWords(
  question: string,
  family: {
    postcode: string | null;
    street: string | null;
    persons: { given_name: string | null; family_name: string | null; bsn: string | null; birth_date: string | null }[];
  },
): string[] {
  const text = question.toLowerCase();
  const words = new Set(text.split(/[^\p{L}\p{N}-]+/u).filter(Boolean));
  const found: string[] = [];
  for (const person of family.persons) {
    for (const name of [person.given_name, person.family_name]) {
      if (name && name.length > 1 && words.has(name.toLowerCase())) found.push(name);
    }
    if (person.bsn && text.includes(person.bsn)) found.push('BSN');
    if (person.birth_date && text.includes(person.birth_date)) found.push(person.birth_date);
  }
  if (family.postcode && text.replace(/\s/g, '').includes(family.postcode.replace(/\s/g, '').toLowerCase())) {
    found.push(family.postcode);
  }
  if (family.street && family.street.length > 3 && text.includes(family.street.toLowerCase()))
    found.push(family.street);
  if ((question.match(/\b\d{9}\b/g) ?? []).some(isValidBsn)) found.push('BSN');
  return [...new Set(found)];
}

export async function askConsultation(ctx: RequestContext, input: z.infer<typeof AskInput>) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const consulted = await tx.db
      .selectFrom('organisations')
      .select(['id', 'type'])
      .where('id', '=', input.consultedOrganisationId)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!consulted || consulted.type === 'gemeente' || consulted.id === access.organisationId) {
      throw new AppError('VALIDATION_FAILED', 'Invalid consultation.', {
        fields: [{ field: 'body.consultedOrganisationId', message: 'not another care organisation' }],
      });
    }
    if (input.withRecord && !input.familyId) {
      throw new AppError('VALIDATION_FAILED', 'Which family?', {
        fields: [{ field: 'body.familyId', message: 'required for a consultation with the record' }],
      });
    }
    if (input.withRecord && input.sharedCategories.length === 0) {
      throw new AppError('VALIDATION_FAILED', 'Choose what the consulted organisation may see.', {
        fields: [{ field: 'body.sharedCategories', message: 'choose what goes along' }],
      });
    }
    if (input.consentGivenHow && !input.consentedBy) {
      throw new AppError('VALIDATION_FAILED', 'Who gave consent?', {
        fields: [{ field: 'body.consentedBy', message: 'who gave consent' }],
      });
    }
    if (input.consentedBy && !input.consentGivenHow) {
      throw new AppError('VALIDATION_FAILED', 'How was consent given?', {
        fields: [{ field: 'body.consentGivenHow', message: 'required when recording who consented' }],
      });
    }
    let consentsWritten = 0;
    if (input.familyId) {
      const { family, persons, consents } = await tx.families.open(input.familyId, 'family.write');
      if (input.withRecord) {
        requireOpen(family);
        const added = input.consentGivenHow
          ? await grantOrganisationConsent(
              tx,
              access.actor.accountId,
              { familyId: family.id, persons: consentPersons(persons), consents },
              consulted.id,
              { categories: input.sharedCategories, givenHow: input.consentGivenHow, consentedBy: input.consentedBy },
              { categories: 'body.sharedCategories', consentedBy: 'body.consentedBy' },
            )
          : [];
        consentsWritten = added.length;
        // What is shared needs the consent of everyone whose consent counts for it, given now or before.
        requireSharingConsent(
          {
            id: family.id,
            persons: consentPersons(persons),
            consents: [
              ...consents,
              ...added.map((a) => ({
                purpose: 'share',
                person_id: a.personId,
                organisation_id: a.organisationId,
                category: a.category,
              })),
            ],
          },
          consulted.id,
          input.sharedCategories,
          'consultation.ask',
        );
      } else {
        const named = identifyingWords(input.question, { ...family, persons });
        if (named.length) {
          throw new AppError('VALIDATION_FAILED', 'An anonymous question must not identify the family.', {
            fields: [
              {
                field: 'body.question',
                message: `names the family (${named.length} identifying detail${named.length > 1 ? 's' : ''}): remove them, or ask with the record`,
              },
            ],
          });
        }
      }
    } else {
      const named = identifyingWords(input.question, { postcode: null, street: null, persons: [] });
      if (named.length) {
        throw new AppError('VALIDATION_FAILED', 'An anonymous question must not identify the family.', {
          fields: [{ field: 'body.question', message: 'contains a BSN: remove it' }],
        });
      }
    }
    const id = randomUUID();
    const familyId = input.withRecord ? (input.familyId ?? null) : null;
    await tx.db
      .insertInto('consultations')
      .values({
        id,
        family_id: familyId,
        asked_by_account_id: access.actor.accountId,
        asked_by_organisation_id: access.organisationId,
        consulted_organisation_id: consulted.id,
        question: input.question,
        shared_categories: textArray(input.withRecord ? input.sharedCategories : []),
        status: 'open',
      })
      .execute();
    await createTask(tx.db, {
      kind: 'consultation_to_answer',
      familyId,
      assigneeOrganisationId: consulted.id,
      sourceId: id,
    });
    // An anonymous consultation is audited without the family: nothing links it to them.
    await tx.audit({
      action: 'consultation.ask',
      familyId,
      recordType: 'consultation',
      recordId: id,
      details: { anonymous: !input.withRecord, consents: consentsWritten },
    });
    return { consultationId: id, anonymous: !input.withRecord };
  });
}

/**
 * The consultations the actor asked, and those asked of their organisation, newest first; for the
 * consulted organisation, a consultation with the record carries what the parents' consent allows.
 */
export async function listConsultations(ctx: RequestContext) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const rows = await tx.db
      .selectFrom('consultations as c')
      .innerJoin('organisations as ao', 'ao.id', 'c.asked_by_organisation_id')
      .innerJoin('organisations as co', 'co.id', 'c.consulted_organisation_id')
      .innerJoin('accounts as aa', 'aa.id', 'c.asked_by_account_id')
      .leftJoin('accounts as ra', 'ra.id', 'c.answered_by_account_id')
      .selectAll('c')
      .select([
        'ao.name as asked_by_organisation_name',
        'co.name as consulted_organisation_name',
        'aa.display_name as asked_by_name',
        'ra.display_name as answered_by_name',
      ])
      .where((eb) =>
        eb.or([
          eb('c.asked_by_account_id', '=', access.actor.accountId),
          eb('c.consulted_organisation_id', '=', access.organisationId),
        ]),
      )
      .orderBy('c.created_at', 'desc')
      .limit(200)
      .execute();
    const consultations = [];
    for (const row of rows) {
      const consulted = row.consulted_organisation_id === access.organisationId;
      const shared =
        consulted && row.family_id && row.status === 'open'
          ? await sharedWith(tx.db, row.family_id, access.organisationId, row.shared_categories)
          : null;
      if (row.family_id) {
        await tx.audit({
          action: 'consultation.read',
          familyId: row.family_id,
          recordType: 'consultation',
          recordId: row.id,
        });
      }
      consultations.push({
        id: row.id,
        side: consulted ? ('consulted' as const) : ('asker' as const),
        familyId: consulted ? null : row.family_id,
        anonymous: row.family_id === null,
        askedByName: row.asked_by_name,
        askedByOrganisationName: row.asked_by_organisation_name,
        consultedOrganisationName: row.consulted_organisation_name,
        question: row.question,
        answer: row.answer,
        answeredByName: row.answered_by_name,
        answeredAt: row.answered_at?.toISOString() ?? null,
        status: row.status,
        createdAt: row.created_at.toISOString(),
        version: row.version,
        shared,
      });
    }
    return { consultations };
  });
}

/** The consulted organisation answers; the asker is told. */
export async function answerConsultation(
  ctx: RequestContext,
  consultationId: string,
  input: z.infer<typeof AnswerInput>,
) {
  const access = ctx.access;
  return ctx.transaction(async (tx) => {
    const consultation = await tx.db
      .selectFrom('consultations')
      .selectAll()
      .where('id', '=', consultationId)
      .where('consulted_organisation_id', '=', access.organisationId)
      .forUpdate()
      .executeTakeFirst();
    if (!consultation) {
      throw new AppError('NOT_FOUND', 'Not found.', {
        refusal: { action: 'consultation.answer', recordType: 'consultation', recordId: consultationId },
      });
    }
    requireVersion(consultation, input.version, { version: consultation.version, status: consultation.status });
    if (consultation.status !== 'open') {
      throw new AppError('INVALID_TRANSITION', 'This consultation was already answered or withdrawn.');
    }
    await tx.db
      .updateTable('consultations')
      .set((eb) => ({
        answer: input.answer,
        answered_by_account_id: access.actor.accountId,
        answered_at: new Date(),
        status: 'answered',
        version: eb('version', '+', 1),
      }))
      .where('id', '=', consultationId)
      .execute();
    await tx.db
      .updateTable('tasks')
      .set({ status: 'done', completed_at: new Date() })
      .where('kind', '=', 'consultation_to_answer')
      .where('source_id', '=', consultationId)
      .execute();
    await tx.db
      .insertInto('notifications')
      .values({
        id: randomUUID(),
        account_id: consultation.asked_by_account_id,
        kind: 'consultation_answered',
        task_id: null,
        family_id: consultation.family_id,
      })
      .execute();
    await tx.audit({
      action: 'consultation.answer',
      familyId: consultation.family_id,
      recordType: 'consultation',
      recordId: consultationId,
    });
    return { consultationId, status: 'answered' as const };
  });
}

/** The consultations kept with a family (not the anonymous ones), for its record. */
export async function familyConsultations(ctx: RequestContext, familyId: string) {
  const _access = ctx.access;
  return ctx.transaction(async (tx) => {
    const { mayRead } = await tx.families.open(familyId, 'family.read');
    const rows = await tx.db
      .selectFrom('consultations as c')
      .innerJoin('organisations as co', 'co.id', 'c.consulted_organisation_id')
      .innerJoin('accounts as aa', 'aa.id', 'c.asked_by_account_id')
      .innerJoin('organisations as ao', 'ao.id', 'c.asked_by_organisation_id')
      .select([
        'c.id',
        'c.question',
        'c.answer',
        'c.status',
        'c.created_at',
        'c.answered_at',
        'c.asked_by_organisation_id',
        'co.name as consulted_name',
        'aa.display_name as asked_by_name',
        'ao.name as asked_by_organisation_name',
      ])
      .where('c.family_id', '=', familyId)
      .orderBy('c.created_at', 'desc')
      .execute();
    await tx.audit({ action: 'consultation.list', familyId, recordType: 'family', recordId: familyId });
    // What was asked about the family is psychosocial information: shown to the asking
    // organisation, and to others in the team as far as the parents consented.
    const visible = rows.filter((r) =>
      mayRead({ organisation_id: r.asked_by_organisation_id, category: 'psychosocial', concerns_person_id: null }),
    );
    return {
      withheld: rows.length - visible.length,
      consultations: visible.map((r) => ({
        id: r.id,
        question: r.question,
        answer: r.answer,
        status: r.status,
        createdAt: r.created_at.toISOString(),
        answeredAt: r.answered_at?.toISOString() ?? null,
        consultedOrganisationName: r.consulted_name,
        askedByName: r.asked_by_name,
        askedByOrganisationName: r.asked_by_organisation_name,
      })),
    };
  });
}

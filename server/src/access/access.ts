import { type RawBuilder, sql } from 'kysely';
import type { Language } from '../accounts/languages.ts';
import type { AccountKind, OrganisationType } from '../database/schema.ts';
import { AppError } from '../errors.ts';

/** What a token allows: the resource types it may read and write ('*' for all). */
export interface SystemScopes {
  scope: string;
  read: '*' | Set<string>;
  write: '*' | Set<string>;
}

/** The person behind a request, as the session established them. */
export interface Actor {
  accountId: string;
  kind: AccountKind;
  displayName: string;
  email: string;
  organisationId: string | null;
  organisationName: string | null;
  organisationType: OrganisationType | null;
  discipline: string | null;
  language: Language;
  secondFactorEnabled: boolean;
}

/**
 * Everything an actor may ask for. A permission names a kind of action; whether it applies to a
 * particular record is decided by the record rules below (and, from the family record on, by
 * care-team membership and consent, which are added here — nowhere else).
 */
export const PERMISSIONS = [
  'organisation.list',
  'organisation.members.read',
  'account.read',
  'audit.read',
  'audit.verify',
  'family.register',
  'family.read',
  'family.search',
  'family.write',
  'caseload.read',
  'handover.receive',
  'task.read',
  'content.manage',
  'catalogue.read',
  'referral.read',
  'referral.receive',
  'consultation.use',
  'family.emergency',
  'catalogue.offer',
  'account.invite',
  'account.offboard',
  'organisation.manage',
  'portal.read',
  'figures.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Deny by default: what each kind of account may ever do. */
const ROLE_PERMISSIONS: Record<AccountKind, readonly Permission[]> = {
  professional: [
    'organisation.list',
    'organisation.members.read',
    'account.read',
    'family.register',
    'family.read',
    'family.search',
    'family.write',
    'caseload.read',
    'handover.receive',
    'task.read',
    'catalogue.read',
    'referral.read',
    'referral.receive',
    'consultation.use',
    'family.emergency',
    'catalogue.offer',
  ],
  // Aggregates only: no family permission, and the figures hold no family, person or free text.
  analyst: ['organisation.list', 'figures.read'],
  parent: ['portal.read'],
  // An organisation's own system on the FHIR API (bearer tokens are taken on /fhir only): what
  // its organisation may see and write, through the same family rules.
  system: ['organisation.list', 'organisation.members.read', 'family.read', 'family.write'],
  admin: [
    'organisation.list',
    'organisation.members.read',
    'account.read',
    'audit.read',
    'audit.verify',
    'content.manage',
    'catalogue.read',
    'account.invite',
    'account.offboard',
    'organisation.manage',
  ],
};

/** May this kind of account ever use this permission? */
export function roleAllows(kind: AccountKind, permission: Permission): boolean {
  return ROLE_PERMISSIONS[kind].includes(permission);
}

/** The access decision point for one actor: the only place that says yes or no. */
export class Access {
  readonly actor: Actor;

  constructor(actor: Actor) {
    this.actor = actor;
  }

  /** 403 when the actor's role may never use this permission. */
  requireRole(permission: Permission): void {
    if (!roleAllows(this.actor.kind, permission)) {
      throw new AppError('FORBIDDEN', 'Your role may not do this.', { refusal: { action: permission } });
    }
  }

  /** Members of an organisation are seen by that organisation's own people and by administrators. */
  requireOrganisationMembers(organisationId: string): void {
    this.requireRole('organisation.members.read');
    if (this.actor.kind === 'admin' || this.actor.organisationId === organisationId) return;
    throw new AppError('FORBIDDEN', 'Only members of this organisation may see its people.', {
      refusal: { action: 'organisation.members.read', recordType: 'organisation', recordId: organisationId },
    });
  }

  /**
   * SQL condition: the actor is a professional assigned to this family, in an organisation that is
   * an active member of its care team — or the system of such an organisation (FHIR backend
   * services), which acts for the organisation as a whole. Applied in every family query, so a
   * search cannot fetch a family the actor may not see. Nobody else sees a family (parents come
   * with the portal).
   */
  familyScope(familyIdColumn: string): RawBuilder<boolean> {
    if (this.actor.kind === 'system') {
      return sql<boolean>`EXISTS (${this.organisationMembership(familyIdColumn)})`;
    }
    if (this.actor.kind !== 'professional') return sql<boolean>`false`;
    return sql<boolean>`EXISTS (${this.teamMembership(familyIdColumn)})`;
  }

  /**
   * SQL condition: the actor holds an unexpired break-the-glass access to this family (an
   * emergency, with a stated reason, for a few hours, reviewed afterwards). Read-only.
   */
  emergencyAccess(familyIdColumn: string): RawBuilder<boolean> {
    if (this.actor.kind !== 'professional') return sql<boolean>`false`;
    return sql<boolean>`EXISTS (${this.brokenGlass(familyIdColumn)})`;
  }

  /**
   * Who may read a family: its team, and for a few hours whoever broke the glass. One EXISTS over
   * both (UNION ALL), not an OR of two: PostgreSQL may run an OR'd EXISTS as a hashed subplan, and
   * a reused (generic) plan then built all ~300 families of a JGZ nurse to test one row; a set
   * operation is never hashed, so each row costs two index probes.
   */
  familyReadScope(familyIdColumn: string): RawBuilder<boolean> {
    if (this.actor.kind !== 'professional') return this.familyScope(familyIdColumn);
    return sql<boolean>`EXISTS (${this.teamMembership(familyIdColumn)} UNION ALL ${this.brokenGlass(familyIdColumn)})`;
  }

  /**
   * The same rule as familyReadScope, as the set of family ids the actor may read: for queries
   * that start from the actor's families instead of testing every row (a search by a name that no
   * index serves), so that they read only those families. `emergency: false` leaves out the
   * families open to the actor only by break-the-glass (a bulk export is no emergency read).
   */
  readableFamilies({ emergency = true }: { emergency?: boolean } = {}): RawBuilder<string> {
    if (this.actor.kind === 'system') {
      return sql<string>`(${this.organisationMembership()})`;
    }
    if (this.actor.kind !== 'professional') return sql<string>`(SELECT NULL::uuid WHERE false)`;
    if (!emergency) return sql<string>`(${this.teamMembership()})`;
    return sql<string>`(${this.teamMembership()} UNION ${this.brokenGlass()})`;
  }

  /** The families whose team the actor's organisation is an active member of (or only this one). */
  private organisationMembership(familyIdColumn?: string): RawBuilder<string> {
    const onlyThis = familyIdColumn ? sql`cto.family_id = ${sql.ref(familyIdColumn)} AND ` : sql``;
    return sql<string>`SELECT cto.family_id FROM care_team_organisations cto
      WHERE ${onlyThis}cto.organisation_id = ${this.actor.organisationId} AND cto.ended_on IS NULL`;
  }

  /**
   * The families the professional is assigned to in an active team organisation — only the one in
   * familyIdColumn when given (for an EXISTS per row).
   */
  private teamMembership(familyIdColumn?: string): RawBuilder<string> {
    const onlyThis = familyIdColumn ? sql`ctp.family_id = ${sql.ref(familyIdColumn)} AND ` : sql``;
    return sql<string>`SELECT ctp.family_id FROM care_team_professionals ctp
      JOIN care_team_organisations cto ON cto.family_id = ctp.family_id
        AND cto.organisation_id = ctp.organisation_id AND cto.ended_on IS NULL
      WHERE ${onlyThis}ctp.account_id = ${this.actor.accountId}
        AND ctp.organisation_id = ${this.actor.organisationId} AND ctp.ended_at IS NULL`;
  }

  /** The families the professional holds an unexpired break-the-glass access to (or only this one). */
  private brokenGlass(familyIdColumn?: string): RawBuilder<string> {
    const onlyThis = familyIdColumn ? sql`eco.family_id = ${sql.ref(familyIdColumn)} AND ` : sql``;
    return sql<string>`SELECT eco.family_id FROM consent_overrides eco
      WHERE ${onlyThis}eco.kind = 'break_the_glass' AND eco.account_id = ${this.actor.accountId}
        AND eco.expires_at > now()`;
  }

  /**
   * The families whose audit trail the actor may read: those where they are the regiehouder, in
   * an organisation that is an active member of the team.
   */
  regieFamilies(): RawBuilder<string> {
    if (this.actor.kind !== 'professional') return sql<string>`(SELECT NULL::uuid WHERE false)`;
    return sql<string>`(${this.teamMembership()} AND ctp.is_regiehouder)`;
  }

  /** A family outside the actor's reach does not exist for them: 404, and the attempt is audited. */
  familyNotFound(action: Permission, familyId: string): AppError {
    return new AppError('NOT_FOUND', 'Not found.', {
      refusal: { action, familyId, recordType: 'family', recordId: familyId },
    });
  }

  /** The actor's organisation; every family action is taken on behalf of one. */
  get organisationId(): string {
    if (!this.actor.organisationId) throw new AppError('FORBIDDEN', 'Your account belongs to no organisation.');
    return this.actor.organisationId;
  }

  /**
   * An account is seen by its holder and by administrators. For anyone else it does not exist
   * (404), so account ids cannot be probed.
   */
  requireAccount(accountId: string): void {
    if (accountId === this.actor.accountId || this.actor.kind === 'admin') return;
    throw new AppError('NOT_FOUND', 'Not found.', {
      refusal: { action: 'account.read', recordType: 'account', recordId: accountId },
    });
  }
}

/**
 * The one error type of the API, with a closed list of codes. Each code has one HTTP status;
 * the error handler in app.ts maps them, and the web app translates them by code.
 */
export const ERROR_CODES = {
  /** A field is missing, of the wrong type, unknown or out of range; `fields` names each. */
  VALIDATION_FAILED: 400,
  /** The body is not valid JSON. */
  MALFORMED_JSON: 400,
  /** A one-time link or code is unknown, used or expired. */
  TOKEN_INVALID: 400,
  /** No session, or it expired. */
  UNAUTHENTICATED: 401,
  /** Wrong e-mail or password — the same answer whether or not the account exists. */
  INVALID_CREDENTIALS: 401,
  /** The session waits for the second factor before it may do anything else. */
  SECOND_FACTOR_REQUIRED: 401,
  /** The second-factor code is wrong. */
  INVALID_SECOND_FACTOR: 401,
  /** The X-CSRF-Token header is missing or does not belong to this session. */
  CSRF_INVALID: 403,
  /** The actor's role may never do this, or may not do it to this (visible) record. */
  FORBIDDEN: 403,
  /** A parent's own Kring is paused as a safety measure: nothing more is said (safety/safety-measures.ts). */
  ACCOUNT_PAUSED: 403,
  /** The parents' consent does not cover this sharing; `missing` names whose consent, per category. */
  CONSENT_REQUIRED: 403,
  /** The record does not exist or is outside the actor's reach (its existence is not revealed). */
  NOT_FOUND: 404,
  /** No such route. */
  ROUTE_NOT_FOUND: 404,
  /** The HTTP method is not used on this route. */
  METHOD_NOT_ALLOWED: 405,
  /** The update was based on an older version; the answer carries the current one. */
  STALE_VERSION: 409,
  /** The record already exists (e.g. an account with this e-mail address, a registered person). */
  ALREADY_EXISTS: 409,
  /** The move is not allowed from the record's current state (e.g. accepting a handover twice). */
  INVALID_TRANSITION: 409,
  /** The family record is closed and read-only. */
  RECORD_CLOSED: 409,
  /** A FHIR update's If-Match names an older version than the record's (FHIR answers 412). */
  PRECONDITION_FAILED: 412,
  /** A FHIR update came without If-Match: Kring changes a care record only knowing which version was read. */
  PRECONDITION_REQUIRED: 428,
  /** The body is larger than the API accepts. */
  PAYLOAD_TOO_LARGE: 413,
  /** The body is not application/json. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A FHIR client asked for a format or FHIR version Kring does not answer in (only FHIR R4 JSON). */
  NOT_ACCEPTABLE: 406,
  /** A FHIR resource carries a modifier (extension or implicitRules) Kring does not understand. */
  UNPROCESSABLE: 422,
  /** Too many failed logins; try again later. */
  TOO_MANY_ATTEMPTS: 429,
  /** A service Kring depends on (an organisation's identity provider) does not answer. */
  SERVICE_UNAVAILABLE: 503,
  /** Anything unexpected: the answer carries only a correlation id. */
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  field: string;
  message: string;
}

/** What a refused access was about, so the error handler can audit it (its own transaction). */
export interface RefusalAudit {
  action: string;
  familyId?: string | null;
  recordType?: string;
  recordId?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldError[] | undefined;
  readonly refusal: RefusalAudit | undefined;
  /** Extra data for the client, e.g. the current version on STALE_VERSION. */
  readonly data: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fields?: FieldError[]; refusal?: RefusalAudit; data?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.code = code;
    this.status = ERROR_CODES[code];
    this.fields = options.fields;
    this.refusal = options.refusal;
    this.data = options.data;
  }
}

/**
 * The one error model: every failure the hub reports carries a stable code from this catalog, mapped once to
 * an HTTP status and a gRPC status. Tests assert codes, never message text.
 */

/** gRPC status codes (grpc/status.h). */
export const GrpcStatus = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export interface ErrorSpec {
  http: number;
  grpc: number;
  message: string;
}

const G = GrpcStatus;

export const ERROR_CATALOG = {
  VALIDATION_FAILED: { http: 400, grpc: G.INVALID_ARGUMENT, message: 'The request is invalid.' },
  CONFIRMATION_REQUIRED: {
    http: 422,
    grpc: G.FAILED_PRECONDITION,
    message: 'The request raised warnings the officer must confirm (confirmWarnings).',
  },
  INSTITUTION_NOT_CONNECTED: {
    http: 422,
    grpc: G.FAILED_PRECONDITION,
    message:
      'The notice names an institution that is not connected to the hub for that agency kind (details: the target); the notice was not stored.',
  },
  MEASURE_NOT_DEPLOYED: {
    http: 422,
    grpc: G.FAILED_PRECONDITION,
    message: 'No service that carries out this measure is deployed; the notice was not stored.',
  },
  PAYLOAD_TOO_LARGE: { http: 413, grpc: G.RESOURCE_EXHAUSTED, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, grpc: G.INVALID_ARGUMENT, message: 'The request body must be JSON.' },
  UNAUTHENTICATED: { http: 401, grpc: G.UNAUTHENTICATED, message: 'Authentication is required.' },
  SIGNATURE_INVALID: { http: 401, grpc: G.UNAUTHENTICATED, message: 'The signature does not verify.' },
  REQUEST_REPLAYED: {
    http: 401,
    grpc: G.UNAUTHENTICATED,
    message: 'This signed request was already used, or its timestamp is outside the allowed window.',
  },
  FORBIDDEN: { http: 403, grpc: G.PERMISSION_DENIED, message: 'Not allowed for this caller.' },
  NOT_FOUND: { http: 404, grpc: G.NOT_FOUND, message: 'Not found.' },
  NOTICE_NOT_FOUND: { http: 404, grpc: G.NOT_FOUND, message: 'No such notice.' },
  REQUEST_NOT_FOUND: { http: 404, grpc: G.NOT_FOUND, message: 'No such request.' },
  NOTICE_CONFLICT: {
    http: 409,
    grpc: G.ALREADY_EXISTS,
    message: 'This court already submitted this notice number with a different body.',
  },
  ILLEGAL_TRANSITION: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message: 'The status cannot change that way.',
  },
  DEDUCT_EXCEEDS_FROZEN: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message: 'The deduction exceeds the amount frozen on that account.',
  },
  DEDUCT_EXCEEDS_OWED: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message: 'The total deducted for the case would exceed the amount owed.',
  },
  DEDUCT_WITHOUT_FREEZE: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message: 'This court holds no live freeze for the case on that account: there is nothing to deduct from.',
  },
  FREEZE_EXCEEDS_OWED: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message: 'The freeze and what the case already holds frozen would exceed the amount still owed.',
  },
  OWED_BELOW_DEDUCTED: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message:
      'What is owed cannot be stated below what was already deducted for the case (details: what was deducted, as limitFen on a notice and deductedFen on a freeze plan): the deducted money would exceed the debt.',
  },
  RENEWAL_EXCEEDS_HOLD: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message:
      'A renewal (续冻) continues what the hold has frozen and names no more than that (details: limitFen); freezing more is a new freeze.',
  },
  HOLD_OF_ANOTHER_COURT: {
    http: 403,
    grpc: G.PERMISSION_DENIED,
    message: 'The hold on that asset is another court’s; only the court that placed it may renew or lift it.',
  },
  HOLD_NOT_LIVE: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message: 'This court’s hold on that asset has ended (lapsed, released or deducted).',
  },
  ALREADY_LISTED: {
    http: 409,
    grpc: G.ALREADY_EXISTS,
    message: 'The debtor is already on the dishonest list for this case.',
  },
  LISTING_NOT_FOUND: {
    http: 404,
    grpc: G.NOT_FOUND,
    message: 'There is no live dishonest listing of this debtor in this case to remove.',
  },
  LISTING_OF_ANOTHER_COURT: {
    http: 403,
    grpc: G.PERMISSION_DENIED,
    message: 'The listing is another court’s; only the court that listed the debtor may remove it.',
  },
  ALREADY_RESTRICTED: {
    http: 409,
    grpc: G.ALREADY_EXISTS,
    message: 'The debtor is already under this restriction for this case.',
  },
  RESTRICTION_NOT_FOUND: {
    http: 404,
    grpc: G.NOT_FOUND,
    message: 'There is no live restriction of this kind on this debtor in this case to lift.',
  },
  RESTRICTION_OF_ANOTHER_COURT: {
    http: 403,
    grpc: G.PERMISSION_DENIED,
    message: 'The restriction is another court’s; only the court that imposed it may lift it.',
  },
  INTERCEPTION_UNAVAILABLE: {
    http: 503,
    grpc: G.UNAVAILABLE,
    message:
      'The interception list is being rebuilt; no answer is given rather than a wrong "not restricted". Retry shortly.',
  },
  INTERCEPTION_REPORT_CONFLICT: {
    http: 409,
    grpc: G.ALREADY_EXISTS,
    message: 'This agency already sent a different interception report under this reference.',
  },
  NO_HOLD: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message: 'This court holds nothing on that asset for the case.',
  },
  UNKNOWN_ACCOUNT: {
    http: 422,
    grpc: G.FAILED_PRECONDITION,
    message: 'The case’s property report has that institution’s answer, and the account is not in it.',
  },
  RELISTING_BARRED: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message:
      'Within 6 months of a deletion at the applicant’s request the debtor may not be listed again on the same ground (法释〔2017〕7号 第十条第四款).',
  },
  WITHDRAWAL_BEFORE_DECISION: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message:
      'A deletion or lifting cannot be decided before the listing or restriction it withdraws: its issuedAt is earlier than that decision (details: decidedAt).',
  },
  LISTING_NOT_EXPIRED: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message:
      'A listing is deleted as expired only once its term has ended (法释〔2017〕7号 第十条第二款); a listing without a term never expires.',
  },
  PUNISHMENT_PENDING: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message:
      'Another notice of this measure for this debtor in this case was accepted moments ago and is still being taken in: send this one once the case’s restrictions show it.',
  },
  NO_PROPERTY_REPORT: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message: 'The case has no property report yet (财产报告): file an inquiry first, then plan the freeze.',
  },
  PLAN_CONFLICT: {
    http: 409,
    grpc: G.ALREADY_EXISTS,
    message: 'This idempotency key was used for a different freeze plan.',
  },
  NOT_A_HOLD: {
    http: 409,
    grpc: G.FAILED_PRECONDITION,
    message: 'That request placed no hold: only an answered freeze, seal or renewal has one to report on.',
  },
  HOLD_REPORT_CONFLICT: {
    http: 409,
    grpc: G.ALREADY_EXISTS,
    message: 'This agency already sent a different hold-change report under this report id.',
  },
  LEASE_EXPIRED: { http: 409, grpc: G.FAILED_PRECONDITION, message: 'The work lease has expired.' },
  CALENDAR_NOT_COVERED: {
    http: 503,
    grpc: G.FAILED_PRECONDITION,
    message: 'The working-day calendar has no table for that year; ops must load it (HUB_CALENDAR_FILE).',
  },
  RATE_LIMITED: { http: 429, grpc: G.RESOURCE_EXHAUSTED, message: 'Too many requests; retry later.' },
  TOO_MANY_WAITERS: {
    http: 429,
    grpc: G.RESOURCE_EXHAUSTED,
    message:
      'Too many leases of this institution (or of this adapter) are already waiting for work; retry later.',
  },
  UNAVAILABLE: { http: 503, grpc: G.UNAVAILABLE, message: 'The service is unavailable; retry later.' },
  INTERNAL: { http: 500, grpc: G.INTERNAL, message: 'Internal error.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export const ERROR_CODES = Object.keys(ERROR_CATALOG) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOG, value);
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CATALOG[code].http;
}

export function grpcStatusOf(code: ErrorCode): number {
  return ERROR_CATALOG[code].grpc;
}

export class HubError extends Error {
  override readonly name = 'HubError';
  readonly code: ErrorCode;
  readonly details: readonly unknown[];

  constructor(code: ErrorCode, details: readonly unknown[] = [], message?: string, options?: ErrorOptions) {
    super(message ?? ERROR_CATALOG[code].message, options);
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return httpStatusOf(this.code);
  }

  get grpcStatus(): number {
    return grpcStatusOf(this.code);
  }
}

export function isHubError(err: unknown): err is HubError {
  return err instanceof HubError;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: readonly unknown[] };
}

/** The wire body for any thrown value; anything not a HubError becomes INTERNAL and leaks nothing. */
export function toErrorBody(err: unknown): ErrorBody {
  if (isHubError(err)) return { error: { code: err.code, message: err.message, details: err.details } };
  return { error: { code: 'INTERNAL', message: ERROR_CATALOG.INTERNAL.message, details: [] } };
}

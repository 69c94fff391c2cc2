import { describe, expect, it } from 'vitest';
import {
  ERROR_CATALOG,
  ERROR_CODES,
  type ErrorCode,
  GrpcStatus,
  grpcStatusOf,
  HubError,
  httpStatusOf,
  isErrorCode,
  toErrorBody,
} from './errors.ts';

describe('the error catalog', () => {
  it.each([
    ['VALIDATION_FAILED', 400, GrpcStatus.INVALID_ARGUMENT],
    ['CONFIRMATION_REQUIRED', 422, GrpcStatus.FAILED_PRECONDITION],
    ['MEASURE_NOT_DEPLOYED', 422, GrpcStatus.FAILED_PRECONDITION],
    ['PAYLOAD_TOO_LARGE', 413, GrpcStatus.RESOURCE_EXHAUSTED],
    ['UNSUPPORTED_MEDIA_TYPE', 415, GrpcStatus.INVALID_ARGUMENT],
    ['UNAUTHENTICATED', 401, GrpcStatus.UNAUTHENTICATED],
    ['FORBIDDEN', 403, GrpcStatus.PERMISSION_DENIED],
    ['NOT_FOUND', 404, GrpcStatus.NOT_FOUND],
    ['NOTICE_NOT_FOUND', 404, GrpcStatus.NOT_FOUND],
    ['REQUEST_NOT_FOUND', 404, GrpcStatus.NOT_FOUND],
    ['NOTICE_CONFLICT', 409, GrpcStatus.ALREADY_EXISTS],
    ['ILLEGAL_TRANSITION', 409, GrpcStatus.FAILED_PRECONDITION],
    ['DEDUCT_EXCEEDS_FROZEN', 409, GrpcStatus.FAILED_PRECONDITION],
    ['DEDUCT_EXCEEDS_OWED', 409, GrpcStatus.FAILED_PRECONDITION],
    ['DEDUCT_WITHOUT_FREEZE', 409, GrpcStatus.FAILED_PRECONDITION],
    ['FREEZE_EXCEEDS_OWED', 409, GrpcStatus.FAILED_PRECONDITION],
    ['HOLD_OF_ANOTHER_COURT', 403, GrpcStatus.PERMISSION_DENIED],
    ['HOLD_NOT_LIVE', 409, GrpcStatus.FAILED_PRECONDITION],
    ['NO_HOLD', 409, GrpcStatus.FAILED_PRECONDITION],
    ['UNKNOWN_ACCOUNT', 422, GrpcStatus.FAILED_PRECONDITION],
    ['LEASE_EXPIRED', 409, GrpcStatus.FAILED_PRECONDITION],
    ['RATE_LIMITED', 429, GrpcStatus.RESOURCE_EXHAUSTED],
    ['TOO_MANY_WAITERS', 429, GrpcStatus.RESOURCE_EXHAUSTED],
    ['UNAVAILABLE', 503, GrpcStatus.UNAVAILABLE],
    ['INTERNAL', 500, GrpcStatus.INTERNAL],
  ] as const)('%s is HTTP %d, gRPC %d', (code, http, grpc) => {
    expect(httpStatusOf(code)).toBe(http);
    expect(grpcStatusOf(code)).toBe(grpc);
  });

  it('maps every code to a real HTTP error status and a non-OK gRPC status', () => {
    for (const code of ERROR_CODES) {
      const { http, grpc, message } = ERROR_CATALOG[code];
      expect(http >= 400 && http < 600, code).toBe(true);
      expect(grpc > 0 && grpc <= 16, code).toBe(true);
      expect(message.length).toBeGreaterThan(0);
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
    }
  });

  it('is exhaustive at compile time', () => {
    // Adding a code without handling it here fails typecheck, not just this test.
    const kind = (code: ErrorCode): 'client' | 'server' => {
      switch (code) {
        case 'INTERNAL':
        case 'UNAVAILABLE':
        case 'CALENDAR_NOT_COVERED': // missing ops data, not the caller's fault
        case 'INTERCEPTION_UNAVAILABLE': // the projection is being rebuilt
          return 'server';
        case 'VALIDATION_FAILED':
        case 'PAYLOAD_TOO_LARGE':
        case 'UNSUPPORTED_MEDIA_TYPE':
        case 'CONFIRMATION_REQUIRED':
        case 'MEASURE_NOT_DEPLOYED': // the deployment lacks the service; the court learns it at once
        case 'INSTITUTION_NOT_CONNECTED':
        case 'UNAUTHENTICATED':
        case 'SIGNATURE_INVALID':
        case 'REQUEST_REPLAYED':
        case 'FORBIDDEN':
        case 'NOT_FOUND':
        case 'NOTICE_NOT_FOUND':
        case 'REQUEST_NOT_FOUND':
        case 'NOTICE_CONFLICT':
        case 'ILLEGAL_TRANSITION':
        case 'DEDUCT_EXCEEDS_FROZEN':
        case 'DEDUCT_EXCEEDS_OWED':
        case 'DEDUCT_WITHOUT_FREEZE':
        case 'FREEZE_EXCEEDS_OWED':
        case 'RENEWAL_EXCEEDS_HOLD':
        case 'OWED_BELOW_DEDUCTED':
        case 'HOLD_OF_ANOTHER_COURT':
        case 'HOLD_NOT_LIVE':
        case 'NO_HOLD':
        case 'UNKNOWN_ACCOUNT':
        case 'RELISTING_BARRED':
        case 'PUNISHMENT_PENDING':
        case 'LISTING_NOT_EXPIRED':
        case 'WITHDRAWAL_BEFORE_DECISION':
        case 'ALREADY_LISTED':
        case 'LISTING_NOT_FOUND':
        case 'LISTING_OF_ANOTHER_COURT':
        case 'ALREADY_RESTRICTED':
        case 'RESTRICTION_NOT_FOUND':
        case 'RESTRICTION_OF_ANOTHER_COURT':
        case 'NO_PROPERTY_REPORT':
        case 'PLAN_CONFLICT':
        case 'NOT_A_HOLD': // an agency's hold-change report about a request that placed no hold
        case 'HOLD_REPORT_CONFLICT':
        case 'INTERCEPTION_REPORT_CONFLICT':
        case 'LEASE_EXPIRED':
        case 'RATE_LIMITED':
        case 'TOO_MANY_WAITERS': // long-poll leases beyond the cap (agency inbox ?wait=N)
          return 'client';
        default: {
          const unhandled: never = code;
          return unhandled;
        }
      }
    };
    for (const code of ERROR_CODES) expect(kind(code) === 'server').toBe(httpStatusOf(code) >= 500);
  });

  it('recognises its own codes only', () => {
    expect(isErrorCode('NOTICE_CONFLICT')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });
});

describe('HubError', () => {
  it('carries its code, details and statuses, and the catalog message by default', () => {
    const err = new HubError('VALIDATION_FAILED', [{ path: 'debtor.idNumber', code: 'INVALID_RESIDENT_ID' }]);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('HubError');
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.httpStatus).toBe(400);
    expect(err.grpcStatus).toBe(3);
    expect(err.message).toBe(ERROR_CATALOG.VALIDATION_FAILED.message);
  });

  it('becomes the public error body', () => {
    const err = new HubError(
      'DEDUCT_EXCEEDS_FROZEN',
      [{ accountNo: '6222***********3445' }],
      'only 100.00 frozen',
    );
    expect(toErrorBody(err)).toEqual({
      error: {
        code: 'DEDUCT_EXCEEDS_FROZEN',
        message: 'only 100.00 frozen',
        details: [{ accountNo: '6222***********3445' }],
      },
    });
  });

  it('hides anything that is not a HubError behind INTERNAL', () => {
    const body = toErrorBody(new Error('password=hunter2 at db.internal'));
    expect(body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(toErrorBody('a string').error.code).toBe('INTERNAL');
  });
});

import swagger from '@fastify/swagger';
import { resultSchemasOf } from '@hub/contracts/answers';
import type { AgencyKind } from '@hub/domain';
import { docSchema, ERROR_BODY_DOC as error } from '@hub/service-kit';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { holdChangeSchema } from './hold-changes.js';
import { INTERCEPTION_ACTIONS } from './interception-reports.js';
import { SIGNATURE_HEADERS } from './signing.js';

/**
 * OpenAPI 3 for one adapter, so a real partner can build against it: served at /openapi.json. Answer
 * results are documented per measure (docs/agency-answers.md); the signature scheme in the description.
 */
export function registerOpenApi(app: FastifyInstance, agency: AgencyKind): void {
  // Route schemas are documentation: zod validates (with field paths), so fastify's validator is a no-op.
  app.setValidatorCompiler(() => (value) => ({ value }));
  const results = Object.entries(resultSchemasOf(agency)).map(([measure, schema]) => ({
    title: measure,
    ...docSchema(schema as z.ZodType),
  }));
  void app.register(swagger, {
    openapi: {
      info: {
        title: `Enforcement linkage hub — ${agency} agency API`,
        version: '1',
        description: [
          'Requests addressed to your institution (协助执行通知书) wait in your inbox. Pull them with a lease',
          '(long poll with `wait` to get each as soon as it arrives),',
          'acknowledge (签收), answer (done / partial / cannot-assist / refused).',
          "Every request carries the court's seal (Ed25519) and the exact sealed notice bytes; every field",
          'shown is decoded from those bytes. Inquiries answered from your earlier answer to the same court',
          'are listed under /v1/agency/reuse-records.',
          'On your own initiative, report what happened to a hold the hub placed through one of your requests',
          '(promoted, lapsed, released-by-other-court, deducted, disposed) at /v1/agency/hold-changes.',
          'Before lending, registering a transfer, paying out a fund or letting someone leave, check whether the',
          'person or organisation is restricted (失信被执行人, 限制高消费, 限制出境) at /v1/agency/interception/check',
          '(one ID) or /v1/agency/interception/checks (up to 1,000), and report what you blocked at',
          '/v1/agency/interceptions. IDs go in bodies only, never in URLs.',
          `Every call is signed: ${Object.values(SIGNATURE_HEADERS).join(', ')};`,
          'signature = base64 HMAC-SHA256(secret, METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body))).',
          'Timestamps are RFC 3339 with their zone (2026-11-23T01:00:00.000Z) and within 5 minutes; a nonce (16–128',
          'characters) is accepted once.',
        ].join(' '),
      },
      components: {
        schemas: { AnswerResult: { anyOf: results }, HoldChangeReport: docSchema(holdChangeSchema) },
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

const ENTRY_DOC = {
  type: 'object',
  properties: {
    entryId: { type: 'string' },
    measure: { type: 'string', enum: ['dishonest-list', 'restrict-consumption', 'restrict-exit'] },
    since: { type: 'string', format: 'date-time' },
    endsAt: { type: 'string', format: 'date-time' },
    courtCode: { type: 'string' },
    caseNo: { type: 'string' },
    ground: { type: 'string' },
    role: {
      type: 'string',
      enum: ['debtor', 'legal-representative', 'principal', 'directly-responsible', 'actual-controller'],
    },
  },
} as const;

const REPORT_DOC = {
  type: 'object',
  properties: {
    reportRef: { type: 'string' },
    reportId: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['accepted', 'duplicate'] },
  },
} as const;

/** The headers of a lease call (GET /v1/agency/inbox, POST /v1/agency/answers?lease=true). */
const LEASE_HEADERS = {
  type: 'object',
  properties: {
    'x-agency-worker': { type: 'string', maxLength: 64, description: 'The worker the lease is taken for' },
    'idempotency-key': {
      type: 'string',
      maxLength: 128,
      description:
        'Your key for this lease call: repeated, the call returns what it leased and still holds (400 VALIDATION_FAILED, detail code INVALID_IDEMPOTENCY_KEY, if longer or not well-formed text)',
    },
  },
} as const;

export const ROUTE_DOCS = {
  inbox: {
    summary: 'Lease open requests from your inbox; with `wait`, wait for them (long poll)',
    description: [
      'Leases up to `limit` open requests for `leaseSeconds`: no other worker gets them until the lease ends',
      'or they are answered. With `wait` = N (1–30 seconds), an empty inbox does not answer at once: the call',
      'waits until a request for your institution is stored, a lease of one of your workers ends, or N seconds',
      'pass, then leases and answers (possibly still empty: call again). Keep one waiting call per worker',
      'open instead of polling: a request reaches you within milliseconds of arriving. When a call returns a',
      'full batch (`limit` requests), call again at once. At most 8 waiting calls per institution: beyond,',
      '429 TOO_MANY_WAITERS with Retry-After. With `acknowledge=true` the call also acknowledges (签收) the',
      'requests it returns that were not acknowledged yet, as POST /v1/agency/acks would (their `status` is',
      '`acknowledged`): one call fewer per batch for a back office that acknowledges whatever it receives.',
      '400 VALIDATION_FAILED names the bad parameter (path `wait`, `limit`, `leaseSeconds`, `acknowledge`).',
      'Allow your HTTP client a response timeout above N seconds. Send an `Idempotency-Key` (your own, new for',
      'each call, at most 128 characters) to be able to repeat a call whose answer you did not get: the same key',
      'again returns at once what that call leased and still holds (not answered, lease not run out), and leases',
      'nothing more; without it those requests stay hidden until their lease ends.',
    ].join(' '),
    headers: LEASE_HEADERS,
    querystring: {
      type: 'object',
      properties: {
        limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
        leaseSeconds: { type: 'integer', minimum: 5, maximum: 3600, default: 60 },
        wait: {
          type: 'integer',
          minimum: 0,
          maximum: 30,
          default: 0,
          description: 'Seconds to wait for work when there is none (0: answer at once)',
        },
        acknowledge: {
          type: 'string',
          enum: ['true', 'false'],
          default: 'false',
          description: 'Also acknowledge (签收) the requests this call returns',
        },
      },
    },
    response: {
      400: error,
      401: error,
      429: { description: 'TOO_MANY_WAITERS: too many of your calls are already waiting', ...error },
    },
  },
  reuseRecords: {
    summary: 'List reuse records: inquiries answered from your earlier answer to the same court',
    description: [
      'When a court asks again about the same debtor within the reuse window, the hub answers with your',
      'earlier answer to that court instead of asking you again. You are still told of every such inquiry:',
      'each record is the new sealed notice (its seal and sealed bytes, as in the inbox) with',
      '`reusedFromRequestId`, the request you answered. Records need no acknowledgement or answer; page',
      'with `after` = the last record id seen.',
    ].join(' '),
    querystring: {
      type: 'object',
      properties: {
        limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
        after: { type: 'string', format: 'uuid' },
      },
    },
    response: { 400: error, 401: error },
  },
  ack: { summary: 'Acknowledge (签收) one request', response: { 404: error, 409: error } },
  acks: {
    summary: 'Acknowledge many requests; per-item results',
    body: {
      type: 'object',
      properties: { requestIds: { type: 'array', items: { type: 'string', format: 'uuid' } } },
    },
  },
  answer: {
    summary: 'Answer one request',
    body: {
      type: 'object',
      required: ['outcome'],
      properties: {
        outcome: { type: 'string', enum: ['done', 'partial', 'cannot-assist', 'refused'] },
        reason: { type: 'string' },
        result: { $ref: '#/components/schemas/AnswerResult' },
      },
    },
    response: { 400: error, 404: error, 409: error },
  },
  answers: {
    summary:
      'Answer many requests; each item stands alone; with `lease=true`, lease the next batch in the same call',
    description: [
      'Each item is validated and stored on its own, all or nothing: its result says exactly whether it was',
      'stored (ok) or why not (code, details with field paths). Text must be well-formed Unicode without',
      'NUL (U+0000), in values and field names (NUL_CHARACTER, LONE_SURROGATE).',
      'With `lease=true` and the parameters of GET /v1/agency/inbox (`limit`, `leaseSeconds`, `wait`,',
      '`acknowledge`), the call then leases your next batch exactly as that call would (waiting up to `wait`',
      'seconds for work) and returns it as `requests` beside `results`: one call per round instead of two for a',
      'back office that answers a batch and takes the next. The answers are stored before the lease; where your',
      'institution already has its most waiting calls, the lease does not wait (no 429 for a call whose answers',
      'went in). Those parameters without `lease=true` are refused (400, path naming each). Sending the same',
      'answers again is harmless (each result `ok`), so a call cut off while it waited can simply be repeated;',
      'with the same `Idempotency-Key` it also gets back the batch the first call leased (as for the inbox).',
    ].join(' '),
    headers: LEASE_HEADERS,
    querystring: {
      type: 'object',
      properties: {
        lease: {
          type: 'string',
          enum: ['true', 'false'],
          default: 'false',
          description: 'Also lease the next batch (as GET /v1/agency/inbox) after storing the answers',
        },
        limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
        leaseSeconds: { type: 'integer', minimum: 5, maximum: 3600, default: 60 },
        wait: { type: 'integer', minimum: 0, maximum: 30, default: 0 },
        acknowledge: { type: 'string', enum: ['true', 'false'], default: 'false' },
      },
    },
    body: {
      type: 'object',
      properties: {
        answers: {
          type: 'array',
          items: {
            type: 'object',
            required: ['requestId', 'outcome'],
            properties: {
              requestId: { type: 'string', format: 'uuid' },
              outcome: { type: 'string', enum: ['done', 'partial', 'cannot-assist', 'refused'] },
              reason: { type: 'string' },
              result: { $ref: '#/components/schemas/AnswerResult' },
            },
          },
        },
      },
    },
  },
  holdChange: {
    summary:
      'Report what happened to a hold the hub placed (promoted, lapsed, released-by-other-court, deducted, disposed)',
    description: [
      'Sent on your own initiative, signed like every call. `requestId` names the request through which the',
      'hub placed the hold (an answered freeze, seal or renewal addressed to your institution); `reportId` is',
      'your own id of the report: sending it again is harmless (202, status `duplicate`), sending a different',
      'report under it is 409 HOLD_REPORT_CONFLICT. 404 REQUEST_NOT_FOUND for a request not addressed to you,',
      '409 NOT_A_HOLD for one that placed no hold, 400 VALIDATION_FAILED with field paths otherwise.',
      '`promoted` carries queuePosition 0, the term and the registration number (money: frozenFen);',
      '`released-by-other-court` the new queue position; `deducted` amountFen and transferRef (money only).',
    ].join(' '),
    body: { $ref: '#/components/schemas/HoldChangeReport' },
    response: {
      202: {
        type: 'object',
        properties: {
          reportId: { type: 'string' },
          ok: { type: 'boolean' },
          status: { type: 'string', enum: ['accepted', 'duplicate'] },
        },
      },
      400: error,
      401: error,
      404: error,
      409: error,
    },
  },
  holdChanges: {
    summary: 'Report many hold changes; each report stands alone',
    description:
      'Each report is validated and stored on its own, all or nothing: its result says whether it was stored ' +
      '(ok, status accepted or duplicate) or why not (code, details with field paths under reports.<i>).',
    body: {
      type: 'object',
      properties: {
        reports: { type: 'array', items: { $ref: '#/components/schemas/HoldChangeReport' } },
      },
    },
    response: { 400: error, 401: error },
  },
  interceptionCheck: {
    summary: 'Is this person or organisation restricted? (one ID)',
    description: [
      '`id` is an 18-digit resident ID (GB 11643; a 15-digit ID and a lower-case x are normalised) or an',
      '18-character unified social credit code (GB 32100). The answer lists the restrictions binding the',
      'subject now that your agency kind acts on (exit restrictions only at public security): each names its',
      'court and case, since when, until when if it has a decided term, the listing ground, and the role by',
      'which it binds (debtor, or legal-representative … of a restricted organisation). 400 VALIDATION_FAILED',
      '(details: path `id`, code INVALID_RESIDENT_ID or INVALID_ID); 503 INTERCEPTION_UNAVAILABLE with',
      'Retry-After while the list is being rebuilt: never take that as "not restricted".',
    ].join(' '),
    body: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', examples: ['11010519491231002X'] } },
    },
    response: {
      200: {
        type: 'object',
        properties: {
          restricted: { type: 'boolean' },
          checkedAt: { type: 'string', format: 'date-time' },
          entries: { type: 'array', items: ENTRY_DOC },
        },
      },
      400: error,
      401: error,
      503: error,
    },
  },
  interceptionChecks: {
    summary: 'Which of these people or organisations are restricted? (up to 1,000 IDs)',
    description: [
      'All or nothing: if any ID is malformed nothing is answered, and each bad one is named (path `ids.<i>`,',
      'code INVALID_RESIDENT_ID or INVALID_ID); more than 1,000 IDs is 400 with code TOO_LONG. Results follow',
      'the order of `ids` (`index`).',
    ].join(' '),
    body: {
      type: 'object',
      required: ['ids'],
      properties: { ids: { type: 'array', maxItems: 1000, items: { type: 'string' } } },
    },
    response: {
      200: {
        type: 'object',
        properties: {
          checkedAt: { type: 'string', format: 'date-time' },
          results: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                index: { type: 'integer' },
                restricted: { type: 'boolean' },
                entries: { type: 'array', items: ENTRY_DOC },
              },
            },
          },
        },
      },
      400: error,
      401: error,
      503: error,
    },
  },
  interceptionReport: {
    summary: 'Report what you blocked because a check said the subject is restricted',
    description: [
      '`reportRef` is your own reference: the same report again returns the same `reportId` (status',
      '`duplicate`); a different report under it is 409 INTERCEPTION_REPORT_CONFLICT. `entryId` is the entry',
      'of the check you acted on: it must bind the subject now and be one your agency kind sees, else 404',
      'RESTRICTION_NOT_FOUND. `occurredAt` more than 5 minutes ahead of the hub is 400 (IN_THE_FUTURE).',
      'The court that placed the entry sees the report on its notice.',
    ].join(' '),
    body: {
      type: 'object',
      required: ['reportRef', 'id', 'entryId', 'action', 'occurredAt'],
      properties: {
        reportRef: { type: 'string', maxLength: 64 },
        id: { type: 'string' },
        entryId: { type: 'string' },
        action: { type: 'string', enum: [...INTERCEPTION_ACTIONS] },
        occurredAt: { type: 'string', format: 'date-time' },
      },
    },
    response: {
      202: REPORT_DOC,
      400: error,
      401: error,
      404: error,
      409: error,
      503: error,
    },
  },
  interceptionReports: {
    summary: 'Report many interceptions; each report stands alone',
    description:
      'Each report is validated and stored on its own: its result says whether it was stored (ok, reportId, ' +
      'status accepted or duplicate) or why not (code, details with field paths under reports.<i>).',
    body: {
      type: 'object',
      properties: { reports: { type: 'array', maxItems: 500, items: { type: 'object' } } },
    },
    response: { 400: error, 401: error },
  },
} as const;

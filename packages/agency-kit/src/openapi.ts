import swagger from '@fastify/swagger';
import { resultSchemasOf } from '@hub/contracts/answers';
import type { AgencyKind } from '@hub/domain';
import { docSchema, ERROR_BODY_DOC as error } from '@hub/service-kit';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { holdChangeSchema } from './hold-changes.js';
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
          'Requests addressed to your institution (协助执行通知书) wait in your inbox. Pull them with a lease,',
          'acknowledge (签收), answer (done / partial / cannot-assist / refused).',
          "Every request carries the court's seal (Ed25519) and the exact sealed notice bytes; every field",
          'shown is decoded from those bytes. Inquiries answered from your earlier answer to the same court',
          'are listed under /v1/agency/reuse-records.',
          'On your own initiative, report what happened to a hold the hub placed through one of your requests',
          '(promoted, lapsed, released-by-other-court, deducted, disposed) at /v1/agency/hold-changes.',
          `Every call is signed: ${Object.values(SIGNATURE_HEADERS).join(', ')};`,
          'signature = base64 HMAC-SHA256(secret, METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body))).',
          'Timestamps must be within 5 minutes; a nonce is accepted once.',
        ].join(' '),
      },
      components: {
        schemas: { AnswerResult: { anyOf: results }, HoldChangeReport: docSchema(holdChangeSchema) },
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

export const ROUTE_DOCS = {
  inbox: {
    summary: 'Lease open requests from your inbox',
    querystring: {
      type: 'object',
      properties: {
        limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
        leaseSeconds: { type: 'integer', minimum: 5, maximum: 3600, default: 60 },
      },
    },
    response: { 401: error },
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
    summary: 'Answer many requests; each item stands alone',
    description:
      'Each item is validated and stored on its own, all or nothing: its result says exactly whether it was ' +
      'stored (ok) or why not (code, details with field paths). Text must be well-formed Unicode without ' +
      'NUL (U+0000), in values and field names (NUL_CHARACTER, LONE_SURROGATE).',
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
} as const;

import swagger from '@fastify/swagger';
import { docSchema, ERROR_BODY_DOC as error } from '@hub/service-kit';
import type { FastifyInstance } from 'fastify';
import { freezePlanBodySchema } from '../freeze-plans.js';

const plan = {
  type: 'object',
  properties: {
    planId: { type: 'string', format: 'uuid' },
    planNo: { type: 'string', description: 'the notices are numbered <caseNo>-查冻<planNo>-<seq>' },
    caseNo: { type: 'string' },
    replayed: { type: 'boolean', description: 'this Idempotency-Key was planned before: the same plan' },
    owedFen: { type: 'integer' },
    heldFen: { type: 'integer', description: 'already frozen or being frozen for the case before this plan' },
    plannedFen: { type: 'integer', description: 'heldFen + plannedFen never exceeds owedFen' },
    reason: {
      type: ['string', 'null'],
      enum: ['OWED_ALREADY_HELD', 'NOTHING_FREE_TO_FREEZE', null],
      description: 'why the plan is empty',
    },
    notices: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          noticeNo: { type: 'string' },
          measure: { type: 'string', enum: ['freeze', 'seal'] },
          agency: { type: 'string' },
          institution: { type: 'string' },
          asset: {
            type: 'object',
            properties: {
              kind: { type: 'string', enum: ['account', 'unit', 'plate'] },
              key: { type: 'string' },
            },
          },
          amountFen: { type: ['integer', 'null'] },
          termDays: { type: 'integer' },
          duplicate: { type: 'boolean' },
        },
      },
    },
  },
};

/** `POST /v1/cases/:caseNo/freeze-plan`, documented from the zod schema that validates it. */
export const FREEZE_PLAN_DOCS = {
  summary: 'Freeze plan (查冻扣一体): freeze across the accounts found, up to what is owed',
  description: [
    "Reads the case's latest property report and issues one freeze notice per account, largest free balances",
    'first, so that what the case already holds plus what is planned never exceeds owedFen; with sealProperty,',
    'one seal notice per real-estate unit and vehicle found. Each notice is sealed and tracked like any',
    'notice (GET /v1/notices/:id). owedFen is recorded with the case (audited). Send an Idempotency-Key to',
    'retry safely: the same key returns the same plan and notices. When answers show more frozen than owed,',
    'the hub releases the excess by itself (latest holds first).',
  ].join(' '),
  params: { type: 'object', properties: { caseNo: { type: 'string', description: '案号, URL-encoded' } } },
  headers: {
    type: 'object',
    properties: { 'idempotency-key': { type: 'string', maxLength: 128 } },
  },
  body: docSchema(freezePlanBodySchema),
  response: {
    200: { description: 'nothing to freeze: an empty plan with its reason', ...plan },
    202: { description: 'the planned notices, issued', ...plan },
    400: error,
    401: error,
    409: { description: 'NO_PROPERTY_REPORT, PLAN_CONFLICT, NOTICE_CONFLICT', ...error },
  },
};

const assetRef = {
  type: 'object',
  properties: { kind: { type: 'string', enum: ['account', 'unit', 'plate'] }, key: { type: 'string' } },
};

/** `GET /v1/cases/:caseNo/reconciliation` (对账). */
export const RECONCILIATION_DOCS = {
  summary: "Reconciliation (对账): the case's holds against the agencies' books",
  description: [
    "Compares every freeze and seal the hub holds for the court's case (as on /controls) with each",
    "institution's books as its latest query answer showed them (every hold on each account, unit or vehicle).",
    'books says as of when each was read: inquire again for fresher books. A hold at an institution not',
    'queried, or on an asset whose answer did not report holds, is listed under unchecked.',
  ].join(' '),
  params: { type: 'object', properties: { caseNo: { type: 'string', description: '案号, URL-encoded' } } },
  response: {
    200: {
      type: 'object',
      properties: {
        caseNo: { type: 'string' },
        reconciledAt: { type: 'string', format: 'date-time' },
        books: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              debtor: {
                type: 'object',
                properties: { kind: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' } },
              },
              agency: { type: 'string' },
              institution: { type: 'string' },
              reportedAt: { type: 'string', format: 'date-time', description: 'the books are as of then' },
            },
          },
        },
        checked: { type: 'integer', description: "holds compared: the hub's, plus the agencies' it lacks" },
        discrepancies: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              kind: {
                type: 'string',
                enum: [
                  'missing-at-agency',
                  'missing-at-hub',
                  'several-at-agency',
                  'state',
                  'queue-position',
                  'amount',
                  'term',
                ],
              },
              institution: { type: 'string' },
              asset: assetRef,
              hub: {
                type: ['object', 'null'],
                description: 'null when the hub has no hold there',
                properties: {
                  state: { type: 'string' },
                  queuePosition: { type: 'integer' },
                  amountFen: {
                    type: ['integer', 'null'],
                    description: 'held (in effect) or waited for (轮候)',
                  },
                  termUntil: { type: ['string', 'null'] },
                },
              },
              agency: {
                type: 'array',
                description: "the agency's holds of this court's case on the asset",
                items: {
                  type: 'object',
                  properties: {
                    queuePosition: { type: 'integer' },
                    amountFen: { type: ['integer', 'null'] },
                    until: { type: 'string' },
                  },
                },
              },
            },
          },
        },
        unchecked: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              institution: { type: 'string' },
              asset: assetRef,
              reason: { type: 'string', enum: ['institution-not-queried', 'holds-not-reported'] },
            },
          },
        },
        unreadable: {
          type: 'array',
          items: { type: 'string' },
          description: 'institutions whose books did not read as a query result',
        },
      },
    },
    401: error,
    404: { description: 'NOT_FOUND: no control notice of this court for the case', ...error },
    409: { description: 'NO_PROPERTY_REPORT: the case was never queried', ...error },
  },
};

/** OpenAPI 3 for the court API, served at /openapi.json (routes that declare a schema are documented). */
export function registerOpenApi(app: FastifyInstance): void {
  // Route schemas are documentation: zod validates (with field paths), and replies are sent as they are.
  app.setValidatorCompiler(() => (value) => ({ value }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  void app.register(swagger, {
    openapi: {
      info: {
        title: 'Enforcement linkage hub — court API',
        version: '1',
        description:
          'Courts submit notices of assistance in enforcement (协助执行通知书) and read their cases. ' +
          'Authenticate with `Authorization: Bearer <court key>`.',
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

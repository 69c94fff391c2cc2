import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { freezePlanBodySchema } from '../freeze-plans.js';

/** JSON Schema for documentation only; validation stays with zod, which reports field paths our way. */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    unrepresentable: 'any',
    io: 'input',
  }) as Record<string, unknown>;
  return rest;
}

const error = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array' } },
    },
  },
};

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
  body: jsonSchema(freezePlanBodySchema),
  response: {
    200: { description: 'nothing to freeze: an empty plan with its reason', ...plan },
    202: { description: 'the planned notices, issued', ...plan },
    400: error,
    401: error,
    409: { description: 'NO_PROPERTY_REPORT, PLAN_CONFLICT, NOTICE_CONFLICT', ...error },
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

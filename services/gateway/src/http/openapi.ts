import swagger from '@fastify/swagger';
import {
  DISHONEST_GROUND_CODES,
  DISHONEST_GROUNDS,
  noticeSubmissionSchema,
  REMOVAL_REASON_CODES,
  REMOVAL_REASONS,
} from '@hub/domain';
import { docSchema, ERROR_BODY_DOC as error } from '@hub/service-kit';
import type { FastifyInstance } from 'fastify';
import { freezePlanBodySchema } from '../freeze-plans.js';
import { noticeListQuerySchema } from '../notice-list.js';
import { publicListQuerySchema } from '../public-list.js';

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

/** The notice body from the schema that validates it, with the punishment params' codes spelled out. */
function noticeBodyDoc(): Record<string, unknown> {
  const body = docSchema(noticeSubmissionSchema) as {
    properties: { params: { properties: Record<string, Record<string, unknown>> } };
  };
  const params = body.properties.params.properties;
  const grounds = DISHONEST_GROUND_CODES.map((g) => `${g} (${DISHONEST_GROUNDS[g].zh})`).join('; ');
  params.ground = {
    ...params.ground,
    enum: [...DISHONEST_GROUND_CODES],
    description: `dishonest-list only, required: its ground (法释〔2017〕7号 art. 1): ${grounds}`,
  };
  params.otherGrounds = {
    ...params.otherGrounds,
    items: { type: 'string', enum: [...DISHONEST_GROUND_CODES] },
    description: 'dishonest-list only: further grounds (多项失信行为)',
  };
  params.extensionYears = {
    ...params.extensionYears,
    maximum: 3,
    description:
      'dishonest-list only: 1–3 extra years, for the aggravated ground (obstructs-enforcement) or several grounds with a fixed term (法释〔2017〕7号 art. 2)',
  };
  params.removalReason = {
    ...params.removalReason,
    enum: [...REMOVAL_REASON_CODES],
    description: `dishonest-list-removal only, required: ${REMOVAL_REASON_CODES.map((r) => `${r} (${REMOVAL_REASONS[r].zh})`).join('; ')}`,
  };
  params.groundAroseAt = {
    ...params.groundAroseAt,
    description:
      'removal and lifting: when its ground arose; the removal is due 3 working days later (法释〔2017〕7号 art. 10). dishonest-list: when the listed conduct happened; conduct after a deletion at the applicant’s request is not barred by its 6 months (art. 10 第三款). Never after issuedAt',
  };
  return body;
}

/** `POST /v1/notices`. */
/** `GET /v1/notices` (DESIGN §6), documented from the zod schema that validates its query. */
export const NOTICE_LIST_DOCS = {
  summary: "The court's notices, newest first, a page at a time",
  description: [
    "Only the authenticated court's notices, from the tracker's read model (a notice filed a moment ago appears",
    'once the tracker has taken it in; GET /v1/notices/:id answers at once). Filters combine. Pages are keyset',
    'pages: pass nextCursor back, with the same filters, for the next; it is null on the last page. Notices filed',
    'while paging never shift a page (they are newer than every cursor). 400 INVALID_CURSOR for a cursor this API',
    'did not give; 503 UNAVAILABLE while the tracker cannot be reached.',
  ].join(' '),
  querystring: docSchema(noticeListQuerySchema),
  response: {
    200: {
      type: 'object',
      properties: {
        notices: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string', format: 'uuid' },
              noticeNo: { type: 'string' },
              caseNo: { type: 'string' },
              measure: { type: 'string' },
              status: { type: 'string', enum: ['issued', 'in-progress', 'completed', 'cancelled'] },
              breached: { type: 'boolean' },
              issuedAt: { type: 'string', format: 'date-time' },
              completedAt: { type: ['string', 'null'], format: 'date-time' },
              requests: {
                type: 'object',
                description: 'requests dispatched so far, and of those not yet answered',
                properties: { total: { type: 'integer' }, open: { type: 'integer' } },
              },
            },
          },
        },
        nextCursor: { type: ['string', 'null'] },
      },
    },
    400: error,
    401: error,
    503: error,
  },
};

export const NOTICE_DOCS = {
  summary: 'Submit a notice (协助执行通知书)',
  description: [
    'Validated (400 with field paths), then judged by the measure service where it has rules to judge by:',
    'control notices by freeze-deduct, punishment notices (dishonest-list, dishonest-list-removal,',
    'restrict-consumption[-lift], restrict-exit[-lift]) by the punishment service. A punishment notice may',
    'send targets empty ([]): every institution acting on the measure is told, whatever targets it names.',
    'Stored with its NoticeIssued event',
    'and the court seal, or not at all. Re-submitting the same (court, noticeNo) returns the same id.',
  ].join(' '),
  body: noticeBodyDoc(),
  response: {
    202: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        status: { type: 'string', enum: ['issued'] },
        duplicate: { type: 'boolean' },
        warnings: { type: 'array', items: { type: 'string' } },
      },
    },
    400: error,
    401: error,
    403: {
      description: 'FORBIDDEN (another court), LISTING_OF_ANOTHER_COURT, RESTRICTION_OF_ANOTHER_COURT',
      ...error,
    },
    404: {
      description: 'LISTING_NOT_FOUND, RESTRICTION_NOT_FOUND: nothing live to remove or lift',
      ...error,
    },
    409: {
      description:
        'NOTICE_CONFLICT; control refusals (e.g. DEDUCT_EXCEEDS_FROZEN); RELISTING_BARRED, ALREADY_LISTED, ALREADY_RESTRICTED, LISTING_NOT_EXPIRED, WITHDRAWAL_BEFORE_DECISION, PUNISHMENT_PENDING',
      ...error,
    },
    422: { description: 'CONFIRMATION_REQUIRED, MEASURE_NOT_DEPLOYED, UNKNOWN_ACCOUNT', ...error },
    429: { description: 'RATE_LIMITED: the gateway is busy', ...error },
    503: { description: 'UNAVAILABLE: the service that judges the notice cannot be reached', ...error },
  },
};

const confirmation = {
  type: 'object',
  properties: {
    agency: { type: 'string' },
    institution: { type: ['string', 'null'] },
    requestId: { type: 'string', format: 'uuid' },
    status: { type: 'string', description: "the request's status" },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    confirmedAt: { type: ['string', 'null'], format: 'date-time', description: 'null until answered' },
    late: { type: 'boolean', description: 'answered after dueAt, or dueAt passed unanswered' },
  },
};

const caseNoParam = {
  type: 'object',
  properties: { caseNo: { type: 'string', description: '案号, URL-encoded' } },
};

/** `GET /v1/cases/:caseNo/restrictions` (惩戒措施). */
export const RESTRICTIONS_DOCS = {
  summary: "Restrictions (惩戒措施): the case's listings and restrictions, and who confirmed them",
  description: [
    'Every dishonest-debtor listing (失信名单), consumption restriction (限制高消费) and exit restriction',
    "(限制出境) of the court's case, one entry per subject: the debtor and each person bound with it (法定代表人,",
    '主要负责人, 直接责任人员, 实际控制人). broadcast says which institutions were told and when each confirmed;',
    'withdrawal the same for its removal or lifting, due within 3 working days of the ground arising',
    '(法释〔2017〕7号 art. 10). Names and IDs are masked. Only the court of the case may read it.',
  ].join(' '),
  params: caseNoParam,
  response: {
    200: {
      type: 'object',
      properties: {
        caseNo: { type: 'string' },
        generatedAt: { type: ['string', 'null'], format: 'date-time' },
        restrictions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string', description: 'the entry interception answers and reports name' },
              measure: { type: 'string', enum: ['dishonest-list', 'restrict-consumption', 'restrict-exit'] },
              state: { type: 'string', enum: ['live', 'removing', 'removed', 'expired'] },
              role: {
                type: 'string',
                enum: [
                  'debtor',
                  'legal-representative',
                  'principal',
                  'directly-responsible',
                  'actual-controller',
                ],
              },
              subject: { type: 'string', description: 'masked name and ID' },
              ground: { type: ['string', 'null'], description: 'ground code of 法释〔2017〕7号 art. 1' },
              since: { type: ['string', 'null'], format: 'date-time' },
              endsAt: { type: ['string', 'null'], format: 'date-time', description: 'null: no fixed term' },
              noticeId: { type: 'string', description: 'the notice that placed it' },
              impliedBy: {
                type: ['string', 'null'],
                description: 'the listing a consumption restriction follows from (法释〔2015〕17号 art. 1)',
              },
              removal: {
                type: 'object',
                properties: {
                  noticeId: { type: ['string', 'null'], description: 'the removal or lifting, once issued' },
                  reason: { type: ['string', 'null'] },
                  dueAt: { type: ['string', 'null'], format: 'date-time' },
                  removedAt: {
                    type: ['string', 'null'],
                    format: 'date-time',
                    description: 'when every institution had confirmed the withdrawal',
                  },
                },
              },
              broadcast: { type: 'array', items: confirmation },
              withdrawal: { type: 'array', items: confirmation },
            },
          },
        },
      },
    },
    400: error,
    401: error,
    403: { description: 'the case is of another court', ...error },
    404: { description: 'NOT_FOUND: no listing or restriction of this court for the case', ...error },
    503: { description: 'UNAVAILABLE: the punishment service cannot be reached', ...error },
  },
};

/** `GET /v1/public/dishonest` (失信被执行人名单公布), the one public route. */
export const PUBLIC_LIST_DOCS = {
  summary: 'Public list (失信被执行人名单): search live listings by name; no authentication',
  description: [
    'Anyone may search the published list of dishonest debtors (法释〔2017〕7号 art. 7) by exact name,',
    'narrowed by the first characters of the resident ID or credit code. Only live listings are shown, never',
    'a removed or expired one. Resident IDs show their first 6 and last 4 characters; credit codes in full.',
    'No credentials; rate-limited per client IP (429 RATE_LIMITED with Retry-After). Cache-Control: no-store.',
  ].join(' '),
  security: [],
  querystring: docSchema(publicListQuerySchema),
  response: {
    200: {
      type: 'object',
      properties: {
        listings: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              idMasked: { type: 'string', example: '110105********002X' },
              court: {
                type: 'object',
                properties: { code: { type: 'string' }, name: { type: 'string' } },
              },
              caseNo: { type: 'string' },
              ground: { type: 'string', description: 'ground code of 法释〔2017〕7号 art. 1' },
              groundZh: { type: 'string' },
              listedAt: { type: ['string', 'null'], format: 'date-time' },
              legalRepresentative: {
                type: ['string', 'null'],
                description: "an organisation's 法定代表人 (法释〔2017〕7号 art. 6); null for a person",
              },
            },
          },
        },
      },
    },
    400: error,
    429: { description: 'RATE_LIMITED: too many searches from this address; see Retry-After', ...error },
    503: { description: 'UNAVAILABLE: the punishment service cannot be reached', ...error },
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
          'Authenticate with `Authorization: Bearer <court key>`; only /v1/public/* needs none.',
      },
      components: { securitySchemes: { courtKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ courtKey: [] }],
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Personal data never reaches a log in clear (DESIGN §5). Two nets: values under sensitive keys are
 * replaced wherever they sit (any depth, inside arrays too), and any string that looks like a resident
 * ID, credit code or account number is masked even under an innocent key.
 */
const SENSITIVE_KEYS = new Set([
  'idnumber',
  'creditcode',
  'accountno',
  'accountnumber',
  'debtor',
  'officer',
  'legalrepresentative',
  'name',
  'phone',
  'authorization',
  'x-agency-key',
  'result',
  'resultjson',
  'accounts',
]);
const LOOKS_PERSONAL = /\b(?:\d{17}[\dXx]|[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}|\d{12,30})\b/g;
const MAX_DEPTH = 8;

export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(LOOKS_PERSONAL, '[masked]');
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE_KEYS.has(k.toLowerCase()) ? '[redacted]' : scrub(v, depth + 1);
  }
  return out;
}

export function createLogger(options: {
  service: string;
  level?: string;
  destination?: pino.DestinationStream;
}) {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => scrub(object) as Record<string, unknown> },
      hooks: {
        // The message text is scrubbed too: an ID interpolated into a message is still an ID.
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrub(a) : a));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}

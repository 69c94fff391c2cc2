import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Personal data never reaches a log in clear (DESIGN §5): the paths below are censored wherever they
 * appear in a logged object, at any of the depths our payloads use.
 */
const SENSITIVE_KEYS = [
  'idNumber',
  'creditCode',
  'accountNo',
  'accountNumber',
  'debtor',
  'officer',
  'name',
  'phone',
  'authorization',
];
export const REDACT_PATHS = SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

export function createLogger(options: {
  service: string;
  level?: string;
  destination?: pino.DestinationStream;
}) {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

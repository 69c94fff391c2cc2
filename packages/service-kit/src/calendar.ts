/**
 * The working-day calendar a service counts with: the tables shipped in @hub/domain plus any years ops load
 * from the JSON file named by HUB_CALENDAR_FILE (same format as packages/domain/src/data/prc-holidays.json).
 * A loaded year replaces a shipped one, so the published 2027 notice replaces the provisional 2027 table.
 * Read once at boot; a bad file fails fast naming the variable.
 */
import { readFileSync } from 'node:fs';
import {
  holidayYearsSchema,
  makeCalendar,
  mergeHolidayYears,
  PRC_CALENDAR,
  PRC_HOLIDAYS,
  type WorkingDayCalendar,
} from '@hub/domain';
import { ConfigError } from './config.js';

export function loadCalendar(file: string | undefined): WorkingDayCalendar {
  if (file === undefined) return PRC_CALENDAR;
  const problem = (text: string) => new ConfigError([{ variable: 'HUB_CALENDAR_FILE', problem: text }]);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw problem(`cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  const parsed = holidayYearsSchema.safeParse(json);
  if (!parsed.success) {
    throw problem(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
    );
  }
  return makeCalendar(mergeHolidayYears(PRC_HOLIDAYS, parsed.data));
}

/**
 * The working-day calendar a service counts with: the tables shipped in @hub/domain plus any years ops load
 * from the JSON file named by HUB_CALENDAR_FILE (same format as packages/domain/src/data/prc-holidays.json).
 * A loaded year replaces a shipped one, so the published 2027 notice replaces the provisional 2027 table.
 * Read once at boot; a bad file fails fast naming the variable.
 */
import {
  holidayYearsSchema,
  makeCalendar,
  mergeHolidayYears,
  PRC_CALENDAR,
  PRC_HOLIDAYS,
  type WorkingDayCalendar,
} from '@hub/domain';
import { readJsonFile } from './json-file.js';

export function loadCalendar(file: string | undefined): WorkingDayCalendar {
  if (file === undefined) return PRC_CALENDAR;
  const years = readJsonFile('HUB_CALENDAR_FILE', file, holidayYearsSchema);
  return makeCalendar(mergeHolidayYears(PRC_HOLIDAYS, years));
}

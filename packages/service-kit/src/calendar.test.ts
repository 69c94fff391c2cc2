import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRC_CALENDAR } from '@hub/domain';
import { describe, expect, it } from 'vitest';
import { loadCalendar } from './calendar.js';
import { ConfigError } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'hub-calendar-'));
const file = (name: string, body: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
};

describe('loadCalendar (HUB_CALENDAR_FILE)', () => {
  it('is the shipped calendar without a file', () => {
    expect(loadCalendar(undefined)).toBe(PRC_CALENDAR);
  });

  it('adds a year and replaces the provisional 2027 with the published one', () => {
    const calendar = loadCalendar(
      file('ok.json', [
        {
          year: 2027,
          provisional: false,
          source: 'test',
          holidays: [{ first: '2027-10-01', last: '2027-10-07', name: '国庆节' }],
          makeUpWorkdays: [],
        },
        { year: 2028, provisional: true, source: 'test', holidays: [], makeUpWorkdays: [] },
      ]),
    );
    expect(calendar.isProvisional(2027)).toBe(false);
    expect(calendar.covers(2028)).toBe(true);
    expect(calendar.addWorkingDays(new Date('2027-12-30T09:00:00+08:00'), 3).toISOString()).toBe(
      '2028-01-04T15:59:59.999Z',
    );
  });

  it.each([
    ['a missing file', join(dir, 'absent.json')],
    ['a file that is not JSON', file('bad.json', '{')],
    ['a table that fails validation', file('invalid.json', [{ year: 2028, holidays: [] }])],
  ])('fails fast naming the variable for %s', (_, path) => {
    expect(() => loadCalendar(path)).toThrow(ConfigError);
    try {
      loadCalendar(path);
    } catch (err) {
      expect((err as ConfigError).problems[0]?.variable).toBe('HUB_CALENDAR_FILE');
    }
  });
});

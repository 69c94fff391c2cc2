import { HubError } from '@hub/domain';
import { describe, expect, it } from 'vitest';
import { parseAgencyReportQuery, parseYearlyQuery } from './report-query.js';

const now = new Date('2026-05-20T02:00:00Z'); // 2026-05-20 10:00 in Shanghai, Q2

function issues(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).code).toBe('VALIDATION_FAILED');
    return (err as HubError).details.map((d) => {
      const { path, code } = d as { path: string; code: string };
      return { path, code };
    });
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('report query strings', () => {
  it('default to the current quarter as JSON', () => {
    expect(parseAgencyReportQuery({}, now)).toEqual({
      period: { from: '2026-04-01', to: '2026-06-30' },
      format: 'json',
    });
    expect(parseYearlyQuery({}, now)).toEqual({ year: 2026, court: null, format: 'json' });
  });

  it('take any period, format and court', () => {
    expect(parseAgencyReportQuery({ from: '2025-11-01', to: '2026-01-31', format: 'csv' }, now)).toEqual({
      period: { from: '2025-11-01', to: '2026-01-31' },
      format: 'csv',
    });
    expect(parseYearlyQuery({ year: '2025', court: '川0104', format: 'html' }, now)).toEqual({
      year: 2025,
      court: '川0104',
      format: 'html',
    });
  });

  it.each([
    [{ from: '2026-02-30' }, [{ path: 'from', code: 'INVALID_DATE' }]],
    [
      { from: '9999-01-02', to: '9999-12-31' },
      [
        { path: 'from', code: 'DATE_OUT_OF_RANGE' },
        { path: 'to', code: 'DATE_OUT_OF_RANGE' },
      ],
    ],
    [{ to: '1999-12-31' }, [{ path: 'to', code: 'DATE_OUT_OF_RANGE' }]],
    [{ from: '2026-03-01', to: '2026-02-01' }, [{ path: 'to', code: 'PERIOD_REVERSED' }]],
    [{ format: 'xlsx' }, [{ path: 'format', code: 'INVALID_VALUE' }]],
    [{ from: ['2026-01-01', '2026-02-01'] }, [{ path: 'from', code: 'INVALID_TYPE' }]],
    [{ court: '川0104' }, [{ path: 'court', code: 'UNKNOWN_FIELD' }]],
  ])('reject agency report query %j with field paths', (query, expected) => {
    expect(issues(() => parseAgencyReportQuery(query, now))).toEqual(expected);
  });

  it.each([
    [{ year: '26' }, [{ path: 'year', code: 'INVALID_YEAR' }]],
    [{ year: '1999' }, [{ path: 'year', code: 'INVALID_YEAR' }]],
    [{ court: 'XX0104' }, [{ path: 'court', code: 'INVALID_COURT_CODE' }]],
    [{ from: '2026-01-01' }, [{ path: 'from', code: 'UNKNOWN_FIELD' }]],
  ])('reject yearly query %j with field paths', (query, expected) => {
    expect(issues(() => parseYearlyQuery(query, now))).toEqual(expected);
  });
});

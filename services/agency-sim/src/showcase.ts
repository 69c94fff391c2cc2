/**
 * Finding people of the mock population by what they hold: for demos and end-to-end tests that need,
 * say, a debtor with accounts at three banks, a flat and a car. Reads the same books the mock agencies use.
 */

import type { AgencyKind } from '@hub/domain';
import { AgencyLedgers, answerFor } from './agencies/index.js';
import { BANKS, personAt } from './population/index.js';

export const CENTRES = ['REC-510100', 'REC-110000', 'REC-440300'];

/** What a mock institution answers to a query about `idNumber`, straight from the population's books. */
export function expectedQuery(seed: number, kind: AgencyKind, institution: string, idNumber: string) {
  const answer = answerFor(
    kind,
    institution,
    {
      id: `expect-${institution}-${idNumber}`,
      measure: 'query',
      caseNo: 'x',
      court: { code: '川0104' },
      debtor: { kind: 'person', idNumber },
    },
    new AgencyLedgers({ seed }),
    new Date(),
  );
  return 'result' in answer ? (answer.result as Record<string, unknown[] | undefined>) : {};
}

/** The first person of the population whose holdings satisfy `wanted` (scanning in index order). */
export function findPerson(
  seed: number,
  wanted: (h: { banksWithAccounts: string[]; units: number; vehicles: number }) => boolean,
  limit = 20_000,
) {
  for (let i = 0; i < limit; i++) {
    const { idNumber } = personAt(seed, i);
    const banksWithAccounts = BANKS.filter(
      (b) => (expectedQuery(seed, 'bank', b, idNumber).accounts ?? []).length > 0,
    );
    const units = CENTRES.reduce(
      (n, c) => n + (expectedQuery(seed, 'real-estate', c, idNumber).units ?? []).length,
      0,
    );
    const vehicles = (expectedQuery(seed, 'public-security', 'PSB-510100', idNumber).vehicles ?? []).length;
    if (wanted({ banksWithAccounts, units, vehicles }))
      return { idNumber, banksWithAccounts, units, vehicles };
  }
  throw new Error('no such person in the population');
}

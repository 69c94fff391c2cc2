import {
  bankDeduct,
  bankFreeze,
  bankQueuedFreeze,
  bankRelease,
  pfDeduct,
  pfFreeze,
} from '@hub/contracts/answers/test-support';
import { describe, expect, it } from 'vitest';
import { amountOfAnswer, sumAnswerAmounts } from './answer-amounts.js';

const bank = (measure: string, result: unknown) => ({
  agency: 'bank',
  measure,
  resultJson: JSON.stringify(result),
});
const frozen = (frozenFen: number) => ({ ...bankFreeze, requestedFen: frozenFen, frozenFen });

describe('amounts in answers', () => {
  it.each([
    ['bank', 'freeze', bankFreeze, bankFreeze.frozenFen],
    ['bank', 'renew-freeze', frozen(12), 12],
    ['bank', 'freeze', bankQueuedFreeze, 0],
    ['bank', 'deduct', bankDeduct, bankDeduct.deductedFen],
    ['provident-fund', 'freeze', pfFreeze, pfFreeze.frozenFen],
    ['provident-fund', 'deduct', { ...pfDeduct, deductedFen: 800 }, 800],
  ])('%s answering %s with %j moved %d fen', (agency, measure, result, fen) => {
    expect(amountOfAnswer({ agency, measure, resultJson: JSON.stringify(result) })).toBe(fen);
  });

  it.each([
    [
      'a deduction read as a freeze',
      bank('deduct', { ...bankDeduct, deductedFen: undefined, frozenFen: 800 }),
    ],
    ['a fractional amount', bank('freeze', { ...bankFreeze, frozenFen: 12.5 })],
    ['a negative amount', bank('freeze', { ...bankFreeze, frozenFen: -3 })],
    ['an amount as text', bank('freeze', { ...bankFreeze, frozenFen: '300' })],
    ['an array', bank('freeze', [300])],
    ['text that is not JSON', { agency: 'bank', measure: 'freeze', resultJson: '{"frozenFen": 1' }],
    ['no result', { agency: 'bank', measure: 'freeze', resultJson: null }],
    ['a null result', { agency: 'bank', measure: 'freeze', resultJson: 'null' }],
    ['a kind that cannot freeze', { ...bank('freeze', bankFreeze), agency: 'real-estate' }],
    ['an unknown kind', { ...bank('freeze', bankFreeze), agency: 'court' }],
  ])('%s moves nothing', (_, answer) => {
    expect(amountOfAnswer(answer)).toBeUndefined();
  });

  it('sums frozen, renewed and deducted fen apart and ignores other measures', () => {
    expect(
      sumAnswerAmounts([
        bank('freeze', frozen(100)),
        bank('renew-freeze', frozen(50)),
        bank('deduct', { ...bankDeduct, requestedFen: 70, deductedFen: 70 }),
        bank('release', bankRelease),
      ]),
    ).toEqual({ frozenFen: 100, renewedFen: 50, deductedFen: 70, unreadableAnswers: 0 });
  });

  it('counts a result that does not parse instead of failing the report, and sums the others', () => {
    expect(
      sumAnswerAmounts([
        bank('freeze', frozen(100)),
        { agency: 'bank', measure: 'freeze', resultJson: '{"frozenFen": 1' },
        bank('deduct', { frozenFen: 800 }),
        { agency: 'bank', measure: 'query', resultJson: 'not a money answer, not read' },
      ]),
    ).toEqual({ frozenFen: 100, renewedFen: 0, deductedFen: 0, unreadableAnswers: 2 });
  });

  it('counts 100 fen frozen and then renewed as 100 fen frozen, not 200', () => {
    expect(sumAnswerAmounts([bank('freeze', frozen(100)), bank('renew-freeze', frozen(100))])).toEqual({
      frozenFen: 100,
      renewedFen: 100,
      deductedFen: 0,
      unreadableAnswers: 0,
    });
  });
});

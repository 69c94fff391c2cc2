import { describe, expect, it } from 'vitest';
import { amountOfAnswer, sumAnswerAmounts } from './answer-amounts.js';

describe('amounts in answers', () => {
  it.each([
    ['freeze', { accountNo: '6222', requestedFen: 500, frozenFen: 300 }, 300],
    ['renew-freeze', { frozenFen: 12 }, 12],
    ['freeze', { frozenFen: 0, receipt: { effective: false, queuePosition: 2 } }, 0],
    ['deduct', { requestedFen: 900, deductedFen: 800, balanceAfterFen: 5 }, 800],
    ['deduct', { frozenFen: 800 }, 0],
    ['freeze', { frozenFen: 12.5 }, 0],
    ['freeze', { frozenFen: -3 }, 0],
    ['freeze', { frozenFen: '300' }, 0],
    ['freeze', [300], 0],
  ])('%s answering %j moved %d fen', (measure, result, fen) => {
    expect(amountOfAnswer(measure, JSON.stringify(result))).toBe(fen);
  });

  it('a malformed or missing result moves nothing instead of failing the report', () => {
    expect(amountOfAnswer('freeze', '{"frozenFen": 1')).toBe(0);
    expect(amountOfAnswer('freeze', null)).toBe(0);
    expect(amountOfAnswer('freeze', 'null')).toBe(0);
  });

  it('sums frozen, renewed and deducted fen apart and ignores other measures', () => {
    expect(
      sumAnswerAmounts([
        { measure: 'freeze', resultJson: '{"frozenFen":100}' },
        { measure: 'renew-freeze', resultJson: '{"frozenFen":50}' },
        { measure: 'deduct', resultJson: '{"deductedFen":70}' },
        { measure: 'release', resultJson: '{"releasedFen":1000,"frozenFen":1000}' },
      ]),
    ).toEqual({ frozenFen: 100, renewedFen: 50, deductedFen: 70 });
  });

  it('counts 100 fen frozen and then renewed as 100 fen frozen, not 200', () => {
    expect(
      sumAnswerAmounts([
        { measure: 'freeze', resultJson: '{"frozenFen":100}' },
        { measure: 'renew-freeze', resultJson: '{"frozenFen":100}' },
      ]),
    ).toEqual({ frozenFen: 100, renewedFen: 100, deductedFen: 0 });
  });
});

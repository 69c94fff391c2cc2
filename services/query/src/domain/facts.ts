import type { ParsedAnswerResult } from '@hub/contracts/answers';

/** One thing an agency reported about a debtor, with a stable key so the same fact counts once. */
export interface PropertyFact {
  kind: 'deposit' | 'provident-fund' | 'real-estate' | 'vehicle' | 'household' | 'exit-entry' | 'whereabouts';
  key: string;
  amountFen?: number;
  detail: Record<string, unknown>;
}

/** A result that parsed (`parseAnswerResult`): checking its agency kind and measure narrows its value. */
export type ParsedResult = Extract<ParsedAnswerResult, { ok: true }>;

/**
 * The facts in an inquiry answer (查询 / 协查下落), per agency kind (docs/agency-answers.md). Any other
 * measure's result (a receipt, a listing) reports no property.
 */
export function factsOf(answer: ParsedResult): PropertyFact[] {
  if (answer.agency === 'public-security' && answer.measure === 'locate') {
    const seen = answer.value;
    return seen.found ? [{ kind: 'whereabouts', key: seen.lastSeenAt ?? 'found', detail: seen }] : [];
  }
  if (answer.measure !== 'query') return [];
  switch (answer.agency) {
    case 'bank':
      return answer.value.accounts.map(({ accountNo, balanceFen, ...detail }) => ({
        kind: 'deposit',
        key: accountNo,
        amountFen: balanceFen,
        detail,
      }));
    case 'provident-fund': {
      if (!answer.value.account) return [];
      const { accountNo, balanceFen, ...detail } = answer.value.account;
      return [{ kind: 'provident-fund', key: accountNo, amountFen: balanceFen, detail }];
    }
    case 'real-estate':
      return answer.value.units.map(({ unitNo, ...detail }) => ({
        kind: 'real-estate',
        key: unitNo,
        detail,
      }));
    case 'public-security': {
      const { household, vehicles, exitEntry } = answer.value;
      const facts: PropertyFact[] = vehicles.map(({ plate, ...detail }) => ({
        kind: 'vehicle',
        key: plate,
        detail,
      }));
      if (household) facts.push({ kind: 'household', key: 'household', detail: household });
      for (const e of exitEntry) facts.push({ kind: 'exit-entry', key: `${e.at}|${e.port}`, detail: e });
      return facts;
    }
  }
}

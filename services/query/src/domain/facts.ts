import type { AgencyKind } from '@hub/domain';

/** One thing an agency reported about a debtor, with a stable key so the same fact counts once. */
export interface PropertyFact {
  kind: 'deposit' | 'provident-fund' | 'real-estate' | 'vehicle' | 'household' | 'exit-entry' | 'whereabouts';
  key: string;
  amountFen?: number;
  detail: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const obj = (v: unknown): Obj | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const num = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
const without = (o: Obj, ...keys: string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/**
 * The facts in an inquiry answer (查询 / 协查下落), per agency kind (docs/agency-answers.md). Results were
 * validated by the adapter; this only reads what is there.
 */
export function factsOf(agency: AgencyKind, measure: string, result: unknown): PropertyFact[] {
  const r = obj(result);
  if (!r) return [];
  if (measure === 'locate') {
    return r.found ? [{ kind: 'whereabouts', key: String(r.lastSeenAt ?? 'found'), detail: r }] : [];
  }
  switch (agency) {
    case 'bank':
      return arr(r.accounts).map((a) => ({
        kind: 'deposit',
        key: String(a.accountNo),
        amountFen: num(a.balanceFen),
        detail: without(a, 'accountNo', 'balanceFen'),
      }));
    case 'provident-fund': {
      const a = obj(r.account);
      return a
        ? [
            {
              kind: 'provident-fund',
              key: String(a.accountNo),
              amountFen: num(a.balanceFen),
              detail: without(a, 'accountNo', 'balanceFen'),
            },
          ]
        : [];
    }
    case 'real-estate':
      return arr(r.units).map((u) => ({
        kind: 'real-estate',
        key: String(u.unitNo),
        detail: without(u, 'unitNo'),
      }));
    case 'public-security': {
      const facts: PropertyFact[] = arr(r.vehicles).map((v) => ({
        kind: 'vehicle',
        key: String(v.plate),
        detail: without(v, 'plate'),
      }));
      const household = obj(r.household);
      if (household) facts.push({ kind: 'household', key: 'household', detail: household });
      for (const e of arr(r.exitEntry))
        facts.push({ kind: 'exit-entry', key: `${e.at}|${e.port}`, detail: e });
      return facts;
    }
  }
}

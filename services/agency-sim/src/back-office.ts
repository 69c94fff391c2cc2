import type { AgencyKind } from '@hub/domain';
import { accountsOf } from './ledger.js';
import type { AgencyAnswer, InboxItem } from './mock-agency.js';

/**
 * What a partner's back office answers, for the measures it knows. Interim: banks answer queries from
 * their deterministic ledgers; other kinds report nothing found; measures a back office does not handle
 * yet are answered cannot-assist with the reason, never silently dropped.
 */
export function backOffice(kind: AgencyKind, institution: string, seed: number) {
  return (item: InboxItem): AgencyAnswer => {
    const subject = item.debtor.idNumber || item.debtor.creditCode || '';
    if (item.measure !== 'query') {
      return { outcome: 'cannot-assist', reason: `the mock ${kind} does not handle ${item.measure} yet` };
    }
    switch (kind) {
      case 'bank':
        return { outcome: 'done', result: { accounts: accountsOf(seed, institution, subject) } };
      case 'real-estate':
        return { outcome: 'done', result: { units: [] } };
      case 'public-security':
        return { outcome: 'done', result: { vehicles: [], exitEntry: [] } };
      case 'provident-fund':
        return { outcome: 'done', result: {} };
    }
  };
}

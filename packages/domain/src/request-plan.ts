import type { AgencyKind } from './glossary.ts';

export interface PlannedRequest {
  agency: AgencyKind;
  institution: string;
  /** Set when the request cannot be delivered at all; it is recorded as failed, never silently dropped. */
  failure?: { code: 'AGENCY_NOT_CONNECTED' | 'INSTITUTION_NOT_CONNECTED'; reason: string };
}

/**
 * One notice fans out to one request per concrete institution: a target naming an institution gets
 * exactly that one; a target naming only the agency kind gets every connected institution of that kind
 * (every bank for deposits). Duplicates collapse.
 */
export function planRequests(
  targets: readonly { agency: AgencyKind; institution?: string }[],
  directory: ReadonlyMap<AgencyKind, readonly string[]>,
): PlannedRequest[] {
  const planned = new Map<string, PlannedRequest>();
  for (const t of targets) {
    const connected = directory.get(t.agency) ?? [];
    if (t.institution) {
      const known = connected.includes(t.institution);
      planned.set(`${t.agency}/${t.institution}`, {
        agency: t.agency,
        institution: t.institution,
        ...(known
          ? {}
          : {
              failure: {
                code: 'INSTITUTION_NOT_CONNECTED',
                reason: `${t.institution} is not connected to the hub`,
              },
            }),
      });
    } else if (connected.length === 0) {
      planned.set(`${t.agency}/*`, {
        agency: t.agency,
        institution: '*',
        failure: { code: 'AGENCY_NOT_CONNECTED', reason: `no ${t.agency} institution is connected yet` },
      });
    } else {
      for (const institution of connected) {
        planned.set(`${t.agency}/${institution}`, { agency: t.agency, institution });
      }
    }
  }
  return [...planned.values()];
}

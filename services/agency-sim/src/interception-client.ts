/**
 * A partner's client of the interception API (agency-kit): signed calls to check IDs and to report what it
 * blocked. Used by the mock agencies' interception driver and by the local demo scripts. IDs travel in the
 * body only.
 */
import { signAgencyRequest, type VisibleEntry } from '@hub/agency-kit';

/** One restriction as the partner is shown it (the adapter's own type). */
export type InterceptionEntryView = VisibleEntry;

export interface InterceptionAnswer {
  restricted: boolean;
  checkedAt: string;
  entries: InterceptionEntryView[];
}

export interface InterceptionBatchAnswer {
  checkedAt: string;
  results: { index: number; restricted: boolean; entries: InterceptionEntryView[] }[];
}

export type InterceptionAction =
  | 'loan'
  | 'property-transfer'
  | 'fund-withdrawal'
  | 'exit'
  | 'high-consumption'
  | 'other';

export interface InterceptionReportBody {
  reportRef: string;
  id: string;
  entryId: string;
  action: InterceptionAction;
  /** ISO 8601 with offset. */
  occurredAt: string;
}

export interface StoredInterceptionReport {
  reportRef: string;
  reportId: string;
  status: 'accepted' | 'duplicate';
}

/** A refusal by the adapter: HTTP status and the stable code of its error body. */
export class InterceptionApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly details: unknown[] = [],
  ) {
    super(`interception API: ${status} ${code}`);
    this.name = 'InterceptionApiError';
  }
}

async function signedPost<T>(
  adapterUrl: string,
  institution: string,
  secret: string,
  path: string,
  body: unknown,
): Promise<T> {
  const text = JSON.stringify(body);
  const headers = signAgencyRequest({ institution, secret, method: 'POST', path, body: text });
  const res = await fetch(adapterUrl.replace(/\/$/, '') + path, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: text,
  });
  const raw = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const error = (json as { error?: { code?: string; details?: unknown[] } } | undefined)?.error;
    throw new InterceptionApiError(res.status, error?.code ?? 'UNKNOWN', error?.details ?? []);
  }
  return json as T;
}

/** Is this person (resident ID) or organisation (credit code) restricted, as this institution may see it? */
export function checkInterception(
  adapterUrl: string,
  institution: string,
  secret: string,
  id: string,
): Promise<InterceptionAnswer> {
  return signedPost(adapterUrl, institution, secret, '/v1/agency/interception/check', { id });
}

/** Up to 1,000 IDs at once; results in the order asked. */
export function checkInterceptions(
  adapterUrl: string,
  institution: string,
  secret: string,
  ids: readonly string[],
): Promise<InterceptionBatchAnswer> {
  return signedPost(adapterUrl, institution, secret, '/v1/agency/interception/checks', { ids });
}

/** Reports what the institution blocked; the same report again returns the same report id. */
export function reportInterception(
  adapterUrl: string,
  institution: string,
  secret: string,
  report: InterceptionReportBody,
): Promise<StoredInterceptionReport> {
  return signedPost(adapterUrl, institution, secret, '/v1/agency/interceptions', report);
}

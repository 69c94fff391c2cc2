/**
 * Ops API reports (DESIGN §6 "per-agency statistics"; §2 the periodic 通报): JSON for programs, CSV for
 * spreadsheets, HTML to print. Read-only over the tracker's own read model.
 */
import type { Clock } from '@hub/domain';
import type { Pool } from '@hub/store';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readAgencyReport } from './agency-report.js';
import { agencyReportCsv, agencyReportHtml } from './agency-report.render.js';
import { parseAgencyReportQuery, parseYearlyQuery, type ReportFormat } from './report-query.js';
import { inSnapshot } from './snapshot.js';
import { readYearlyStats } from './yearly-stats.js';
import { yearlyStatsCsv, yearlyStatsHtml } from './yearly-stats.render.js';

export interface ReportDeps {
  pool: Pool;
  clock: Clock;
}

export function registerReportRoutes(app: FastifyInstance, deps: ReportDeps): void {
  app.get('/v1/ops/reports/agencies', async (request, reply) => {
    const now = deps.clock.now();
    const q = parseAgencyReportQuery(request.query, now);
    const report = await inSnapshot(deps.pool, (db) => readAgencyReport(db, q.period, now));
    const name = `agency-report-${q.period.from}-${q.period.to}`;
    return send(reply, q.format, name, report, agencyReportCsv, agencyReportHtml);
  });

  app.get('/v1/ops/reports/yearly', async (request, reply) => {
    const now = deps.clock.now();
    const q = parseYearlyQuery(request.query, now);
    const stats = await readYearlyStats(deps.pool, q, now);
    const name = `yearly-stats-${q.year}${q.court ? `-${q.court}` : ''}`;
    return send(reply, q.format, name, stats, yearlyStatsCsv, yearlyStatsHtml);
  });
}

function send<T>(
  reply: FastifyReply,
  format: ReportFormat,
  name: string,
  body: T,
  csv: (body: T) => string,
  html: (body: T) => string,
) {
  switch (format) {
    case 'json':
      return body;
    case 'csv':
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachment(`${name}.csv`))
        .send(csv(body));
    case 'html':
      return reply.type('text/html; charset=utf-8').send(html(body));
  }
}

/** A download name; a court code's province character needs the RFC 6266/5987 `filename*` form. */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

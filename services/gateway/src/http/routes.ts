import { HubError, needsConfirmationOnly, validateNotice } from '@hub/domain';
import type { FastifyInstance } from 'fastify';
import type { CourtAuth } from '../auth.js';
import { type NoticeReader, toBody } from '../notice-reader.js';
import type { NoticeWriter } from '../notice-writer.js';

export interface RouteDeps {
  auth: CourtAuth;
  writer: NoticeWriter;
  reader: NoticeReader;
}

/** Court API v1 (DESIGN §6). */
export function registerNoticeRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v1/notices', async (request, reply) => {
    const court = deps.auth.authenticate(request.headers.authorization);
    const validation = validateNotice(request.body);
    if (!validation.ok) {
      throw new HubError(
        needsConfirmationOnly(validation.issues) ? 'CONFIRMATION_REQUIRED' : 'VALIDATION_FAILED',
        validation.issues,
      );
    }
    assertCourt(court, validation.value.court.code);
    const traceparent = header(request.headers.traceparent);
    const accepted = await deps.writer.submit(validation.value, validation.warnings, traceparent);
    return reply.code(202).send({
      id: accepted.id,
      status: 'issued',
      duplicate: accepted.duplicate,
      warnings: validation.warnings,
    });
  });

  app.get<{ Params: { id: string } }>('/v1/notices/:id', async (request) => {
    const court = deps.auth.authenticate(request.headers.authorization);
    return toBody(await deps.reader.get(request.params.id, court));
  });
}

function assertCourt(authenticated: string, court: string): void {
  if (court !== authenticated) throw new HubError('FORBIDDEN', [{ path: 'court.code', code: 'OTHER_COURT' }]);
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 't', level: 'info', destination }) };
}

describe('log redaction', () => {
  it('never writes ID numbers, names, account numbers or credentials in clear', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        notice: { debtor: { kind: 'person', name: '李某', idNumber: '11010519491231002X' } },
        answer: { result: { accounts: [{ accountNo: '6222020200112233445' }] } },
        accountNo: '6222020200112233445',
        headers: { authorization: 'Bearer demo-court-key' },
        request: { officer: { name: '王法官', phone: '028-00000000' } },
        noticeId: 'keep-me',
      },
      'submitted',
    );
    const out = lines.join('');
    for (const secret of [
      '11010519491231002X',
      '李某',
      '6222020200112233445',
      'demo-court-key',
      '王法官',
      '028-00000000',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('keep-me');
    expect(out).toContain('[redacted]');
  });
});

describe('scrub', () => {
  it('masks ID-shaped and account-shaped strings anywhere, even in the message', () => {
    const { lines, logger } = capture();
    logger.warn(
      { detail: 'debtor 11010519491231002X at 6222020200112233445' },
      'lookup of 91350100M000100Y43 failed',
    );
    const out = lines.join('');
    expect(out).not.toMatch(/11010519491231002X|6222020200112233445|91350100M000100Y43/);
    expect(out).toContain('[masked]');
  });
});

import { createPublicKey } from 'node:crypto';
import type { NoticeSubmission } from '@hub/contracts';
import { describe, expect, it } from 'vitest';
import { demoPrivateKey, Sealer, SealVerifier, sealKeysFrom } from './index.js';

const notice = (court = '川0104'): NoticeSubmission => ({
  noticeNo: 'n1',
  caseNo: '(2026)川0104执1234号',
  court: { code: court, name: '成都市锦江区人民法院' },
  measure: 'query',
  targets: [{ agency: 'bank', institution: '' }],
  params: { amountFen: 100, accountNo: '', unitNo: '', plate: '', otherGrounds: [] },
  legalBasis: 'b',
  issuedAt: '2026-11-23T09:00:00+08:00',
  confirmWarnings: [],
});

describe('court seals', () => {
  const sealer = new Sealer('demo');
  const verifier = new SealVerifier('demo');

  it('verifies a seal over the notice it was made for', () => {
    expect(verifier.check(notice(), sealer.seal('川0104', notice()))).toEqual({ ok: true });
  });

  it('fails when any field of the notice changed after sealing', () => {
    const seal = sealer.seal('川0104', notice());
    const changed = notice();
    changed.params!.amountFen = 101;
    expect(verifier.check(changed, seal)).toEqual({ ok: false, code: 'SEAL_INVALID' });
  });

  it('refuses a seal made with another court’s key, and a missing seal', () => {
    const other = sealer.seal('京01', notice('京01'));
    expect(verifier.check(notice(), other)).toEqual({ ok: false, code: 'SEAL_UNKNOWN_KEY' });
    expect(verifier.check(notice(), undefined)).toEqual({ ok: false, code: 'SEAL_MISSING' });
  });

  it('uses configured keys when given, so demo seals stop verifying', () => {
    const priv = demoPrivateKey('other-secret-seed');
    const pub = createPublicKey(priv).export({ format: 'der', type: 'spki' }).toString('base64');
    const configured = new SealVerifier(
      sealKeysFrom('HUB_COURT_SEAL_PUBLIC_KEYS', `川0104=${pub}`, 'public', false),
    );
    expect(configured.check(notice(), sealer.seal('川0104', notice())).ok).toBe(false);
    const realSealer = new Sealer(new Map([['川0104', priv]]));
    expect(configured.check(notice(), realSealer.seal('川0104', notice()))).toEqual({ ok: true });
    expect(() => sealKeysFrom('X', 'garbage', 'public', true)).toThrow(/X/);
  });

  it('falls back to the demo keys only in demo mode: unset or blank outside it fails boot naming the variable', () => {
    expect(sealKeysFrom('GATEWAY_SEAL_KEYS', undefined, 'private', true)).toBe('demo');
    for (const unset of [undefined, '', '  ']) {
      expect(() => sealKeysFrom('GATEWAY_SEAL_KEYS', unset, 'private', false)).toThrow(
        expect.objectContaining({
          name: 'ConfigError',
          problems: [expect.objectContaining({ variable: 'GATEWAY_SEAL_KEYS' })],
        }),
      );
    }
  });

  it('shares verdicts between verifiers only under the same public key', () => {
    const seal = sealer.seal('川0104', notice());
    // A second demo verifier (another service of the same process) gets the first one's verdict.
    expect(new SealVerifier('demo').check(notice(), seal)).toEqual({ ok: true });
    expect(verifier.check(notice(), seal)).toEqual({ ok: true });
    // The same seal and bytes, already found valid under the demo key, are checked afresh under another key.
    const pub = createPublicKey(demoPrivateKey('a third seed')).export({ format: 'der', type: 'spki' });
    const other = new SealVerifier(sealKeysFrom('K', `川0104=${pub.toString('base64')}`, 'public', false));
    expect(other.check(notice(), seal)).toEqual({ ok: false, code: 'SEAL_INVALID' });
    // And a verdict of invalid under that key does not stick to the demo key.
    expect(new SealVerifier('demo').check(notice(), seal)).toEqual({ ok: true });
  });
});

import { type HubError, maskIdNumber } from '@hub/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePublicListQuery, publicListingToBody } from './public-list.js';

const refusal = (query: unknown) => {
  try {
    parsePublicListQuery(query);
    return undefined;
  } catch (err) {
    return (err as HubError).details as { path: string; code: string }[];
  }
};

const listing = (idMasked: string, debtorKind = 'person') => ({
  name: '李某',
  idMasked,
  courtCode: '川0104',
  courtName: '成都市锦江区人民法院',
  caseNo: '(2026)川0104执1234号',
  ground: 'evades-enforcement',
  groundZh: '',
  listedAt: undefined,
  debtorKind,
  legalRepresentative: debtorKind === 'organisation' ? '张某' : '',
});

describe('the public list query', () => {
  it('takes any ID prefix of 0–8 digits and X, or of a credit code’s alphabet (either case), upper-cased', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y]{0,8}$/), (idPrefix) => {
        expect(parsePublicListQuery({ name: '李某', idPrefix }).idPrefix).toBe(idPrefix.toUpperCase());
      }),
    );
    // Credit codes of the registration authorities A, N and Y begin with a letter (GB 32100).
    expect(parsePublicListQuery({ name: '某某基金会', idPrefix: 'N2' }).idPrefix).toBe('N2');
  });

  it('refuses an ID prefix with anything else in it, or longer than 8, at idPrefix', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/^[0-9A-HJ-NP-RTUW-Y]*$/i.test(s)),
          fc.stringMatching(/^[0-9X]{9,20}$/),
          fc.constantFrom('I', 'O', 'S', 'V', 'Z', '9151O'),
        ),
        (idPrefix) => {
          expect(refusal({ name: '李某', idPrefix })).toEqual(
            expect.arrayContaining([
              expect.objectContaining({ path: 'idPrefix', code: 'INVALID_ID_PREFIX' }),
            ]),
          );
        },
      ),
    );
  });
});

describe('a public listing', () => {
  it('shows a resident ID as its first 6 and last 4 characters, whether the service masked it or not', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{17}[0-9X]$/), (id) => {
        const masked = maskIdNumber(id);
        expect(publicListingToBody(listing(id)).idMasked).toBe(masked);
        expect(publicListingToBody(listing(masked)).idMasked).toBe(masked);
        expect(masked.slice(6, 14)).toBe('********');
      }),
    );
  });

  it("shows an organisation's credit code in full, as the list publishes it", () => {
    expect(publicListingToBody(listing('91350100M000100Y43', 'organisation')).idMasked).toBe(
      '91350100M000100Y43',
    );
  });

  it("names an organisation's legal representative (法释〔2017〕7号 art. 6), and nobody for a person", () => {
    expect(publicListingToBody(listing('91350100M000100Y43', 'organisation')).legalRepresentative).toBe(
      '张某',
    );
    expect(publicListingToBody(listing('110105********002X')).legalRepresentative).toBeNull();
    // A representative on a person's listing (a fault upstream) is never shown.
    expect(
      publicListingToBody({ ...listing('110105********002X'), legalRepresentative: '张某' })
        .legalRepresentative,
    ).toBeNull();
  });
});

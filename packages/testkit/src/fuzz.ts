import fc from 'fast-check';

/**
 * Fuzzing helpers for the public APIs: inputs that are mostly near-valid (one to three mutations of a valid
 * document) so they pass the outer checks and reach deep validation, and a tally printed per endpoint.
 */

type Json = unknown;
type Path = (string | number)[];

/** Text no hop should take as it is, and text that is merely unusual. */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('\u0000', '\uD800', '\uDFFF', 'a\u0000b', '\uDBFF\uDBFF', '😀\uDC00', '', ' ', '\uFFFD'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 65, max: 3000 }).map((n) => '号'.repeat(n)),
  fc.constant('x'.repeat(70_000)),
);

export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    0.5,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32,
    2 ** 53 - 1,
    2 ** 53,
    2 ** 63,
    -(2 ** 63),
    1e308,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

export const nastyValue: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: nastyText, weight: 4 },
  { arbitrary: nastyNumber, weight: 3 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}, [[[[[]]]]], { '': '' }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  {
    arbitrary: fc.integer({ min: 30, max: 200 }).map((n) => {
      let v: Json = 'deep';
      for (let i = 0; i < n; i++) v = { d: v };
      return v;
    }),
    weight: 1,
  },
);

/** Every path into `value`, down to a depth past what any hop accepts (mutations nest deep values). */
function pathsOf(value: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (path.length >= 64) return out;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) pathsOf(v, [...path, i], out);
  } else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
  return out;
}

type Mutation =
  | { op: 'set'; at: number; value: Json }
  | { op: 'spoil'; at: number; bad: string; pos: number }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: Json };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: nastyValue }), weight: 4 },
  {
    // Plants one character no hop can carry inside an existing string: the most valid-looking bad input.
    arbitrary: fc.record({
      op: fc.constant('spoil' as const),
      at: fc.nat(),
      bad: fc.constantFrom('\u0000', '\uD800', '\uDC00', '\uDBFF'),
      pos: fc.nat(),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.constantFrom('k\u0000', '\uD800', 'k'.repeat(300)),
      ),
      value: nastyValue,
    }),
    weight: 1,
  },
);

function apply(doc: Json, m: Mutation): Json {
  const paths = pathsOf(doc);
  const path = paths[m.at % paths.length]!;
  const get = (p: Path) => p.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], doc);
  const set = (p: Path, value: Json) => {
    if (p.length === 0) return value;
    (get(p.slice(0, -1)) as Record<string | number, Json>)[p.at(-1)!] = value;
    return doc;
  };
  const here = get(path);
  switch (m.op) {
    case 'set':
      // Generated values may be shared instances (constants): each use gets its own copy, never a cycle.
      return set(path, structuredClone(m.value));
    case 'spoil': {
      if (typeof here !== 'string') return set(path, m.bad);
      const pos = m.pos % (here.length + 1);
      return set(path, `${here.slice(0, pos)}${m.bad}${here.slice(pos)}`);
    }
    case 'delete': {
      if (path.length === 0) return doc;
      const parent = get(path.slice(0, -1));
      if (Array.isArray(parent)) parent.splice(path.at(-1) as number, 1);
      else delete (parent as Record<string, Json>)[path.at(-1) as string];
      return doc;
    }
    case 'add': {
      const target = typeof here === 'object' && here !== null ? here : get(path.slice(0, -1));
      // A copy as for 'set': a shared constant ({}, []) added twice could otherwise be added into itself.
      const value = structuredClone(m.value);
      if (Array.isArray(target)) target.push(value);
      else if (typeof target === 'object' && target !== null) (target as Record<string, Json>)[m.key] = value;
      return doc;
    }
  }
}

/**
 * Documents near `valid()`: about one in six unchanged, the rest with one to three mutations (a value
 * replaced by nasty text or numbers, a NUL or lone surrogate planted in a string, a field dropped or added).
 * `valid` is called per input, so each can carry fresh identifiers.
 */
export function nearValid(valid: () => Json): fc.Arbitrary<Json> {
  return fc
    .oneof(
      { arbitrary: fc.constant([] as Mutation[]), weight: 1 },
      { arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 3 }), weight: 5 },
    )
    .map((mutations) => mutations.reduce((doc, m) => apply(doc, m), structuredClone(valid())));
}

/** A body as sent on the wire: mostly JSON of `doc`, sometimes broken JSON. */
export function wireBody(doc: fc.Arbitrary<Json>): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: doc.map((d) => JSON.stringify(d) ?? 'null'), weight: 20 },
    {
      arbitrary: doc.chain((d) => {
        const json = JSON.stringify(d) ?? 'null';
        return fc.nat(json.length).map((n) => json.slice(0, n));
      }),
      weight: 1,
    },
    { arbitrary: fc.constantFrom('', '[]', '"x"', '1e999', '{"a":1,"a":2}', 'nul'), weight: 1 },
  );
}

/** Percent-encodes any string, lone surrogates included (as the bytes a broken client would send). */
export function percentEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out +=
        `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    } else {
      // RFC 3986 strict: inject() would otherwise re-encode ' and the signed path would differ from the sent one.
      out += encodeURIComponent(ch).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      );
    }
  }
  return out;
}

/** Counts per endpoint: inputs, 2xx, 4xx by code, 5xx; printed as a table at the end of a fuzz run. */
export class FuzzTally {
  private readonly rows = new Map<
    string,
    { inputs: number; ok: number; fail4xx: Map<string, number>; fail5xx: number; ms: number }
  >();

  /** The first few inputs that earned a 5xx, to print and replay. */
  readonly serverErrors: { endpoint: string; status: number; code?: string | undefined; input: unknown }[] =
    [];

  /** One reply; `ms` is the time it took, summed per endpoint as a cost indication. */
  record(endpoint: string, status: number, code?: string, ms = 0, input?: unknown): void {
    if (status >= 500 && this.serverErrors.length < 10)
      this.serverErrors.push({ endpoint, status, code, input });
    let row = this.rows.get(endpoint);
    if (!row) {
      row = { inputs: 0, ok: 0, fail4xx: new Map(), fail5xx: 0, ms: 0 };
      this.rows.set(endpoint, row);
    }
    row.inputs += 1;
    row.ms += ms;
    if (status < 300) row.ok += 1;
    else if (status < 500) {
      const key = `${status} ${code ?? '?'}`;
      row.fail4xx.set(key, (row.fail4xx.get(key) ?? 0) + 1);
    } else row.fail5xx += 1;
  }

  count(endpoint: string): { inputs: number; ok: number; fail5xx: number } {
    const row = this.rows.get(endpoint);
    return { inputs: row?.inputs ?? 0, ok: row?.ok ?? 0, fail5xx: row?.fail5xx ?? 0 };
  }

  get fail5xx(): number {
    return [...this.rows.values()].reduce((n, r) => n + r.fail5xx, 0);
  }

  table(): string {
    const lines = [
      'endpoint | inputs | 2xx | 4xx by code | 5xx | mean ms',
      '--- | --- | --- | --- | --- | ---',
    ];
    for (const [endpoint, r] of this.rows) {
      const codes = [...r.fail4xx.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c}: ${n}`)
        .join(', ');
      const mean = (r.ms / Math.max(1, r.inputs)).toFixed(1);
      lines.push(`${endpoint} | ${r.inputs} | ${r.ok} | ${codes || '-'} | ${r.fail5xx} | ${mean}`);
    }
    for (const e of this.serverErrors) lines.push(`5xx: ${JSON.stringify(e)}`);
    return lines.join('\n');
  }
}

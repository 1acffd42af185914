/**
 * fast-check generators for hostile credential sources and token endpoint answers.
 *
 * Every generator that can plant SECRET reports whether it did so only as the value of a secret
 * variable (`secretOnly`): only then may a test demand that no error text contains it.
 */
import fc from 'fast-check'
import { VARIABLES } from '../../../src/credentials/variables.ts'
import { POLLUTION_KEYS, SECRET, SECRET_VARIABLES } from './checks.ts'

const SAAS_TOKEN_URL = 'https://login.cloud.camunda.io/oauth/token'

/** Gives a thunk a readable form in fast-check's counterexample report. */
export function shown<T extends (...args: never[]) => unknown>(fn: T, what: unknown): T {
  return Object.assign(fn, { [fc.toStringMethod]: () => `() => ${typeof what === 'string' ? what : fc.stringify(what)}` })
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

const CONTROL = [
  '\0',
  '\x01',
  '\x08',
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  '\x1b',
  '\x1f',
  '\x7f',
  '\x85',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\u200b',
  '\ud800',
  '\udfff',
]
const SYNTAX = [
  '=',
  "'",
  '"',
  '#',
  '\\',
  ' ',
  '$',
  '`',
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '/',
  '?',
  '@',
  '%',
  'export ',
  'e',
  'A',
  '_',
  '-',
  '.',
]

/** Control characters, NUL, line breaks, lone surrogates. */
export const controlChar = fc.constantFrom(...CONTROL)

/** Strings made of the characters parsers care about, mixed with controls and any unicode. */
export const nastyString = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...SYNTAX) },
    { weight: 2, arbitrary: controlChar },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 40,
})

/** Any string of any kind, short. */
export const anyString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), nastyString)

/** ~100 KB to ~1.1 MB (straddling the 1 MiB source limit), cheap to build. */
export const hugeString = fc
  .record({
    length: fc.integer({ min: 100_000, max: 1_100_000 }),
    piece: fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }), controlChar),
  })
  .map(({ length, piece }) => piece.repeat(Math.ceil(length / piece.length)))

/** Values a real bundle holds, and near misses of them. */
export const plausibleValue = fc.oneof(
  fc.constantFrom(
    SAAS_TOKEN_URL,
    'http://127.0.0.1:18080/token',
    'http://localhost/token',
    'http://[::1]:8080/t',
    'http://login.example.com/token',
    'https://user:pw@login.example.com/token',
    'https://login.example.com/token?x=1#f',
    'https://exa\nmple.com/token',
    'ftp://login.example.com',
    'javascript:alert(1)',
    'https://',
    '//login.example.com',
    'zeebe.camunda.io',
    'bru-2',
    'bru 2',
    '6f1c2a7e-3b5d-4c8e-9a0f-2d4b6c8e0a1b',
    '6f1c2a7e.bru-2.zeebe.camunda.io:443',
    'grpcs://6f1c2a7e.bru-2.zeebe.camunda.io:443',
    'https://bru-2.operate.camunda.io/6f1c2a7e',
    'https://bru-2.tasklist.camunda.io/6f1c2a7e/',
    'Zeebe,Operate,Tasklist,Optimize',
    ' , ,',
    'x'.repeat(8 * 1024),
    'x'.repeat(8 * 1024 + 1),
    '',
    ' ',
    '\t',
  ),
  fc.webUrl(),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
)

/** Strings for any variable (never the secret). */
export const stringValue = fc.oneof(
  { weight: 4, arbitrary: plausibleValue },
  { weight: 4, arbitrary: anyString },
  { weight: 1, arbitrary: fc.tuple(plausibleValue, controlChar, plausibleValue).map(([a, c, b]) => a + c + b) },
)

/** The secret as a secret variable may hold it: plain, padded, or spoiled so that validation fails. */
export const secretValue = fc.oneof(
  { weight: 6, arbitrary: fc.constant(SECRET) },
  { weight: 1, arbitrary: fc.constantFrom(` ${SECRET} `, `\t${SECRET}`) },
  { weight: 1, arbitrary: fc.tuple(controlChar, fc.boolean()).map(([c, before]) => (before ? c + SECRET : SECRET + c)) },
  { weight: 1, arbitrary: fc.constant(SECRET + 'x'.repeat(9000)) },
  { weight: 1, arbitrary: fc.tuple(anyString, anyString).map(([a, b]) => a + SECRET + b) },
)

/** Names: recognised, prototype-polluting, Object.prototype members, and random. */
export const keyName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...VARIABLES) },
  { weight: 3, arbitrary: fc.constantFrom(...POLLUTION_KEYS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'toString',
      'valueOf',
      'hasOwnProperty',
      '__defineGetter__',
      'polluted',
      'isAdmin',
      'zeebe_client_id',
      'ZEEBE_CLIENT_ID ',
    ),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,15}$/) },
  { weight: 1, arbitrary: anyString },
)

// ---------------------------------------------------------------------------------------------
// (1) env-like objects
// ---------------------------------------------------------------------------------------------

/** What sits under one key: a data value, a getter, or a getter that throws. */
export type Slot =
  | { readonly kind: 'data'; readonly value: unknown }
  | { readonly kind: 'getter'; readonly value: unknown }
  | { readonly kind: 'throws'; readonly message: string }

const throwingProxy = () =>
  new Proxy(
    {},
    Object.fromEntries(
      [
        'get',
        'has',
        'ownKeys',
        'getOwnPropertyDescriptor',
        'getPrototypeOf',
        'defineProperty',
        'set',
        'deleteProperty',
        'isExtensible',
        'preventExtensions',
        'apply',
        'construct',
      ].map((trap) => [
        trap,
        () => {
          throw new Error(`trap ${trap}`)
        },
      ]),
    ),
  )

const revokedProxy = () => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

const hostileObject = () => ({
  toString() {
    throw new Error('toString')
  },
  valueOf() {
    throw new Error('valueOf')
  },
  [Symbol.toPrimitive]() {
    throw new Error('toPrimitive')
  },
})

/**
 * A value made when the object is built, not when it is generated: fast-check probes generated
 * values (`cloneMethod in value`), which a Proxy trap or a revoked Proxy would answer with a throw.
 */
export class Lazy {
  constructor(readonly make: () => unknown) {}
}

const lazy = (make: () => unknown) => fc.constant(new Lazy(make))

const resolve = (value: unknown): unknown => (value instanceof Lazy ? value.make() : value)

/** Non-string values an env object may hold. */
export const otherValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, Number.MAX_VALUE),
  fc.bigInt(),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.string().map((s) => Symbol(s)),
  fc.array(anyString, { maxLength: 3 }),
  fc.array(plausibleValue, { minLength: 1, maxLength: 2 }),
  fc.object({ maxDepth: 2 }),
  lazy(hostileObject),
  lazy(throwingProxy),
  lazy(revokedProxy),
  plausibleValue.map((s) => new String(s)),
  lazy(() => () => SAAS_TOKEN_URL),
  lazy(() => new Date(Number.NaN)),
  lazy(() => new Uint8Array([104, 116, 116, 112])),
  lazy(() => new Map([['toString', 'x']])),
)

const slot = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Slot> =>
  fc.oneof(
    { weight: 10, arbitrary: value.map((v) => ({ kind: 'data', value: v }) as const) },
    { weight: 1, arbitrary: value.map((v) => ({ kind: 'getter', value: v }) as const) },
    { weight: 1, arbitrary: fc.constantFrom('boom', '').map((m) => ({ kind: 'throws', message: m }) as const) },
  )

/** One key and what sits under it. */
export interface EnvEntry {
  readonly key: string
  readonly slot: Slot
}

// Huge values are rare (about one case in fifty): they only have to prove they are cut short fast.
const anyValue = fc.oneof(
  { weight: 60, arbitrary: stringValue },
  { weight: 40, arbitrary: otherValue },
  { weight: 1, arbitrary: hugeString },
)

const entry: fc.Arbitrary<EnvEntry> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ key: keyName, slot: slot(anyValue) }) },
  // The secret under a secret variable, also as a getter, or a getter that throws an error quoting it.
  {
    weight: 3,
    arbitrary: fc.record({
      key: fc.constantFrom(...SECRET_VARIABLES),
      slot: fc.oneof(
        { weight: 8, arbitrary: slot(secretValue) },
        { weight: 1, arbitrary: fc.constant({ kind: 'throws', message: SECRET } as const) },
      ),
    }),
  },
  // Pollution keys holding objects full of recognised names (and the secret, under a polluting key).
  {
    weight: 2,
    arbitrary: fc.record({
      key: fc.constantFrom(...POLLUTION_KEYS),
      slot: fc
        .oneof(
          fc.constant({ ZEEBE_CLIENT_SECRET: SECRET, ZEEBE_CLIENT_ID: 'c', polluted: 'yes', isAdmin: true }),
          fc.constant({ prototype: { polluted: 'yes' } }),
          fc.constant({ constructor: { prototype: { polluted: 'yes' } } }),
          fc.dictionary(keyName, stringValue, { maxKeys: 4 }),
        )
        .map((v) => ({ kind: 'data', value: v }) as const),
    }),
  },
  // Rarely: the secret where it does not belong (the test then does not demand it stays hidden).
  { weight: 1, arbitrary: fc.record({ key: keyName, slot: fc.constant({ kind: 'data', value: SECRET } as const) }) },
)

const VALID_BASES: readonly Readonly<Record<string, string>>[] = [
  { ZEEBE_CLIENT_ID: 'c', ZEEBE_CLIENT_SECRET: SECRET, ZEEBE_AUTHORIZATION_SERVER_URL: SAAS_TOKEN_URL },
  {
    ZEEBE_ADDRESS: '6f1c2a7e.bru-2.zeebe.camunda.io:443',
    ZEEBE_CLIENT_ID: 'c',
    ZEEBE_CLIENT_SECRET: SECRET,
    ZEEBE_AUTHORIZATION_SERVER_URL: SAAS_TOKEN_URL,
    CAMUNDA_CLUSTER_ID: '6f1c2a7e',
    CAMUNDA_CLUSTER_REGION: 'bru-2',
    CAMUNDA_CREDENTIALS_SCOPES: 'Zeebe,Operate',
    CAMUNDA_OPERATE_BASE_URL: 'https://bru-2.operate.camunda.io/6f1c2a7e',
  },
  {
    CAMUNDA_CLIENT_ID: 'local',
    CAMUNDA_CLIENT_SECRET: SECRET,
    CAMUNDA_OAUTH_URL: 'http://127.0.0.1:18080/token',
    CAMUNDA_REST_ADDRESS: 'http://localhost:8080',
  },
]

/** A valid bundle to build on, so that some cases parse successfully. */
export const validBase = fc.option(fc.constantFrom(...VALID_BASES), { nil: undefined, freq: 2 })

/** How the object is built. */
export type EnvMode = 'assign' | 'null-prototype' | 'define' | 'json'

/** A generated env-like object, its recipe, and whether the secret sits only under secret variables. */
export interface EnvCase {
  readonly mode: EnvMode
  readonly base: Readonly<Record<string, string>> | undefined
  readonly entries: readonly EnvEntry[]
  /** Built lazily per run: proxies and getters must be fresh. */
  build(): object
  readonly secretOnly: boolean
}

function mentionsSecret(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(SECRET)
  if (depth > 4 || typeof value !== 'object' || value === null) return false
  try {
    return Object.values(value).some((v) => mentionsSecret(v, depth + 1))
  } catch {
    return false
  }
}

function slotMentionsSecret(s: Slot): boolean {
  return s.kind === 'throws' ? s.message.includes(SECRET) : mentionsSecret(s.value)
}

function jsonish(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null'
  } catch {
    return 'null'
  }
}

function buildEnv(mode: EnvMode, base: Readonly<Record<string, string>> | undefined, entries: readonly EnvEntry[]): object {
  const all: EnvEntry[] = [
    ...Object.entries(base ?? {}).map(([key, value]) => ({ key, slot: { kind: 'data', value } }) as const),
    ...entries,
  ]
  if (mode === 'json') {
    // Own `__proto__` keys are only possible through JSON.parse (or defineProperty).
    const members = all
      .filter((e) => e.slot.kind !== 'throws')
      .map((e) => `${JSON.stringify(e.key)}:${jsonish(resolve((e.slot as { value: unknown }).value))}`)
    return JSON.parse(`{${members.join(',')}}`) as object
  }
  const target: Record<string, unknown> = mode === 'null-prototype' ? Object.create(null) : {}
  for (const { key, slot: s } of all) {
    // Plain assignment cannot replace an accessor defined by an earlier entry with the same key.
    if (s.kind === 'data' && mode !== 'define' && !Object.getOwnPropertyDescriptor(target, key)?.get) {
      // A plain assignment: `target.__proto__ = object` swaps the prototype, as naive code would.
      // Once the prototype is a throwing Proxy, assignments throw too: define the property instead.
      try {
        target[key] = resolve(s.value)
        continue
      } catch {
        // fall through
      }
    }
    const descriptor: PropertyDescriptor =
      s.kind === 'data'
        ? { value: resolve(s.value), enumerable: true, configurable: true, writable: true }
        : s.kind === 'getter'
          ? { get: () => resolve(s.value), enumerable: true, configurable: true }
          : {
              get: () => {
                throw new Error(s.message)
              },
              enumerable: true,
              configurable: true,
            }
    Object.defineProperty(target, key, descriptor)
  }
  return target
}

/** Env-like objects built from random keys and hostile values, four different ways. */
export const envCase: fc.Arbitrary<EnvCase> = fc
  .record({
    mode: fc.constantFrom<EnvMode>('assign', 'null-prototype', 'define', 'json'),
    base: validBase,
    entries: fc.array(entry, { maxLength: 10 }),
  })
  .map(({ mode, base, entries }) => ({
    mode,
    base,
    entries,
    build: shown(() => buildEnv(mode, base, entries), { mode, base, entries }),
    secretOnly: entries.every((e) => SECRET_VARIABLES.has(e.key) || !slotMentionsSecret(e.slot)),
  }))

const validText = (secret = SECRET) =>
  `export ZEEBE_CLIENT_ID='c'\nexport ZEEBE_CLIENT_SECRET='${secret}'\nexport ZEEBE_AUTHORIZATION_SERVER_URL='${SAAS_TOKEN_URL}'\n`

/** Sources that are not env objects, and objects that only look like one. Fresh per run. */
export const otherSource: fc.Arbitrary<() => unknown> = fc.oneof(
  fc.constantFrom<() => unknown>(
    () => null,
    () => undefined,
    () => 0,
    () => -0,
    () => Number.NaN,
    () => Number.POSITIVE_INFINITY,
    () => 10n,
    () => true,
    () => Symbol('source'),
    () => Symbol.iterator,
    () => () => VALID_BASES[0],
    () => Object.assign(function env() {}, VALID_BASES[0]),
    () => class Env {},
    () => [],
    () => [VALID_BASES[0]],
    () => Object.assign([], VALID_BASES[0]),
    () => new TextEncoder().encode(validText()),
    () => new TextEncoder().encode(validText()).buffer,
    () => new DataView(new ArrayBuffer(8)),
    () => new Float64Array(4),
    () => new Map(Object.entries(VALID_BASES[0]!)),
    () => new Set(Object.values(VALID_BASES[0]!)),
    () => new WeakMap(),
    () => new Date(),
    () => /ZEEBE_CLIENT_ID=c/,
    () => Promise.resolve(VALID_BASES[0]),
    () => new String(validText()),
    () => new Number(1),
    () => new Error('SENTINEL'),
    () => Object.create(null),
    () => Object.create(VALID_BASES[0]!),
    () => Object.freeze({ ...VALID_BASES[0] }),
    () => throwingProxy(),
    () => revokedProxy(),
    () =>
      new Proxy(
        { ...VALID_BASES[0] },
        {
          getOwnPropertyDescriptor: () => {
            throw new Error(SECRET)
          },
        },
      ),
    () =>
      new Proxy(
        { ...VALID_BASES[0] },
        {
          get: (t, k) => {
            if (k === 'ZEEBE_CLIENT_ID') throw new Error(SECRET)
            return Reflect.get(t, k)
          },
        },
      ),
    () => new Proxy({ ...VALID_BASES[0] }, { get: (_t, k) => (k === 'ZEEBE_CLIENT_SECRET' ? SECRET : 1) }),
  ),
  fc.double().map((d) => () => d),
  fc.bigInt().map((b) => () => b),
)

// ---------------------------------------------------------------------------------------------
// (2) credential file text
// ---------------------------------------------------------------------------------------------

/** One line of a file, and whether it carries the secret outside a secret variable's value. */
interface Line {
  readonly text: string
  readonly secretElsewhere: boolean
}

const ws = fc.constantFrom('', '', ' ', '\t', '  ')
const lineEnd = fc.constantFrom('\n', '\n', '\r\n', '\r')

const assignment = (key: fc.Arbitrary<string>, value: fc.Arbitrary<string>) =>
  fc
    .record({
      exp: fc.constantFrom('', 'export ', 'export\t', 'export  ', 'EXPORT '),
      key,
      before: ws,
      after: ws,
      quote: fc.constantFrom('', "'", '"'),
      value,
      closed: fc.oneof({ weight: 12, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      trailing: fc.constantFrom('', '', '', ' # from the Console', '#x', ' junk', "'", ' ', '\t# c'),
    })
    .map((l) => ({
      key: l.key,
      text: `${l.exp}${l.key}${l.before}=${l.after}${l.quote}${l.value}${l.closed ? l.quote : ''}${l.trailing}`,
    }))

const plainLine: fc.Arbitrary<Line> = fc
  .oneof(
    { weight: 10, arbitrary: assignment(keyName, stringValue) },
    { weight: 3, arbitrary: assignment(fc.constantFrom(...SECRET_VARIABLES), secretValue) },
    // Lines without "=": a lone name, an exported name, a random word.
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          keyName,
          keyName.map((k) => `export ${k}`),
          anyString.filter((s) => !s.includes('=')),
        )
        .map((text) => ({ key: '', text })),
    },
    { weight: 1, arbitrary: fc.oneof(anyString, fc.constant('')).map((s) => ({ key: '', text: `#${s}` })) },
    { weight: 1, arbitrary: ws.map((text) => ({ key: '', text })) },
    { weight: 2, arbitrary: nastyString.map((text) => ({ key: '', text })) },
    // Rarely: the secret as a bare line or under another name (no secrecy assertion then).
    {
      weight: 1,
      arbitrary: fc.constantFrom(SECRET, `ZEEBE_CLIENT_ID=${SECRET}`, `export ${SECRET}='x'`).map((text) => ({ key: '', text })),
    },
  )
  .map((l) => ({ text: l.text, secretElsewhere: l.text.includes(SECRET) && !SECRET_VARIABLES.has(l.key) }))

/** Generated text, and whether the secret is only ever a secret variable's value. */
export interface TextCase {
  readonly text: string
  readonly secretOnly: boolean
}

const dotenvText: fc.Arbitrary<TextCase> = fc
  .record({
    bom: fc.oneof({ weight: 15, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constant('\ufeff') }),
    base: fc.option(fc.constantFrom(validText(), validText().replace(/\n/g, '\r\n'), validText().replace(/'/g, '"')), { nil: '', freq: 2 }),
    lines: fc.array(fc.tuple(plainLine, lineEnd), { maxLength: 12 }),
    baseFirst: fc.boolean(),
  })
  .map(({ bom, base, lines, baseFirst }) => {
    const body = lines.map(([l, end]) => l.text + end).join('')
    return {
      text: bom + (baseFirst ? base + body : body + base),
      secretOnly: lines.every(([l]) => !l.secretElsewhere),
    }
  })

const jsonMember = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(keyName, fc.oneof(stringValue, fc.jsonValue({ maxDepth: 2 }))) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...SECRET_VARIABLES), secretValue) },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constantFrom(...POLLUTION_KEYS),
      fc.constantFrom<unknown>(
        { polluted: 'yes', ZEEBE_CLIENT_SECRET: 'not-the-sentinel' },
        { prototype: { polluted: 'yes' } },
        { __proto__: { polluted: 'yes' } },
        'yes',
        null,
      ),
    ),
  },
)

// `{"__proto__": {...}}` written out by hand: JSON.stringify would never produce an own __proto__.
const jsonEnvText: fc.Arbitrary<TextCase> = fc
  .record({
    lead: ws,
    base: fc.option(fc.constantFrom(...VALID_BASES), { nil: undefined }),
    members: fc.array(jsonMember, { maxLength: 8 }),
    cut: fc.oneof({ weight: 8, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat() }),
  })
  .map(({ lead, base, members, cut }) => {
    const all = [...Object.entries(base ?? {}), ...members]
    const member = ([k, v]: readonly [string, unknown]) => `${JSON.stringify(k)}:${jsonish(v)}`
    const full = `${lead}{${all.map(member).join(',')}}`
    return {
      text: cut < 0 ? full : full.slice(0, cut % (full.length + 1)),
      secretOnly: members.every(([k, v]) => SECRET_VARIABLES.has(k) || !mentionsSecret(v)),
    }
  })

const hugeText: fc.Arbitrary<TextCase> = fc
  .record({ filler: hugeString, shape: fc.constantFrom('comment', 'value', 'raw', 'json') })
  .map(({ filler, shape }) => ({
    text:
      shape === 'comment'
        ? `${validText()}# ${filler}\n`
        : shape === 'value'
          ? `${validText()}ZEEBE_CLIENT_ID='${filler}'\n`
          : shape === 'json'
            ? `{"ZEEBE_CLIENT_ID":${JSON.stringify(filler)}}`
            : filler,
    secretOnly: true,
  }))

/** Every kind of text `parseCredentials` may be handed. */
export const textCase: fc.Arbitrary<TextCase> = fc.oneof(
  { weight: 12, arbitrary: dotenvText },
  { weight: 4, arbitrary: jsonEnvText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ text, secretOnly: true })) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }).map((text) => ({ text, secretOnly: true })) },
  { weight: 2, arbitrary: fc.string({ unit: nastyString, maxLength: 20 }).map((text) => ({ text, secretOnly: true })) },
  { weight: 1, arbitrary: fc.json().map((text) => ({ text, secretOnly: true })) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => ({ text: JSON.stringify(v), secretOnly: true })) },
  { weight: 1, arbitrary: hugeText },
)

// ---------------------------------------------------------------------------------------------
// (3)(4) token endpoint answers
// ---------------------------------------------------------------------------------------------

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null')).toString('base64url')

/** Numbers (and not-numbers) for `exp`, `iat`, `expires_in`. */
export const edgeNumber: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -100_000, max: 1_000_000 }) },
  { weight: 2, arbitrary: fc.double() },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      0,
      -0,
      1,
      4,
      5,
      6,
      60,
      300,
      3600,
      86_400,
      86_401,
      1e9,
      2 ** 53,
      -1,
      -1e9,
      1e305,
      1e306,
      1e307,
      Number.MAX_VALUE,
      -1e305,
      -1e306,
      -1e307,
      -Number.MAX_VALUE,
      Number.MIN_VALUE,
      Number.EPSILON,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '60',
      ' 60 ',
      '300.5',
      '-1',
      '0',
      '1e3',
      '0x10',
      'Infinity',
      'NaN',
      '',
      ' ',
      '٣٠٠',
      '60s',
      '+60',
      '9'.repeat(300),
      `-${'9'.repeat(305)}`,
      `-${'9'.repeat(400)}`,
      '9'.repeat(400),
    ),
  },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.constant([60])) },
)

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** `exp`/`iat` near now (so some tokens are usable), or anything at all. */
const claimTime = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -4000, max: 200_000 }).map((d) => ({ relative: d })) },
  { weight: 2, arbitrary: edgeNumber.map((v) => ({ absolute: v })) },
  { weight: 1, arbitrary: fc.constant({ absent: true }) },
)

type ClaimTime = { relative: number } | { absolute: unknown } | { absent: true }

function resolveTime(t: ClaimTime): unknown {
  if ('relative' in t) return nowSeconds() + t.relative
  if ('absolute' in t) return t.absolute
  return undefined
}

/** JWT-shaped strings: real claims, broken segments, or junk that merely looks like one. */
export const jwtish: fc.Arbitrary<() => string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        exp: claimTime,
        iat: claimTime,
        alg: fc.constantFrom('RS256', 'none', ''),
        sig: fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/),
      })
      .map((r) =>
        shown(() => `${b64({ alg: r.alg, typ: 'JWT' })}.${b64({ sub: 'c', exp: resolveTime(r.exp), iat: resolveTime(r.iat) })}.${r.sig}`, {
          jwt: r,
        }),
      ),
  },
  { weight: 1, arbitrary: fc.tuple(anyString, anyString).map(([h, p]) => shown(() => `${b64(h)}.${b64(p)}.sig`, { jwtParts: [h, p] })) },
  {
    weight: 1,
    arbitrary: fc.jsonValue({ maxDepth: 2 }).map((claims) => shown(() => `${b64({ alg: 'none' })}.${b64(claims)}.`, { jwtClaims: claims })),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^eyJ[A-Za-z0-9_-]{0,30}(\.[A-Za-z0-9_-]{0,30}){0,4}$/).map((s) => shown(() => s, s)) },
)

const opaqueToken = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,64}=*$/),
  fc.constantFrom('x', '.', '=', '==', 'a b', 'abc\n', 'tök', 'x'.repeat(16_384), 'x'.repeat(16_385), SECRET),
  anyString,
)

// Stands for "the access token itself" in token_type.
const SAME_AS_TOKEN = Symbol('same as access_token')

const tokenType: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('Bearer', 'bearer', 'BEARER', 'BeArEr') },
  { weight: 2, arbitrary: fc.constantFrom(' Bearer', 'Bearer ', 'mac', 'DPoP', 'N_A', '', 'Bearer\0', 'ｂｅａｒｅｒ', 'Basic') },
  { weight: 1, arbitrary: fc.oneof(anyString, fc.integer(), fc.constant(null), fc.constant(['Bearer']), fc.constant({ type: 'Bearer' })) },
  // A server that mixes up its fields.
  { weight: 1, arbitrary: fc.constant(SAME_AS_TOKEN) },
  { weight: 1, arbitrary: fc.constant(undefined) },
)

/** A token response that is right, or wrong in one or two fields. */
export const nearValidTokenBody: fc.Arbitrary<() => Record<string, unknown>> = fc
  .record({
    token: fc.oneof({ weight: 3, arbitrary: jwtish }, { weight: 2, arbitrary: opaqueToken.map((t) => shown(() => t, t)) }),
    seed: fc.nat(),
    expiresIn: fc.oneof({ weight: 4, arbitrary: edgeNumber }, { weight: 1, arbitrary: fc.constant(undefined) }),
    scope: fc.option(fc.oneof(fc.string(), fc.integer()), { nil: undefined }),
    extras: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(...POLLUTION_KEYS)), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    tokenMissing: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    accessTokenOther: fc.oneof(fc.integer(), fc.constant(null), fc.constant(['x']), fc.constant({})),
  })
  .chain((r) =>
    // A token is made per run (JWTs use the current time), so the body is built then.
    tokenType.map((tt) =>
      shown(
        () => {
          const token = r.token()
          const body: Record<string, unknown> = { ...r.extras }
          if (!r.tokenMissing) body.access_token = token
          else if (r.seed % 2 === 0) body.access_token = r.accessTokenOther
          if (tt !== undefined) body.token_type = tt === SAME_AS_TOKEN ? token : tt
          if (r.expiresIn !== undefined) body.expires_in = r.expiresIn
          if (r.scope !== undefined) body.scope = r.scope
          return body
        },
        { ...r, tokenType: tt },
      ),
    ),
  )

/** Bodies for parseTokenResponse: any JSON value, near-valid token bodies, bodies with __proto__ keys. */
export const tokenResponseBody: fc.Arbitrary<() => unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue().map((v) => shown(() => v, v)) },
  { weight: 6, arbitrary: nearValidTokenBody },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      () => JSON.parse('{"__proto__": {"access_token": "x", "token_type": "Bearer", "expires_in": 60}}'),
      () => JSON.parse('{"access_token": "abc", "__proto__": {"token_type": "Bearer"}}'),
      () => JSON.parse('{"access_token": "abc", "token_type": "Bearer", "constructor": {"prototype": {"polluted": 1}}}'),
      () => JSON.parse('{"access_token": "abc", "token_type": "Bearer", "expires_in": {"__proto__": 60}}'),
      () => Object.create({ access_token: 'abc', token_type: 'Bearer' }),
    ),
  },
)

/** Text an endpoint may answer with: token JSON, OAuth errors, echoes of the request, junk. */
export const responseText: fc.Arbitrary<() => string> = fc.oneof(
  { weight: 6, arbitrary: nearValidTokenBody.map((b) => shown(() => JSON.stringify(b()), `JSON.stringify((${fc.stringify(b)})())`)) },
  {
    weight: 3,
    arbitrary: fc
      .record({
        error: fc.oneof(
          fc.constantFrom('invalid_client', 'invalid_request', 'unauthorized_client', 'slow_down', SECRET),
          anyString,
          fc.integer(),
        ),
        description: fc.option(
          fc.oneof(anyString, fc.constantFrom(`client_secret ${SECRET} is wrong`, `bad secret: ${SECRET}`, 'x'.repeat(5000))),
          { nil: undefined },
        ),
        jwt: jwtish,
        withJwt: fc.boolean(),
      })
      .map((r) =>
        shown(
          () =>
            JSON.stringify({
              error: r.error,
              error_description: r.withJwt && r.description !== undefined ? `${r.description} ${r.jwt()}` : r.description,
            }),
          { oauthError: r },
        ),
      ),
  },
  // An echo server: the request (and so the secret) reflected back.
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      () => `grant_type=client_credentials&client_id=c&client_secret=${SECRET}&audience=zeebe.camunda.io`,
      () => JSON.stringify({ form: { client_id: 'c', client_secret: SECRET }, url: 'https://login.cloud.camunda.io/oauth/token' }),
      () => JSON.stringify({ access_token: SECRET, token_type: 'Bearer', expires_in: 60 }),
      () => JSON.stringify({ access_token: 'abc', token_type: SECRET, expires_in: 60 }),
      () => JSON.stringify({ error: SECRET, error_description: SECRET }),
      () => `<html><body>Bad client secret ${SECRET}</body></html>`,
    ),
  },
  { weight: 2, arbitrary: fc.json().map((t) => shown(() => t, t)) },
  { weight: 2, arbitrary: anyString.map((t) => shown(() => t, t)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      () => '',
      () => '   ',
      () => '<!doctype html><h1>502</h1>',
      () => 'null',
      () => '[]',
      () => '{"access_token":',
    ),
  },
  // Over the 64 KiB the exchange reads.
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 60_000, max: 70_000 })
      .map((n) => shown(() => `{"access_token":"${'a'.repeat(n)}"}`, `'{"access_token":"' + 'a'.repeat(${n}) + '"}'`)),
  },
)

/** Retry-After values: seconds, dates, and junk (all valid header values). */
export const retryAfter = fc.option(
  fc.oneof(
    fc.nat().map(String),
    fc.constantFrom('0', '-5', '1.5', '1e3', ' 2 ', 'abc', 'Wed, 21 Oct 2015 07:28:00 GMT', '99999999999999999999999'),
    fc.integer({ min: -10_000, max: 200_000 }).map((s) => new Date(Date.now() + s * 1000).toUTCString()),
    fc.string(),
  ),
  { nil: undefined },
)

/** Response statuses a token endpoint may answer with (the Response constructor allows 200–599). */
export const status = fc.oneof(
  fc.integer({ min: 200, max: 599 }),
  fc.constantFrom(200, 200, 201, 204, 205, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 429, 500, 502, 503, 504),
)

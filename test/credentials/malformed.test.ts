import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CredentialsError } from '../../src/errors.ts'
import { parseCredentials } from '../../src/credentials/index.ts'
import { MINIMAL } from './fixtures.ts'
import { thrownBy } from '../helpers/thrown.ts'
import { issuesOf } from './helpers.ts'

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort()

function expectPrototypeUntouched(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS)
  const probe = {} as Record<string, unknown>
  expect(probe.polluted).toBeUndefined()
  expect(probe.ZEEBE_CLIENT_SECRET).toBeUndefined()
  expect(typeof probe.constructor).toBe('function')
}

/** Parse `source`; it must throw a CredentialsError (never anything else). */
function expectCredentialsError(source: unknown): CredentialsError {
  const thrown = thrownBy(() => parseCredentials(source))
  expect(thrown).toBeInstanceOf(CredentialsError)
  expect((thrown as CredentialsError).code).toBe('ERR_CREDENTIALS_INVALID')
  expect((thrown as CredentialsError).issues.length).toBeGreaterThan(0)
  return thrown as CredentialsError
}

describe('malformed input', () => {
  beforeEach(expectPrototypeUntouched)
  afterEach(expectPrototypeUntouched)

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['NaN', Number.NaN],
    ['a bigint', 10n],
    ['a boolean', true],
    ['a symbol', Symbol('x')],
    ['a function', () => MINIMAL],
    ['an array', [MINIMAL]],
    ['a Uint8Array', new TextEncoder().encode('ZEEBE_CLIENT_ID=x')],
    ['an ArrayBuffer', new ArrayBuffer(8)],
  ])('rejects %s as a source with a (source) issue', (_, source) => {
    const err = expectCredentialsError(source)
    expect(err.issues).toEqual([expect.objectContaining({ variable: '(source)' })])
  })

  it.each([
    ['an empty string', ''],
    ['an empty object', {}],
    ['a Map', new Map(Object.entries(MINIMAL))],
    ['a Date', new Date()],
    ['JSON null', 'null'],
    ['a JSON array', '[{"ZEEBE_CLIENT_ID":"x"}]'],
    ['truncated JSON', '{"ZEEBE_CLIENT_ID":'],
    ['JSON with a nested object', '{"ZEEBE_CLIENT_ID":{"a":1}}'],
    ['deeply nested JSON', `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ['a lone quote', "'"],
    ['only "="', '='],
    ['a key with spaces', 'A B=c'],
  ])('rejects %s with a CredentialsError', (_, source) => {
    expectCredentialsError(source)
  })

  it('rejects binary junk as binary data', () => {
    const junk = String.fromCharCode(...randomBytes(2048))
    expect(expectCredentialsError(junk).issues).toEqual([{ variable: '(source)', message: 'contains binary data: expected text' }])
  })

  it('rejects text with a NUL byte even when it is otherwise a valid bundle', () => {
    expectCredentialsError(`ZEEBE_CLIENT_ID=id\u0000\nZEEBE_CLIENT_SECRET=s\nCAMUNDA_OAUTH_URL=https://x/t`)
  })

  it('rejects a string larger than 1 MiB before parsing it', () => {
    const text = `ZEEBE_CLIENT_ID=id\n# ${'x'.repeat(1024 * 1024)}`
    expect(expectCredentialsError(text).issues).toEqual([
      { variable: '(source)', message: 'is larger than 1 MiB: not a credential bundle' },
    ])
  })

  it('rejects a few MB of random printable text quickly', () => {
    const bytes = randomBytes(4 * 1024 * 1024)
    const text = Array.from(bytes, (b) => String.fromCharCode(32 + (b % 95))).join('')
    const started = performance.now()
    expectCredentialsError(text)
    expect(performance.now() - started).toBeLessThan(5_000) // a backtracking regex would take minutes; a busy CI core, a few seconds
  })

  it('rejects just under 1 MiB of random lines with a bounded list of issues', () => {
    const alphabet = 'ABCZ_=\'" #\n\r\tabc019{}'
    const bytes = randomBytes(1000 * 1024)
    const text = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')
    const err = expectCredentialsError(text)
    expect(err.issues.length).toBeLessThanOrEqual(30)
  })

  it('ignores __proto__, constructor and prototype keys in JSON', () => {
    const json = `{"__proto__":{"polluted":1,"ZEEBE_CLIENT_SECRET":"x"},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1},${JSON.stringify(MINIMAL).slice(1)}`
    const c = parseCredentials(json)
    expect(c.clientSecret).toBe(MINIMAL.ZEEBE_CLIENT_SECRET)
    expectCredentialsError('{"__proto__":{"ZEEBE_CLIENT_ID":"x","ZEEBE_CLIENT_SECRET":"y","CAMUNDA_OAUTH_URL":"https://x/t"}}')
  })

  it('ignores __proto__, constructor and prototype keys in text', () => {
    const text = [
      '__proto__=polluted',
      'constructor=x',
      'prototype=y',
      'export __proto__.polluted=1',
      ...Object.entries(MINIMAL).map(([k, v]) => `${k}=${v}`),
    ]
    expect(parseCredentials(text.join('\n')).clientId).toBe('my-client')
    expectCredentialsError('__proto__=a\nconstructor=b\nhasOwnProperty=c\ntoString=d')
  })

  it('ignores a __proto__ own property on an env object', () => {
    const env = JSON.parse(`{"__proto__":{"ZEEBE_CLIENT_SECRET":"inherited"},"ZEEBE_CLIENT_ID":"id","CAMUNDA_OAUTH_URL":"https://x/t"}`)
    expect(expectCredentialsError(env).issues.map((i) => i.variable)).toEqual(['ZEEBE_CLIENT_SECRET'])
  })

  it('turns a throwing getter into an issue naming the variable, without its message', () => {
    const env = {
      ...MINIMAL,
      get ZEEBE_CLIENT_SECRET(): string {
        throw new Error('leaked-secret-in-error')
      },
    }
    const err = expectCredentialsError(env)
    expect(err.issues).toEqual([{ variable: 'ZEEBE_CLIENT_SECRET', message: 'could not be read' }])
    expect(String(err)).not.toContain('leaked')
  })

  it('survives a Proxy whose every trap throws, and a revoked Proxy', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new TypeError('boom')
        },
        has: () => {
          throw new TypeError('boom')
        },
        getOwnPropertyDescriptor: () => {
          throw new TypeError('boom')
        },
        ownKeys: () => {
          throw new TypeError('boom')
        },
        getPrototypeOf: () => {
          throw new TypeError('boom')
        },
      },
    )
    expectCredentialsError(hostile)
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    expectCredentialsError(proxy)
  })

  it('gives a CredentialsError for every kind of value in every recognised variable', () => {
    const values: unknown[] = [null, 1, true, {}, [], Symbol('s'), 10n, () => 1, new Date(), 'x'.repeat(9000), '\u0000']
    for (const value of values) {
      for (const name of ['ZEEBE_CLIENT_ID', 'CAMUNDA_OAUTH_URL', 'CAMUNDA_CLUSTER_ID', 'CAMUNDA_OPERATE_BASE_URL']) {
        const issues = issuesOf(() => parseCredentials({ ...MINIMAL, [name]: value }))
        expect(issues.length).toBeGreaterThan(0)
      }
    }
  })
})

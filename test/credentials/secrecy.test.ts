import { inspect } from 'node:util'
import { describe, expect, it, vi } from 'vitest'
import { CredentialsError } from '../../src/errors.ts'
import { parseCredentials } from '../../src/credentials/index.ts'
import { thrownBy } from '../helpers/thrown.ts'
import { SAAS_SECRET, readFixture } from './fixtures.ts'

const credentials = parseCredentials(readFixture('saas-credentials.txt'))

describe('the client secret never shows', () => {
  it('is readable as clientSecret', () => {
    expect(credentials.clientSecret).toBe(SAAS_SECRET)
  })

  it('is absent from JSON.stringify, which shows "[redacted]"', () => {
    const json = JSON.stringify(credentials)
    expect(json).not.toContain(SAAS_SECRET)
    expect(JSON.parse(json)).toMatchObject({ clientId: credentials.clientId, clientSecret: '[redacted]' })
    expect(JSON.stringify({ nested: [credentials] })).not.toContain(SAAS_SECRET)
  })

  it('is absent from Object.keys, Object.entries, spreading and structuredClone', () => {
    expect(Object.keys(credentials)).not.toContain('clientSecret')
    expect(JSON.stringify(Object.entries(credentials))).not.toContain(SAAS_SECRET)
    expect({ ...credentials }).not.toHaveProperty('clientSecret')
    expect(Object.assign({}, credentials)).not.toHaveProperty('clientSecret')
    expect(JSON.stringify(structuredClone({ ...credentials }))).not.toContain(SAAS_SECRET)
    for (const key in credentials) expect(key).not.toBe('clientSecret')
  })

  it('is absent from util.inspect, also with showHidden and getters', () => {
    for (const options of [{}, { showHidden: true }, { showHidden: true, getters: true, depth: 10 }]) {
      const text = inspect(credentials, options)
      expect(text).not.toContain(SAAS_SECRET)
      expect(text).toContain('[redacted]')
    }
    expect(inspect({ wrapped: credentials }, { showHidden: true })).not.toContain(SAAS_SECRET)
  })

  it('is absent from console.log output', () => {
    const lines: string[] = []
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk))
      return true
    })
    try {
      console.log(credentials)
      console.log('%o', credentials)
      console.log(`${inspect(credentials)}`)
    } finally {
      spy.mockRestore()
    }
    expect(lines.join('')).not.toContain(SAAS_SECRET)
  })

  it('is frozen, deeply', () => {
    expect(Object.isFrozen(credentials)).toBe(true)
    expect(Object.isFrozen(credentials.audiences)).toBe(true)
    expect(Object.isFrozen(credentials.baseUrls)).toBe(true)
    expect(Object.isFrozen(credentials.grantedScopes)).toBe(true)
    expect(() => {
      ;(credentials as { clientSecret: string }).clientSecret = 'x'
    }).toThrow(TypeError)
    expect(credentials.clientSecret).toBe(SAAS_SECRET)
  })

  it('has toJSON and the inspect hook as non-enumerable properties', () => {
    const inspectHook = Symbol.for('nodejs.util.inspect.custom')
    expect(Object.getOwnPropertyDescriptor(credentials, 'toJSON')?.enumerable).toBe(false)
    expect(Object.getOwnPropertyDescriptor(credentials, inspectHook)?.enumerable).toBe(false)
    const secret = Object.getOwnPropertyDescriptor(credentials, 'clientSecret')
    expect(secret?.enumerable).toBe(false)
    expect(typeof secret?.get).toBe('function')
    expect(secret).not.toHaveProperty('value')
  })
})

describe('errors never show a secret', () => {
  const cases: Array<[string, unknown]> = [
    ['a conflicting alias', `${readFixture('saas-credentials.txt')}\nexport CAMUNDA_CLIENT_SECRET='second-secret-value-xyz'`],
    ['an unclosed quote', "ZEEBE_CLIENT_SECRET='second-secret-value-xyz"],
    ['a secret pasted on its own line', 'second-secret-value-xyz'],
    ['a secret as a line without "="', 'ZEEBE_CLIENT_SECRET second-secret-value-xyz'],
    ['invalid JSON', '{"ZEEBE_CLIENT_SECRET":"second-secret-value-xyz"'],
    ['a secret that is too long', { ZEEBE_CLIENT_SECRET: `second-secret-value-xyz${'!'.repeat(9000)}` }],
    ['a secret that is not a string', { ZEEBE_CLIENT_SECRET: ['second-secret-value-xyz'] }],
    [
      'a secret in the token URL',
      { ZEEBE_CLIENT_ID: 'x', ZEEBE_CLIENT_SECRET: 's', CAMUNDA_OAUTH_URL: 'http://u:second-secret-value-xyz@evil.com/' },
    ],
  ]

  it.each(cases)('%s: not in the message, String(err), err.stack, issues or inspect', (_, source) => {
    const err = thrownBy(() => parseCredentials(source))
    expect(err).toBeInstanceOf(CredentialsError)
    const e = err as CredentialsError
    for (const text of [
      e.message,
      String(e),
      e.stack ?? '',
      JSON.stringify(e.issues),
      JSON.stringify(e),
      inspect(e, { showHidden: true, depth: 10 }),
    ]) {
      expect(text).not.toContain('second-secret-value-xyz')
      expect(text).not.toContain(SAAS_SECRET)
    }
  })
})

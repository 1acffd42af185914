/**
 * The store key names one credential set: the same set written differently (a PEM with CRLF line
 * ends, or on one line with \n escapes, as .env files and secret managers hold it) is the same
 * key, so processes reading the key from different places still share one token.
 */
import { describe, expect, it } from 'vitest'
import { devCredentials } from '../../src/dev-server.ts'
import { parseCredentials } from '../../src/index.ts'
import { storeKey } from '../../src/token/store-key.ts'
import { clientKey } from '../helpers/keys.ts'

describe('storeKey for private_key_jwt', () => {
  it('the same PEM with LF, CRLF or \\n escapes gives one store key; another key another', async () => {
    const key = await clientKey('ES256')
    const other = await clientKey('ES256')
    const bundle = (pem: string) =>
      parseCredentials({ ...devCredentials('http://127.0.0.1:9', { clientId: 'kj' }), CAMUNDA_CLIENT_ASSERTION_KEY: pem })
    const keys = await Promise.all(
      [key.pem, key.pem.replace(/\n/g, '\r\n'), key.pem.trim().replace(/\n/g, '\\n'), other.pem].map((pem) =>
        storeKey(bundle(pem), 'zeebe.camunda.io'),
      ),
    )
    expect(new Set(keys.slice(0, 3)).size).toBe(1)
    expect(keys[3]).not.toBe(keys[0])
  })
})

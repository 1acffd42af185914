import { describe, expect, it } from 'vitest'
import { deriveEncryptionKey, encryptedStore, memoryStore, type AuthEvent, type TokenStore } from '../../src/index.ts'
import { harness } from '../helpers/harness.ts'

/** A store that keeps exactly what it is given, so a test can read it raw. */
function rawStore() {
  const records = new Map<string, unknown>()
  const store: TokenStore = {
    get: async (key) => records.get(key),
    set: async (key, record) => void records.set(key, structuredClone(record)),
    delete: async (key) => void records.delete(key),
  }
  return { store, records }
}

const newKey = () => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])

describe('encryptedStore', () => {
  it('stores no plaintext token and gives it back to a reader with the key', async () => {
    const { make, server, credentials } = harness()
    const { store, records } = rawStore()
    const key = await newKey()
    const token = await make({ store: encryptedStore(store, key) }).getToken()
    const raw = JSON.stringify([...records.values()])
    expect(raw).not.toContain(token)
    expect(raw).not.toContain(token.split('.')[1])
    expect(raw).not.toContain(credentials.clientSecret)
    expect(raw).toMatch(/"sealed":"[\w-]+"/)
    expect(await make({ store: encryptedStore(store, key) }).getToken()).toBe(token)
    expect(server.requests()).toBe(1)
  })

  it('reads a record sealed with another key as having no token, and replaces it', async () => {
    const { make, server } = harness()
    const { store } = rawStore()
    const first = await make({ store: encryptedStore(store, await newKey()) }).getToken()
    const second = await make({ store: encryptedStore(store, await newKey()) }).getToken()
    expect(second).not.toBe(first)
    expect(server.requests()).toBe(2)
  })

  it('refuses a sealed record copied under another store key, and says so', async () => {
    const key = await newKey()
    const { store, records } = rawStore()
    const sealed = encryptedStore(store, key)
    const events: AuthEvent[] = []
    sealed.connect?.((event) => events.push(event))
    await sealed.set('a', { v: 1, key: 'a', token: { accessToken: 'abc', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } }, 60_000)
    records.set('b', records.get('a'))
    expect(await sealed.get('a')).toMatchObject({ token: { accessToken: 'abc' } })
    expect(await sealed.get('b')).toBeUndefined()
    expect(events).toEqual([{ type: 'store_error', operation: 'get', message: expect.stringMatching(/did not authenticate/) }])
  })

  it('refuses a tampered ciphertext', async () => {
    const { store, records } = rawStore()
    const sealed = encryptedStore(store, await newKey())
    await sealed.set('a', { v: 1, key: 'a', token: { accessToken: 'abc', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } }, 60_000)
    const record = records.get('a') as { sealed: string }
    const flipped = record.sealed.slice(0, -2) + (record.sealed.endsWith('A') ? 'BB' : 'AA')
    records.set('a', { sealed: flipped })
    expect(await sealed.get('a')).toBeUndefined()
  })

  it('refuses a record written in clear beside the sealed ones: a forged cooldown reads as nothing', async () => {
    const { store, records } = rawStore()
    const sealed = encryptedStore(store, await newKey())
    records.set('a', { v: 1, key: 'a', cooldown: { reason: 'invalid_client', until: Date.now() + 86_400_000, failures: 1 } })
    expect(await sealed.get('a')).toBeUndefined()
  })

  it('derives the same key from the same secret in every context, and another from a rotated one', async () => {
    const { store } = rawStore()
    const record = { v: 1 as const, key: 'a', token: { accessToken: 'abc', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } }
    await encryptedStore(store, () => deriveEncryptionKey('secret-one')).set('a', record, 60_000)
    expect(await encryptedStore(store, () => deriveEncryptionKey('secret-one')).get('a')).toEqual(record)
    expect(await encryptedStore(store, () => deriveEncryptionKey('secret-two')).get('a')).toBeUndefined()
  })

  it('seals records without a token too: a cooldown is neither readable nor forgeable at rest', async () => {
    const inner = memoryStore()
    const sealed = encryptedStore(inner, await newKey())
    const cooldown = { reason: 'backoff' as const, until: Date.now() + 1000, failures: 1 }
    await sealed.set('a', { v: 1, key: 'a', cooldown }, 1000)
    expect(Object.keys((await inner.get('a')) as object)).toEqual(['sealed'])
    expect(await sealed.get('a')).toEqual({ v: 1, key: 'a', cooldown })
  })
})

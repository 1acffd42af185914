import { describe, expect, it } from 'vitest'
import { deriveEncryptionKey, encryptedStore, memoryStore, type TokenStore } from '../../src/index.ts'
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

  it('refuses a sealed token copied under another store key', async () => {
    const key = await newKey()
    const { store, records } = rawStore()
    const sealed = encryptedStore(store, key)
    await sealed.set('a', { v: 1, key: 'a', token: { accessToken: 'abc', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } }, 60_000)
    records.set('b', { ...(records.get('a') as object), key: 'b' })
    expect(await sealed.get('a')).toMatchObject({ token: { accessToken: 'abc' } })
    expect(await sealed.get('b')).toEqual({ v: 1, key: 'b' })
  })

  it('refuses a tampered ciphertext', async () => {
    const { store, records } = rawStore()
    const sealed = encryptedStore(store, await newKey())
    await sealed.set('a', { v: 1, key: 'a', token: { accessToken: 'abc', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } }, 60_000)
    const record = records.get('a') as { token: { sealed: string } }
    const flipped = record.token.sealed.slice(0, -2) + (record.token.sealed.endsWith('A') ? 'BB' : 'AA')
    records.set('a', { ...record, token: { ...record.token, sealed: flipped } })
    expect((await sealed.get('a')) as object).not.toHaveProperty('token')
  })

  it('derives the same key from the same secret in every context, and another from a rotated one', async () => {
    const { store } = rawStore()
    const record = { v: 1 as const, key: 'a', token: { accessToken: 'abc', expiresAt: Date.now() + 60_000, receivedAt: Date.now() } }
    await encryptedStore(store, () => deriveEncryptionKey('secret-one')).set('a', record, 60_000)
    expect(await encryptedStore(store, () => deriveEncryptionKey('secret-one')).get('a')).toEqual(record)
    expect(await encryptedStore(store, () => deriveEncryptionKey('secret-two')).get('a')).toEqual({ v: 1, key: 'a' })
  })

  it('passes records without a token through unchanged', async () => {
    const inner = memoryStore()
    const sealed = encryptedStore(inner, await newKey())
    const cooldown = { reason: 'backoff' as const, until: Date.now() + 1000, failures: 1 }
    await sealed.set('a', { v: 1, key: 'a', cooldown }, 1000)
    expect(await inner.get('a')).toEqual({ v: 1, key: 'a', cooldown })
  })
})

/**
 * The key tokens are stored under: a SHA-256 hash (Web Crypto) of everything that makes a token
 * different. A rotated secret, another client or another audience gets another key, so they never
 * share a token, and the key itself reveals nothing.
 * @module
 */

import { compactKeyText } from '../lib/key-text.ts'
import type { Credentials } from '../types.ts'

/**
 * Prefix of every key this package writes; bump the version when the record format changes (v2:
 * records are sealed whole, so v1 records, with their times in clear, are never read).
 */
export const STORE_KEY_PREFIX = 'camunda-edge-auth:v2:'

/**
 * The store key for one credential set, audience and scope. The fingerprint covers the private key
 * of `private_key_jwt` too (appended only when there is one, so keys of secret-only bundles stay
 * as they were).
 */
export async function storeKey(credentials: Credentials, audience: string | undefined, scope = credentials.scope): Promise<string> {
  const key = credentials.clientAssertionKey ? `\0key\0${compactKeyText(credentials.clientAssertionKey)}` : ''
  const secretFingerprint = await sha256Hex(`camunda-edge-auth secret\0${credentials.clientSecret}${key}`)
  const parts = [credentials.tokenUrl, credentials.clientId, secretFingerprint, audience ?? '', scope ?? '']
  return STORE_KEY_PREFIX + (await sha256Hex(JSON.stringify(parts)))
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/**
 * camunda-edge-auth: a Camunda 8 credential bundle in, valid bearer tokens and API URLs out, on
 * web APIs alone (Workers, Deno, browsers, Node ≥ 20).
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 *
 * const auth = createAuth({ credentials: parseCredentials(env) })
 * const response = await auth.fetch('zeebe', '/v2/topology')
 * ```
 * @module camunda-edge-auth
 */

export { createAuth, type Auth, type AuthHeaders, type AuthOptions } from './auth/create-auth.ts'
export type { BackoffPolicy } from './auth/cooldown.ts'
export { parseCredentials, type ParseCredentialsOptions } from './credentials/index.ts'
export { createUrls } from './urls/index.ts'
export type * from './urls/index.ts'
export { memoryStore } from './stores/memory.ts'
export { encryptedStore, deriveEncryptionKey, type EncryptionKeySource } from './stores/encrypted.ts'
export { inProcessCoordinator } from './coordinators/in-process.ts'
export type { AudienceParam } from './token/exchange.ts'
export * from './errors.ts'
export { APIS } from './types.ts'
export type * from './types.ts'

// Not exported on purpose: how records are keyed and read back (storeKey, readStoredRecord),
// redaction, the exchange itself and the slot state. They are internals that may change in any
// release; tests import them from src/. A custom TokenStore needs only the TokenStore interface.

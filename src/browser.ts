/**
 * camunda-edge-auth/browser: one token refresh across every tab of an origin, tokens sealed at rest
 * in IndexedDB, and the browser side of the token broker (no client secret in the page).
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { indexedDBStore, webLocksCoordinator } from 'camunda-edge-auth/browser'
 *
 * const auth = createAuth({ credentials: parseCredentials(config), store: indexedDBStore(), coordinator: webLocksCoordinator() })
 * ```
 * @module camunda-edge-auth/browser
 */

export { type LockRequester, webLocksCoordinator, type WebLocksCoordinatorOptions } from './browser/web-locks.ts'
export { indexedDBStore, type IndexedDBStoreOptions } from './browser/indexeddb-store.ts'
export { brokerTokenSource, type BrokerTokenSourceOptions, type BrokerTokenSource } from './broker/broker-token-source.ts'

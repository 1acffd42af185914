/**
 * How the pure fetch handler asks for a connection reset, which a `Response` cannot express.
 * @module
 */

const MARK = Symbol.for('camunda-edge-auth.dev-server.connection-reset')

/**
 * Thrown by `server.fetch` for the `{ reset: true }` fault.
 *
 * It is a `TypeError` with message `fetch failed` and a `cause` whose `code` is `ECONNRESET`: what
 * Node's own `fetch` rejects with when a socket is reset. So code that uses `server.fetch`
 * in-process as its `fetch` sees what it would see over the network, and the Node listener
 * recognises it and destroys the socket instead of answering.
 *
 * @example
 * ```ts
 * server.inject({ reset: true })
 * await server.fetch(tokenRequest).catch((err) => err instanceof ConnectionResetError) // true
 * ```
 */
export class ConnectionResetError extends TypeError {
  readonly [MARK] = true
  constructor() {
    super('fetch failed', { cause: Object.assign(new Error('socket hang up (dev-server reset fault)'), { code: 'ECONNRESET' }) })
    this.name = 'TypeError'
  }
}

/**
 * True when `err` is the dev server's request for a connection reset. Uses a registered symbol,
 * not `instanceof`, so it works across duplicated copies of this module.
 */
export function isConnectionReset(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[MARK] === true
}

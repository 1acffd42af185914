/**
 * The parts of the Workers bindings this package uses, as structural types. The real bindings
 * (`KVNamespace`, `DurableObjectNamespace` from `@cloudflare/workers-types`) fit them, so the
 * package typechecks and bundles without the Workers types or `cloudflare:workers`.
 * @module
 */

/**
 * Options of a KV read that this package sends.
 *
 * @example
 * ```ts
 * await namespace.get(key, { type: 'text', cacheTtl: 60 })
 * ```
 */
export interface KvReadOptions {
  readonly type: 'text'
  /** Seconds the value may be served from the location's cache; KV's minimum is 30. */
  readonly cacheTtl?: number
}

/**
 * Options of a KV write that this package sends.
 *
 * @example
 * ```ts
 * await namespace.put(key, value, { expirationTtl: 300 })
 * ```
 */
export interface KvWriteOptions {
  /** Seconds until KV deletes the value; KV's minimum is 60. */
  readonly expirationTtl?: number
}

/**
 * A Workers KV namespace binding, as far as this package uses it.
 *
 * @example
 * ```ts
 * const namespace: KvNamespaceLike = env.TOKENS
 * ```
 */
export interface KvNamespaceLike {
  get(key: string, options: KvReadOptions): Promise<string | null>
  put(key: string, value: string, options?: KvWriteOptions): Promise<void>
  delete(key: string): Promise<void>
}

/**
 * What a request to a Durable Object is sent with: plain values, so that any `fetch` signature
 * (the Workers types or the DOM's) accepts it.
 *
 * @example
 * ```ts
 * const init: StubRequestInit = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }
 * ```
 */
export interface StubRequestInit {
  readonly method: string
  readonly headers: Record<string, string>
  readonly body: string
}

/**
 * The parts of a `Response` read from a Durable Object.
 *
 * @example
 * ```ts
 * const grant = response.ok ? await response.json() : undefined
 * ```
 */
export interface StubResponseLike {
  readonly ok: boolean
  readonly status: number
  json(): Promise<unknown>
  readonly body: { cancel(): Promise<void> } | null
}

/**
 * A Durable Object stub: something to send a request to.
 *
 * @example
 * ```ts
 * const response = await stub.fetch('https://token-coordinator.invalid/lock', { method: 'POST', headers: {}, body })
 * ```
 */
export interface DurableObjectStubLike {
  fetch(url: string, init: StubRequestInit): Promise<StubResponseLike>
}

/**
 * A Durable Object namespace binding, as far as this package uses it.
 *
 * @example
 * ```ts
 * const namespace: DurableObjectNamespaceLike = env.TOKEN_COORDINATOR
 * namespace.get(namespace.idFromName(key))
 * ```
 */
export interface DurableObjectNamespaceLike<Id = unknown> {
  idFromName(name: string): Id
  get(id: Id): DurableObjectStubLike
}

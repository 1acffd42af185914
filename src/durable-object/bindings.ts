/**
 * The part of a Durable Object namespace binding this package uses, as structural types. The real
 * binding (`DurableObjectNamespace` from `@cloudflare/workers-types`) fits them, so the package
 * typechecks and bundles without the Workers types or `cloudflare:workers`.
 * @module
 */

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
 * const response = await stub.fetch('https://token-lock.invalid/lock', { method: 'POST', headers: {}, body })
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
 * const namespace: DurableObjectNamespaceLike = env.TOKEN_LOCK
 * namespace.get(namespace.idFromName(key))
 * ```
 */
export interface DurableObjectNamespaceLike<Id = unknown> {
  idFromName(name: string): Id
  get(id: Id): DurableObjectStubLike
}

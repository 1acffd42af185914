/**
 * `createAuth`: memory, single flight, refresh ahead and cooldowns, wired around the exchange.
 *
 * The way a token travels (`getToken(api)`):
 * 1. Memory: a usable token is returned at once; inside its refresh-ahead window one background
 *    refresh starts, and the caller still gets the valid token now.
 * 2. Single flight: otherwise every concurrent caller for that audience joins one acquisition.
 * 3. Store: a usable stored token ends it; an active cooldown ends it with its typed error.
 * 4. Coordinator: otherwise, under the lock for the store key, the store is read again (a peer may
 *    have just refreshed) and only if still needed, the exchange runs.
 * 5. Write back: store, publish to peers, memory; every waiting caller resolves.
 * @module
 */

import { errorMessage } from '../lib/error-message.ts'
import { noop } from '../lib/noop.ts'
import { CredentialsError, ForeignUrlError, TokenError, UnknownApiError } from '../errors.ts'
import { defaultCoordinator } from '../browser/web-locks.ts'
import { memoryStore } from '../stores/memory.ts'
import { DEFAULT_EXPIRY_POLICY, refreshAt, usableUntil } from '../token/expiry.ts'
import { exchangeToken, type AudienceParam, type ClientAuthMethod } from '../token/exchange.ts'
import { readStoredRecord } from '../token/record.ts'
import { credentialsRedactor, redact } from '../token/redact.ts'
import { STORE_KEY_PREFIX, storeKey } from '../token/store-key.ts'
import {
  APIS,
  type Api,
  type AuthEvent,
  type CooldownRecord,
  type Coordinator,
  type Credentials,
  type ExpiryPolicy,
  type RequestReason,
  type StoredRecord,
  type TokenRecord,
  type TokenSource,
  type TokenStore,
} from '../types.ts'
import { createUrls, type CamundaUrls, type DynamicUrlBuilder } from '../urls/index.ts'
import { isUnderBase, unsafePathReason } from '../urls/within-base.ts'
import { clampCooldown, cooldownError, nextCooldown, withRetryAt, type BackoffPolicy } from './cooldown.ts'
import { guardStore, runLocked } from './guards.ts'

/**
 * Options of `createAuth`. Only `credentials` is required.
 *
 * @example
 * ```ts
 * createAuth({ credentials, store: memoryStore(), timeoutMs: 5_000, onEvent: console.debug })
 * ```
 */
export interface AuthOptions extends Partial<ExpiryPolicy> {
  /** The parsed credential bundle, from `parseCredentials`. */
  readonly credentials: Credentials
  /** Where tokens and cooldowns are kept. Default: `memoryStore()`, private to this auth object. */
  readonly store?: TokenStore
  /**
   * Serialises refreshes across auth objects, tabs or isolates. Default: `webLocksCoordinator()` in
   * browsers (one lock across tabs) and `inProcessCoordinator()` elsewhere (Node, Deno, Workers).
   */
  readonly coordinator?: Coordinator
  /**
   * Where new tokens come from. Default: the client-credentials exchange with the bundle's token
   * URL. A browser uses `brokerTokenSource` so that it never holds the secret.
   */
  readonly tokenSource?: TokenSource
  /** The `fetch` used for token requests and `auth.fetch`. Default: the global `fetch`. */
  readonly fetch?: typeof fetch
  /** `client_secret_post` (default; what Camunda uses) or `client_secret_basic`. */
  readonly clientAuth?: ClientAuthMethod
  /** `audience` (default; what Camunda uses) or RFC 8707 `resource`. */
  readonly audienceParam?: AudienceParam
  /** Receives typed events. Never receives a secret or a token. Exceptions it throws are ignored. */
  readonly onEvent?: (event: AuthEvent) => void
  /** Timeout of one token request, body included. Default 10 s. */
  readonly timeoutMs?: number
  /** Longest wait for the coordinator's lock before refreshing without it. Default `timeoutMs` + 5 s. */
  readonly lockTimeoutMs?: number
  /** Longest wait for one store operation before treating it as failed. Default 2 s. */
  readonly storeTimeoutMs?: number
  /** Cooldown after `invalid_client`: calls within it fail fast and send nothing. Default 30 s. */
  readonly invalidClientCooldownMs?: number
  /** Backoff for failures without `Retry-After`. Default 1 s doubling to 60 s, with jitter. */
  readonly backoff?: Partial<BackoffPolicy>
  /**
   * The longest `Retry-After` honoured, from the token endpoint, a token broker or a peer. A longer
   * one is cut to this: a misconfigured or hostile server cannot park every caller for a day.
   * Default 10 min.
   */
  readonly maxRetryAfterMs?: number
  /**
   * After a 401 from an API brings a fresh token, further 401s for that token within this window
   * go back to the caller untouched, with no token request: a path that always answers 401 must
   * not turn every call into a token request. Default 30 s.
   */
  readonly unauthorizedWindowMs?: number
  /** The clock, in epoch ms. Default `Date.now`; replaceable for simulations. */
  readonly now?: () => number
}

/**
 * What `createAuth` returns.
 *
 * @example
 * ```ts
 * const auth: Auth = createAuth({ credentials })
 * const { authorization } = await auth.getHeaders('tasklist')
 * ```
 */
export interface Auth {
  /**
   * A valid access token for `api` (default `zeebe`). Waits on the network only when no valid token
   * exists; otherwise resolves from memory at once.
   */
  getToken(api?: Api): Promise<string>
  /**
   * The token of `api` with its expiry, for code that hands tokens on (a token broker says
   * `expires_in`). Same path as `getToken`.
   */
  getTokenRecord(api?: Api): Promise<TokenRecord>
  /** `{ authorization: 'Bearer …' }` for `api`. */
  getHeaders(api?: Api): Promise<{ authorization: string }>
  /**
   * `fetch` with the bearer token for `api` attached. `input` may be a path (`'/v2/topology'`),
   * resolved against the API's base URL. The token is only ever sent to the API's own origin,
   * under its base URL: anything else is refused with `ForeignUrlError` and nothing is sent.
   * On a 401 from the API it gets a fresh token once and retries once, unless the body is a
   * stream or larger than about 1 MiB (it is not buffered for a retry: the 401 is returned), or
   * the token was itself fetched for a 401 within `unauthorizedWindowMs`.
   */
  fetch(api: Api, input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /** Forgets the token of `api` (or of every API) here and in the store; cooldowns stay. */
  invalidate(api?: Api): Promise<void>
  /** Typed URL helpers for the bundle's APIs. */
  readonly urls: CamundaUrls
  /** Stops listening to the coordinator. The auth object still works, without peer updates. */
  close(): void
}

/** One audience's state. APIs that share an audience share a slot, and so share their token. */
interface Slot {
  readonly audience: string | undefined
  key?: Promise<string>
  token?: TokenRecord
  /** The token as a settled promise, made once per token: the hot path allocates nothing. */
  resolved?: Promise<string>
  /** `Bearer <token>`, made once per token. */
  bearer?: string
  usableUntil: number
  refreshAt: number
  cooldown?: CooldownRecord
  /** A token the API answered 401 to, or that was invalidated: never adopted again. */
  rejected?: string
  /** Until when a 401 does not drop `token`: it was fetched because the API refused its predecessor. */
  unauthorizedUntil: number
  /** Why the next request is sent, when it is not simply a cold start or an expiry. */
  nextReason?: RequestReason
  inflight?: Promise<TokenRecord>
  unsubscribe?: () => void
}

/**
 * Creates the auth object for one credential bundle.
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 *
 * const auth = createAuth({ credentials: parseCredentials(process.env) })
 * const topology = await auth.fetch('zeebe', '/v2/topology')
 * const headers = await auth.getHeaders('operate')
 * ```
 */
export function createAuth(options: AuthOptions): Auth {
  const { credentials, onEvent } = options ?? {}
  if (typeof credentials?.clientId !== 'string' || typeof credentials.tokenUrl !== 'string') {
    // The common slip: the credentials themselves where the options belong.
    const passedCredentials = typeof (options as Partial<Credentials> | undefined)?.tokenUrl === 'string'
    throw new CredentialsError([
      {
        variable: '(credentials)',
        message: passedCredentials
          ? 'createAuth takes options: call createAuth({ credentials }), not createAuth(credentials)'
          : 'missing: call createAuth({ credentials: parseCredentials(source) })',
      },
    ])
  }
  const now = options.now ?? Date.now
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const timeoutMs = options.timeoutMs ?? 10_000
  const tokenSource: TokenSource =
    options.tokenSource ??
    ((request) =>
      exchangeToken({
        ...request,
        clientAuth: options.clientAuth ?? 'client_secret_post',
        audienceParam: options.audienceParam ?? 'audience',
      }))
  const lockTimeoutMs = options.lockTimeoutMs ?? timeoutMs + 5_000
  const policy: ExpiryPolicy = {
    maxClockSkewMs: options.maxClockSkewMs ?? DEFAULT_EXPIRY_POLICY.maxClockSkewMs,
    maxLifetimeMs: options.maxLifetimeMs ?? DEFAULT_EXPIRY_POLICY.maxLifetimeMs,
    expiryMarginMs: options.expiryMarginMs ?? DEFAULT_EXPIRY_POLICY.expiryMarginMs,
    refreshAheadRatio: options.refreshAheadRatio ?? DEFAULT_EXPIRY_POLICY.refreshAheadRatio,
    refreshAheadMinMs: options.refreshAheadMinMs ?? DEFAULT_EXPIRY_POLICY.refreshAheadMinMs,
  }
  const cooldownPolicy = {
    backoff: { initialMs: options.backoff?.initialMs ?? 1_000, maxMs: options.backoff?.maxMs ?? 60_000 },
    invalidClientCooldownMs: options.invalidClientCooldownMs ?? 30_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 600_000,
  }
  const unauthorizedWindowMs = options.unauthorizedWindowMs ?? 30_000
  const emit = (event: AuthEvent): void => {
    try {
      // Messages quote what stores and coordinators threw: every form of the secret is cut out,
      // with pieces built once for this credential bundle.
      if (onEvent && 'message' in event) event = { ...event, message: redact(event.message, credentialsRedactor(credentials), 300) }
      onEvent?.(event)
    } catch {
      // A listener's bug must not break token delivery.
    }
  }
  const store = guardStore(options.store ?? memoryStore({ now }), options.storeTimeoutMs ?? 2_000, emit)
  let disconnectStore: (() => void) | undefined
  try {
    disconnectStore = options.store?.connect?.(emit)
  } catch (error) {
    emit({ type: 'store_error', operation: 'get', message: `connect failed: ${errorMessage(error)}` })
  }
  const coordinator = options.coordinator ?? defaultCoordinator()
  const urls = createUrls(credentials)

  let closed = false
  // No prototype: an API name such as 'toString' or '__proto__' from untyped code finds nothing.
  const slots = Object.create(null) as Record<Api, Slot>
  const byAudience = new Map<string | undefined, Slot>()
  for (const api of APIS) {
    // Own properties only: a polluted Object.prototype must not give an API an audience.
    const audience = Object.hasOwn(credentials.audiences, api) ? credentials.audiences[api] : undefined
    let slot = byAudience.get(audience)
    if (!slot) byAudience.set(audience, (slot = { audience, usableUntil: 0, refreshAt: 0, unauthorizedUntil: 0 }))
    slots[api] = slot
  }

  function keyOf(slot: Slot): Promise<string> {
    if (!slot.key) {
      slot.key = storeKey(credentials, slot.audience).catch((error: unknown) => {
        // No Web Crypto digest (a page outside a secure context): tokens are still served, from
        // this auth object's memory, under a key no other context shares.
        emit({ type: 'store_error', operation: 'get', message: `no store key (${errorMessage(error)}); tokens are not shared` })
        return `${STORE_KEY_PREFIX}local:${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
      })
      void slot.key.then((key) => {
        if (closed) return
        try {
          slot.unsubscribe = coordinator.subscribe?.(key, (record) => adopt(slot, key, record, 'peer'))
        } catch (error) {
          emit({ type: 'coordinator_error', message: `subscribe failed: ${errorMessage(error)}` })
        }
      })
    }
    return slot.key
  }

  function setToken(slot: Slot, token: TokenRecord, unauthorizedUntil = 0): void {
    slot.token = token
    slot.unauthorizedUntil = unauthorizedUntil
    slot.resolved = Promise.resolve(token.accessToken)
    slot.bearer = `Bearer ${token.accessToken}`
    slot.usableUntil = usableUntil(token, policy)
    slot.refreshAt = refreshAt(token, policy)
    slot.rejected = slot.nextReason = undefined
  }

  /** Takes what a store read or a peer offers, where it is newer than what memory holds. */
  function adopt(slot: Slot, key: string, value: unknown, source: 'store' | 'peer'): void {
    const at = now()
    const record = readStoredRecord(value, key, at, policy.maxClockSkewMs)
    if (!record) return
    const { token } = record
    if (token && token.accessToken !== slot.rejected && (!slot.token || token.expiresAt > slot.token.expiresAt)) {
      setToken(slot, token, Math.min(record.unauthorizedUntil ?? 0, at + unauthorizedWindowMs))
      if (!record.cooldown) slot.cooldown = undefined
      if (source === 'peer') emitFor(slot, (api) => ({ type: 'cache_hit', api, source }))
    }
    // What another context says never holds callers back longer than this one's own policy would.
    const cooldown = record.cooldown && clampCooldown(record.cooldown, at, cooldownPolicy)
    if (cooldown && (!slot.cooldown || cooldown.until > slot.cooldown.until)) slot.cooldown = cooldown
  }

  function emitFor(slot: Slot, make: (api: Api) => AuthEvent): void {
    if (!onEvent) return
    const api = APIS.find((name) => slots[name] === slot)
    if (api) emit(make(api))
  }

  /** True when the slot's token makes a request for `reason` unnecessary. */
  function satisfied(slot: Slot, reason: RequestReason, at: number): boolean {
    if (!slot.token || at >= slot.usableUntil) return false
    return reason === 'refresh_ahead' ? at < slot.refreshAt : true
  }

  async function acquire(slot: Slot, api: Api, reason: RequestReason): Promise<TokenRecord> {
    const key = await keyOf(slot)
    adopt(slot, key, await store.get(key), 'store')
    if (satisfied(slot, reason, now())) {
      emit({ type: 'cache_hit', api, source: 'store' })
      return slot.token!
    }
    holdBack(slot, api)
    return runLocked(coordinator, key, () => refreshLocked(slot, api, reason, key), lockTimeoutMs, emit)
  }

  /** Throws the cooldown's error while one holds, unless a usable token can still be served. */
  function holdBack(slot: Slot, api: Api): void {
    const at = now()
    const cooldown = slot.cooldown
    if (!cooldown || at >= cooldown.until) return
    emit({ type: 'cooldown', api, reason: cooldown.reason, remainingMs: cooldown.until - at })
    throw cooldownError(cooldown, api, at, now)
  }

  async function refreshLocked(slot: Slot, api: Api, reason: RequestReason, key: string): Promise<TokenRecord> {
    adopt(slot, key, await store.get(key), 'store')
    if (satisfied(slot, reason, now())) {
      emit({ type: 'cache_hit', api, source: 'store' })
      return slot.token!
    }
    holdBack(slot, api)
    emit({ type: 'token_requested', api, reason })
    const started = now()
    try {
      const token = await tokenSource({ credentials, api, audience: slot.audience, reason, fetch: fetchImpl, timeoutMs, policy, now })
      const unauthorizedUntil = reason === 'unauthorized' ? now() + unauthorizedWindowMs : 0
      setToken(slot, token, unauthorizedUntil)
      slot.cooldown = undefined
      const record: StoredRecord = { v: 1, key, token, ...(unauthorizedUntil > 0 && { unauthorizedUntil }) }
      emit({ type: 'token_received', api, durationMs: now() - started, expiresInMs: token.expiresAt - now() })
      await store.set(key, record, Math.max(1_000, token.expiresAt - now()))
      publish(key, record)
      return token
    } catch (error) {
      if (!(error instanceof TokenError)) throw error
      const at = now()
      const cooldown = nextCooldown(error, slot.cooldown, at, cooldownPolicy)
      slot.cooldown = cooldown
      emit({ type: 'token_failed', api, code: error.code, ...(error.status !== undefined && { status: error.status }) })
      if (cooldown.reason === 'rate_limited') {
        emit({ type: 'rate_limited', api, status: error.status ?? 0, retryAfterMs: cooldown.until - at })
      }
      const token = slot.token && at < slot.usableUntil ? slot.token : undefined
      const record: StoredRecord = { v: 1, key, cooldown, ...(token && { token }) }
      await store.set(key, record, Math.max(1_000, (token?.expiresAt ?? 0) - at, cooldown.until - at))
      // Peers hear about the cooldown at once, so no other tab or isolate tries before it ends.
      publish(key, record)
      // The same class, message and evidence, now with when a retry may be sent.
      throw withRetryAt(error, cooldown.until, now)
    }
  }

  function publish(key: string, record: StoredRecord): void {
    try {
      coordinator.publish?.(key, record)
    } catch (error) {
      emit({ type: 'coordinator_error', message: `publish failed: ${errorMessage(error)}` })
    }
  }

  /** One acquisition per slot at a time; every caller in this context joins it. */
  function singleFlight(slot: Slot, api: Api, reason: RequestReason): Promise<TokenRecord> {
    if (slot.inflight) return slot.inflight
    const flight = acquire(slot, api, reason).finally(() => {
      if (slot.inflight === flight) slot.inflight = undefined
    })
    slot.inflight = flight
    return flight
  }

  function getToken(api: Api = 'zeebe'): Promise<string> {
    const slot = slots[api]
    if (!slot) return unknownApi(api)
    const at = now()
    const token = slot.token
    if (token && at < slot.usableUntil) {
      if (at >= slot.refreshAt && !slot.inflight && !(slot.cooldown && at < slot.cooldown.until)) {
        emit({ type: 'refresh_ahead', api, expiresInMs: token.expiresAt - at })
        // The caller is served now; a failure here leaves the valid token in place.
        singleFlight(slot, api, 'refresh_ahead').catch(noop)
      }
      if (onEvent) emit({ type: 'cache_hit', api, source: 'memory' })
      return slot.resolved!
    }
    const reason: RequestReason = slot.nextReason ?? (token ? 'expired' : 'cold')
    return singleFlight(slot, api, reason).then((record) => record.accessToken)
  }

  async function getTokenRecord(api: Api = 'zeebe'): Promise<TokenRecord> {
    const slot = slots[api]
    if (!slot) return unknownApi(api)
    const accessToken = await getToken(api)
    // The slot holds the record of the token just served, unless it was dropped meanwhile (a 401
    // elsewhere): then ask again, which fetches its replacement.
    const token = slot.token
    return token && token.accessToken === accessToken ? token : getTokenRecord(api)
  }

  /** Drops the slot's token (if it is still `accessToken`), so the next call fetches a new one. */
  function drop(slot: Slot, reason: RequestReason, accessToken = slot.token?.accessToken): void {
    if (!slot.token || slot.token.accessToken !== accessToken) return
    slot.rejected = accessToken
    slot.nextReason = reason
    slot.token = slot.resolved = slot.bearer = undefined
    slot.usableUntil = slot.refreshAt = 0
  }

  async function authFetch(api: Api, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const slot = slots[api]
    if (!slot) return unknownApi(api)
    const request = new Request(checkedTarget(api, input), init)
    // Cloned before sending, so the retry after a 401 has its body; a stream or a large body is
    // not, since the clone would hold all of it in memory (Workers isolates have 128 MB).
    const retry = replayable(input, init) ? request.clone() : undefined
    const token = await getToken(api)
    request.headers.set('authorization', `Bearer ${token}`)
    const response = await fetchImpl(request)
    if (response.status !== 401) return response
    // This token replaced one the API refused moments ago: the 401 is the API's answer, not the
    // token's fault, and another token request would only feed the token endpoint's rate limit.
    if (slot.token?.accessToken === token && now() < slot.unauthorizedUntil) return response
    drop(slot, 'unauthorized', token)
    if (!retry) return response
    await response.body?.cancel().catch(noop)
    const fresh = await getToken(api)
    retry.headers.set('authorization', `Bearer ${fresh}`)
    return fetchImpl(retry)
  }

  /** `input` as a URL under the API's base URL, or a `ForeignUrlError`: the token goes nowhere else. */
  function checkedTarget(api: Api, input: RequestInfo | URL): RequestInfo {
    const build = urls[api] as DynamicUrlBuilder
    const base = new URL(build(''))
    const refuse = (origin: string, why: string): never => {
      throw new ForeignUrlError(
        `auth.fetch('${api}', …) refused ${origin}: ${why}; the ${api} token is only sent under ${base.origin}${base.pathname}`,
        origin,
      )
    }
    if (typeof input === 'string' && input.startsWith('/')) {
      const reason = unsafePathReason(input.split(/[?#]/, 1)[0]!)
      if (reason !== undefined) refuse(base.origin, `the path has ${reason}`)
      input = build(input)
    }
    const url = new URL(input instanceof Request ? input.url : input)
    if (!isUnderBase(base, url)) refuse(url.origin, url.origin === base.origin ? 'the path is outside the base URL' : 'another origin')
    return input instanceof Request ? input : url.href
  }

  async function invalidate(api?: Api): Promise<void> {
    const targets = new Set(api ? [slots[api]] : APIS.map((name) => slots[name]))
    for (const slot of targets) {
      if (!slot) continue
      if (slot.token) emitFor(slot, (name) => ({ type: 'invalidated', api: api ?? name }))
      drop(slot, 'invalidated')
      const key = await keyOf(slot)
      const cooldown = slot.cooldown && slot.cooldown.until > now() ? slot.cooldown : undefined
      if (cooldown) await store.set(key, { v: 1, key, cooldown }, cooldown.until - now())
      else await store.delete(key)
    }
  }

  const auth: Auth = {
    getToken,
    getTokenRecord,
    getHeaders(api = 'zeebe') {
      const slot = slots[api]
      // The common case without an extra async step: a usable token that needs no refresh.
      if (slot?.token && now() < slot.refreshAt) {
        if (onEvent) emit({ type: 'cache_hit', api, source: 'memory' })
        return Promise.resolve({ authorization: slot.bearer! })
      }
      return getToken(api).then((token) => ({ authorization: `Bearer ${token}` }))
    },
    fetch: authFetch,
    invalidate,
    urls,
    close() {
      closed = true
      disconnectStore?.()
      disconnectStore = undefined
      for (const slot of byAudience.values()) {
        slot.unsubscribe?.()
        slot.unsubscribe = undefined
      }
    },
  }
  return Object.freeze(auth)
}

/** Bodies up to this size are kept for the retry after a 401; larger ones and streams are not. */
const MAX_REPLAY_BYTES = 1_048_576

/** Whether a request's body is small enough, and of a kind, to be sent a second time. */
function replayable(input: RequestInfo | URL, init: RequestInit | undefined): boolean {
  const body = init?.body
  if (body === undefined || body === null) return !(input instanceof Request) || input.body === null
  return bodySize(body) <= MAX_REPLAY_BYTES
}

function bodySize(body: BodyInit): number {
  if (typeof body === 'string') return body.length
  if (body instanceof URLSearchParams) return body.toString().length
  if (body instanceof Blob) return body.size
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body.byteLength
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    let size = 0
    for (const [, value] of body) size += typeof value === 'string' ? value.length : value.size
    return size
  }
  return Number.POSITIVE_INFINITY // a stream: its size is unknown until it has been read
}

function unknownApi(api: unknown): Promise<never> {
  return Promise.reject(new UnknownApiError(api, APIS))
}

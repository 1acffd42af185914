/**
 * `createAuth`: memory, single flight, refresh ahead and cooldowns, wired around the token source.
 * Only the wiring is here: options are resolved in `options.ts`, one audience's state and its
 * transitions live in `slot.ts`, cooldowns in `cooldown.ts`, `auth.fetch` in `auth-fetch.ts`.
 *
 * The way a token travels (`getToken(api)`):
 * 1. Memory: a usable token is returned at once; inside its refresh-ahead window one background
 *    refresh starts, and the caller still gets the valid token now.
 * 2. Single flight: otherwise every concurrent caller for that audience joins one acquisition.
 * 3. Store: a usable stored token ends it; an active cooldown ends it with its typed error.
 * 4. Coordinator: otherwise, under the lock for the store key, the store is read again (a peer may
 *    have just refreshed) and only if still needed, the token source runs.
 * 5. Write back: store, publish to peers, memory; every waiting caller resolves.
 * @module
 */

import { InsecureUrlError, TokenError } from '../errors.ts'
import { isApi, unknownApi } from '../lib/is-api.ts'
import { errorMessage } from '../lib/error-message.ts'
import { noop } from '../lib/noop.ts'
import { readStoredRecord } from '../token/record.ts'
import { credentialsRedactor, redact } from '../token/redact.ts'
import { STORE_KEY_PREFIX, storeKey } from '../token/store-key.ts'
import { APIS, type Api, type AuthEvent, type RequestReason, type StoredRecord, type TokenRecord } from '../types.ts'
import { createUrls } from '../urls/index.ts'
import { announceInsecureHosts, insecureApis } from '../urls/insecure-http.ts'
import type { Auth, AuthHeaders } from './auth.ts'
import { createAuthFetch } from './auth-fetch.ts'
import { createHeaderAuth } from './header-auth.ts'
import { cooldownError, nextCooldown, withRetryAt } from './cooldown.ts'
import { guardStore, runLocked } from './guards.ts'
import { type AuthOptions, resolveOptions } from './options.ts'
import { activeCooldown, adoptRecord, dropToken, emptySlot, satisfied, setToken, type Slot } from './slot.ts'

export type { AuthOptions } from './options.ts'
export type { Auth, AuthHeaders } from './auth.ts'

/**
 * Creates the auth object for one credential bundle, for its strategy: OAuth tokens (one request
 * per credential set per lifetime), a handed-in bearer token, Basic, or no authentication. Every
 * strategy has the same `getHeaders`, `fetch` and `urls`.
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 *
 * const auth = createAuth({ credentials: parseCredentials(process.env) })
 * const topology = await auth.fetch('zeebe', '/v2/topology')
 * const headers = await auth.getHeaders('operate')
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.4 RFC 6749 §4.4 (client credentials)}
 */
export function createAuth(options: AuthOptions): Auth {
  const resolved = resolveOptions(options)
  const { credentials, onEvent, now, policy, cooldownPolicy, unauthorizedWindowMs, coordinator, tokenSource } = resolved
  const emit = (event: AuthEvent): void => {
    try {
      // Messages quote what stores and coordinators threw: every form of the secret is cut out.
      if (onEvent && 'message' in event) event = { ...event, message: redact(event.message, credentialsRedactor(credentials), 300) }
      onEvent?.(event)
    } catch {
      // A listener's bug must not break token delivery.
    }
  }
  announceInsecureHosts(credentials, emit)
  if (resolved.strategy === 'BASIC' || resolved.strategy === 'NONE') return createHeaderAuth(resolved)
  const store = guardStore(resolved.store, resolved.storeTimeoutMs, emit)
  let disconnectStore: (() => void) | undefined
  try {
    disconnectStore = resolved.store.connect?.(emit)
  } catch (error) {
    emit({ type: 'store_error', operation: 'get', message: `connect failed: ${errorMessage(error)}` })
  }
  const urls = createUrls(credentials)
  let closed = false

  // No prototype: an API name such as 'toString' or '__proto__' from untyped code finds nothing.
  const slots = Object.create(null) as Record<Api, Slot>
  const byRequest = new Map<string, Slot>()
  for (const api of APIS) {
    // Own properties only: a polluted Object.prototype must not give an API an audience or scope.
    const audience = Object.hasOwn(credentials.audiences, api) ? credentials.audiences[api] : undefined
    const { scopes } = credentials
    const scope = scopes ? (Object.hasOwn(scopes, api) ? scopes[api] : undefined) : credentials.scope
    const request = JSON.stringify([audience ?? null, scope ?? null])
    let slot = byRequest.get(request)
    if (!slot) byRequest.set(request, (slot = emptySlot(audience, scope)))
    slots[api] = slot
  }
  const apiOf = (slot: Slot) => APIS.find((name) => slots[name] === slot)!

  function keyOf(slot: Slot): Promise<string> {
    if (!slot.key) {
      slot.key = storeKey(credentials, slot.audience, slot.scope).catch((error: unknown) => {
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

  /** Takes what a store read or a peer offers, once validated, where it is newer than memory. */
  function adopt(slot: Slot, key: string, value: unknown, source: 'store' | 'peer'): void {
    const at = now()
    const record = readStoredRecord(value, key, at, policy.maxClockSkewMs)
    if (record && adoptRecord(slot, record, at, policy, cooldownPolicy, unauthorizedWindowMs) && source === 'peer' && onEvent) {
      emit({ type: 'cache_hit', api: apiOf(slot), source })
    }
  }

  /**
   * The store's token if it makes a request for `reason` unnecessary; otherwise the cooldown's
   * error if one holds. Run before the lock and again under it: a peer may just have refreshed.
   */
  async function fromStore(slot: Slot, api: Api, reason: RequestReason, key: string): Promise<TokenRecord | undefined> {
    adopt(slot, key, await store.get(key), 'store')
    const at = now()
    if (satisfied(slot, reason, at)) {
      emit({ type: 'cache_hit', api, source: 'store' })
      return slot.token
    }
    const cooldown = activeCooldown(slot, at)
    if (cooldown) {
      emit({ type: 'cooldown', api, reason: cooldown.reason, remainingMs: cooldown.until - at })
      throw cooldownError(cooldown, api, at, now)
    }
    return undefined
  }

  async function acquire(slot: Slot, api: Api, reason: RequestReason): Promise<TokenRecord> {
    const key = await keyOf(slot)
    return (
      (await fromStore(slot, api, reason, key)) ??
      runLocked(coordinator, key, () => refreshLocked(slot, api, reason, key), resolved.lockTimeoutMs, emit)
    )
  }

  async function refreshLocked(slot: Slot, api: Api, reason: RequestReason, key: string): Promise<TokenRecord> {
    // A peer's record may have come while this waited for the lock (a Durable Object's grant, a
    // Redis message): then there is nothing to read and nothing to request.
    if (satisfied(slot, reason, now())) return slot.token!
    const stored = await fromStore(slot, api, reason, key)
    if (stored) return stored
    emit({ type: 'token_requested', api, reason })
    const started = now()
    try {
      const token = await tokenSource({
        credentials,
        api,
        audience: slot.audience,
        scope: slot.scope,
        reason,
        fetch: resolved.fetch,
        timeoutMs: resolved.timeoutMs,
        policy,
        now,
      })
      const unauthorizedUntil = reason === 'unauthorized' ? now() + unauthorizedWindowMs : 0
      setToken(slot, token, policy, unauthorizedUntil)
      slot.cooldown = undefined
      emit({ type: 'token_received', api, durationMs: now() - started, expiresInMs: token.expiresAt - now() })
      await writeBack(key, { v: 1, key, token, ...(unauthorizedUntil > 0 && { unauthorizedUntil }) }, token.expiresAt - now())
      return token
    } catch (error) {
      if (!(error instanceof TokenError)) throw error
      const at = now()
      const cooldown = nextCooldown(error, slot.cooldown, at, cooldownPolicy)
      slot.cooldown = cooldown
      emit({ type: 'token_failed', api, code: error.code, ...(error.status !== undefined && { status: error.status }) })
      if (cooldown.reason === 'rate_limited')
        emit({ type: 'rate_limited', api, status: error.status ?? 0, retryAfterMs: cooldown.until - at })
      const token = slot.token && at < slot.usableUntil ? slot.token : undefined
      // Peers hear about the cooldown at once, so no other tab or isolate tries before it ends.
      await writeBack(key, { v: 1, key, cooldown, ...(token && { token }) }, Math.max((token?.expiresAt ?? 0) - at, cooldown.until - at))
      // The same class, message and evidence, now with when a retry may be sent.
      throw withRetryAt(error, cooldown.until, now)
    }
  }

  /** Stores `record` and tells peers about it. */
  async function writeBack(key: string, record: StoredRecord, ttlMs: number): Promise<void> {
    await store.set(key, record, Math.max(1_000, ttlMs))
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
      if (at >= slot.refreshAt && !slot.inflight && !activeCooldown(slot, at)) {
        emit({ type: 'refresh_ahead', api, expiresInMs: token.expiresAt - at })
        // The caller is served now; a failure here leaves the valid token in place.
        singleFlight(slot, api, 'refresh_ahead').catch(noop)
      }
      if (onEvent) emit({ type: 'cache_hit', api, source: 'memory' })
      return slot.resolved!
    }
    return singleFlight(slot, api, slot.nextReason ?? (token ? 'expired' : 'cold')).then((record) => record.accessToken)
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

  const insecure = insecureApis(credentials)
  const authFetch = createAuthFetch({
    authorization: (api) => getToken(api).then((token) => `Bearer ${token}`),
    refused(api, sent) {
      const slot = slots[api]
      // This token replaced one the API refused moments ago: the 401 is the API's answer, not the
      // token's fault, and another token request would only feed the token endpoint's rate limit.
      if (slot.bearer === sent && now() < slot.unauthorizedUntil) return false
      dropToken(slot, 'unauthorized', sent.slice(7))
      return true
    },
    insecureHosts: credentials.insecureHosts ?? [],
    urls,
    fetch: resolved.fetch,
  })

  return Object.freeze({
    getToken,
    getTokenRecord,
    getHeaders(api: Api = 'zeebe'): Promise<AuthHeaders> {
      // Credentials made by hand may name a plain-http API host nobody allowed: no token for it.
      if (insecure.size && insecure.has(api))
        return Promise.reject(new InsecureUrlError(insecure.get(api)!, `the ${api} API's credentials`))
      const slot = slots[api]
      // The common case without an extra async step: a usable token that needs no refresh.
      if (slot?.token && now() < slot.refreshAt) {
        if (onEvent) emit({ type: 'cache_hit', api, source: 'memory' })
        return Promise.resolve({ authorization: slot.bearer! })
      }
      return getToken(api).then((token) => ({ authorization: `Bearer ${token}` }))
    },
    fetch: (api: Api, input: RequestInfo | URL, init?: RequestInit) => (isApi(api) ? authFetch(api, input, init) : unknownApi(api)),
    async invalidate(api?: Api) {
      const targets = new Set(api ? [slots[api]] : APIS.map((name) => slots[name]))
      for (const slot of targets) {
        if (!slot) continue
        if (slot.token && onEvent) emit({ type: 'invalidated', api: api ?? apiOf(slot) })
        dropToken(slot, 'invalidated')
        const key = await keyOf(slot)
        const cooldown = activeCooldown(slot, now())
        if (cooldown) await store.set(key, { v: 1, key, cooldown }, cooldown.until - now())
        else await store.delete(key)
      }
    },
    urls,
    close() {
      closed = true
      disconnectStore?.()
      disconnectStore = undefined
      for (const slot of byRequest.values()) {
        slot.unsubscribe?.()
        slot.unsubscribe = undefined
      }
    },
  })
}

/**
 * `createAuth`'s options: what they mean, their defaults, and the one function that resolves them.
 * @module
 */

import { defaultCoordinator } from '../browser/web-locks.ts'
import { CredentialsError } from '../errors.ts'
import { memoryStore } from '../stores/memory.ts'
import { type AudienceParam, type ClientAuthMethod, exchangeToken } from '../token/exchange.ts'
import { DEFAULT_EXPIRY_POLICY } from '../token/expiry.ts'
import type { AuthEvent, Coordinator, Credentials, ExpiryPolicy, TokenSource, TokenStore } from '../types.ts'
import type { BackoffPolicy, CooldownPolicy } from './cooldown.ts'

/**
 * Options of `createAuth`. Only `credentials` is required.
 *
 * @example
 * ```ts
 * createAuth({ credentials, store: memoryStore(), timeoutMs: 5_000, onEvent: console.debug })
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 RFC 9110 §10.2.3 (Retry-After, for `maxRetryAfterMs`)}
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

/** Every option with its default applied: what the rest of the auth object reads. */
export interface ResolvedOptions {
  readonly credentials: Credentials
  readonly onEvent: ((event: AuthEvent) => void) | undefined
  readonly now: () => number
  readonly fetch: typeof fetch
  readonly timeoutMs: number
  readonly lockTimeoutMs: number
  readonly storeTimeoutMs: number
  readonly tokenSource: TokenSource
  readonly policy: ExpiryPolicy
  readonly cooldownPolicy: CooldownPolicy
  readonly unauthorizedWindowMs: number
  /** The store as given (for `connect`), or a fresh memory store on the auth object's clock. */
  readonly store: TokenStore
  readonly coordinator: Coordinator
}

/** `options` with every default applied, or a `CredentialsError` when no credentials were given. */
export function resolveOptions(options: AuthOptions): ResolvedOptions {
  const credentials = options?.credentials
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
  const timeoutMs = options.timeoutMs ?? 10_000
  return {
    credentials,
    onEvent: options.onEvent,
    now,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs,
    lockTimeoutMs: options.lockTimeoutMs ?? timeoutMs + 5_000,
    storeTimeoutMs: options.storeTimeoutMs ?? 2_000,
    tokenSource:
      options.tokenSource ??
      ((request) =>
        exchangeToken({
          ...request,
          clientAuth: options.clientAuth ?? 'client_secret_post',
          audienceParam: options.audienceParam ?? 'audience',
        })),
    policy: {
      maxClockSkewMs: options.maxClockSkewMs ?? DEFAULT_EXPIRY_POLICY.maxClockSkewMs,
      maxLifetimeMs: options.maxLifetimeMs ?? DEFAULT_EXPIRY_POLICY.maxLifetimeMs,
      expiryMarginMs: options.expiryMarginMs ?? DEFAULT_EXPIRY_POLICY.expiryMarginMs,
      refreshAheadRatio: options.refreshAheadRatio ?? DEFAULT_EXPIRY_POLICY.refreshAheadRatio,
      refreshAheadMinMs: options.refreshAheadMinMs ?? DEFAULT_EXPIRY_POLICY.refreshAheadMinMs,
    },
    cooldownPolicy: {
      backoff: { initialMs: options.backoff?.initialMs ?? 1_000, maxMs: options.backoff?.maxMs ?? 60_000 },
      invalidClientCooldownMs: options.invalidClientCooldownMs ?? 30_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 600_000,
    },
    unauthorizedWindowMs: options.unauthorizedWindowMs ?? 30_000,
    store: options.store ?? memoryStore({ now }),
    coordinator: options.coordinator ?? defaultCoordinator(),
  }
}

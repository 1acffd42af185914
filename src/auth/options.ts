/**
 * `createAuth`'s options: what they mean, their defaults, and the one function that resolves them.
 * @module
 */

import { defaultCoordinator } from '../browser/web-locks.ts'
import { inProcessCoordinator } from '../coordinators/in-process.ts'
import { CredentialsError, InvalidArgumentError } from '../errors.ts'
import { memoryStore } from '../stores/memory.ts'
import { type AudienceParam, exchangeToken } from '../token/exchange.ts'
import { DEFAULT_EXPIRY_POLICY } from '../token/expiry.ts'
import type {
  AuthEvent,
  AuthStrategy,
  ClientAuthMethod,
  Coordinator,
  Credentials,
  ExpiryPolicy,
  TokenSource,
  TokenStore,
} from '../types.ts'
import { bearerTokenSource } from './bearer.ts'
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
  /**
   * `client_secret_post` (default; what Camunda uses), `client_secret_basic`, or `private_key_jwt`
   * (the default when the credentials hold CAMUNDA_CLIENT_ASSERTION_KEY and no secret).
   */
  readonly clientAuth?: ClientAuthMethod
  /**
   * For the `BEARER` strategy: where the token comes from, for a page whose user signed in
   * elsewhere. Called when no valid token is held (its expiry is the JWT `exp`, or a day for an
   * opaque token), ahead of that expiry, and once more after the API answers 401. Default: the
   * credentials' static CAMUNDA_OAUTH_TOKEN.
   */
  readonly bearerToken?: () => string | Promise<string>
  /** `audience` (default; what Camunda uses) or RFC 8707 `resource`. */
  readonly audienceParam?: AudienceParam
  /** Receives typed events. Never receives a secret or a token. Exceptions it throws are ignored. */
  readonly onEvent?: (event: AuthEvent) => void
  /** Timeout of one token request, body included. Default CAMUNDA_OAUTH_TIMEOUT_MS, else 10 s. */
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
  readonly strategy: AuthStrategy
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
  // Credentials made before strategies existed (or by hand) are OAuth credentials.
  const strategy = credentials.strategy ?? 'OAUTH'
  // A hand-made strategy this package does not know would otherwise fall into OAuth.
  if (!['OAUTH', 'BASIC', 'BEARER', 'NONE'].includes(strategy)) {
    throw new InvalidArgumentError(
      `createAuth: credentials.strategy ${String(strategy)} is not OAUTH, BASIC, BEARER or NONE: use parseCredentials`,
    )
  }
  const now = options.now ?? Date.now
  const timeoutMs = options.timeoutMs ?? credentials.timeoutMs ?? 10_000
  const bearer = strategy === 'BEARER'
  return {
    credentials,
    strategy,
    onEvent: options.onEvent,
    now,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs,
    lockTimeoutMs: options.lockTimeoutMs ?? timeoutMs + 5_000,
    storeTimeoutMs: options.storeTimeoutMs ?? 2_000,
    tokenSource: tokenSourceOf(options, credentials, strategy),
    policy: {
      maxClockSkewMs: options.maxClockSkewMs ?? DEFAULT_EXPIRY_POLICY.maxClockSkewMs,
      maxLifetimeMs: options.maxLifetimeMs ?? DEFAULT_EXPIRY_POLICY.maxLifetimeMs,
      expiryMarginMs: options.expiryMarginMs ?? credentials.expiryMarginMs ?? DEFAULT_EXPIRY_POLICY.expiryMarginMs,
      refreshAheadRatio: options.refreshAheadRatio ?? DEFAULT_EXPIRY_POLICY.refreshAheadRatio,
      refreshAheadMinMs: options.refreshAheadMinMs ?? DEFAULT_EXPIRY_POLICY.refreshAheadMinMs,
    },
    cooldownPolicy: {
      backoff: { initialMs: options.backoff?.initialMs ?? 1_000, maxMs: options.backoff?.maxMs ?? 60_000 },
      invalidClientCooldownMs: options.invalidClientCooldownMs ?? 30_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 600_000,
    },
    unauthorizedWindowMs: options.unauthorizedWindowMs ?? 30_000,
    // A handed-in token costs no request, and nothing in the bundle tells two sets of them apart
    // for a shared store's key: each auth object keeps its own.
    store: (!bearer && options.store) || memoryStore({ now }),
    coordinator: (!bearer && options.coordinator) || (bearer ? inProcessCoordinator() : defaultCoordinator()),
  }
}

/** Where tokens come from under `strategy`, with the options that only make sense for another one refused. */
function tokenSourceOf(options: AuthOptions, credentials: Credentials, strategy: AuthStrategy): TokenSource {
  if (options.bearerToken !== undefined && (strategy !== 'BEARER' || typeof options.bearerToken !== 'function')) {
    throw new InvalidArgumentError(
      typeof options.bearerToken !== 'function'
        ? 'createAuth: bearerToken must be a function that returns the token'
        : `createAuth: bearerToken is for the BEARER strategy, and these credentials use ${strategy}: set CAMUNDA_AUTH_STRATEGY=BEARER`,
    )
  }
  if (strategy === 'BEARER') {
    const source = options.bearerToken ?? (credentials.staticToken ? () => credentials.staticToken : undefined)
    if (!source) {
      throw new CredentialsError([
        {
          variable: 'CAMUNDA_OAUTH_TOKEN',
          message: 'is missing: the BEARER strategy needs a token: set CAMUNDA_OAUTH_TOKEN, or pass createAuth({ bearerToken })',
        },
      ])
    }
    return bearerTokenSource(source, options.bearerToken ? 'bearerToken()' : 'CAMUNDA_OAUTH_TOKEN')
  }
  if (options.tokenSource) return options.tokenSource
  const clientAuth = options.clientAuth ?? credentials.clientAuth ?? 'client_secret_post'
  // Without a key there is nothing to sign with: said now, not at the first token request.
  if (clientAuth === 'private_key_jwt' && !credentials.clientAssertionKey) {
    throw new InvalidArgumentError(
      'createAuth: clientAuth private_key_jwt needs a private key (CAMUNDA_CLIENT_ASSERTION_KEY), and the credentials hold none',
    )
  }
  // Nor a secret to send: an empty one would only be refused, and count against the rate limit.
  if (options.clientAuth !== undefined && options.clientAuth !== 'private_key_jwt' && !credentials.clientSecret) {
    throw new InvalidArgumentError(
      `createAuth: clientAuth ${clientAuth} needs a client secret (CAMUNDA_CLIENT_SECRET), and the credentials hold none`,
    )
  }
  // Loaded on first use, here rather than in the exchange (which the broker's token source shares):
  // jose's signing is only paid for by bundles that sign.
  const clientAssertion =
    clientAuth === 'private_key_jwt'
      ? async (tokenUrl: string) =>
          (await import('../token/client-assertion.ts')).clientAssertion(credentials, tokenUrl, options.now ?? Date.now)
      : undefined
  return (request) => exchangeToken({ ...request, clientAuth, audienceParam: options.audienceParam ?? 'audience', clientAssertion })
}

/**
 * The dev authorization server's options, their defaults, and the one place they are validated.
 * @module
 */

import { InvalidArgumentError } from '../errors.ts'

import { SAAS_AUDIENCES } from '../credentials/saas.ts'
import type { Api } from '../types.ts'
import { type DevProfile, PROFILES, type ProfileRules } from './profiles.ts'

export { SAAS_AUDIENCES }

/**
 * One OAuth client the dev server knows.
 *
 * @example
 * ```ts
 * const client: DevClient = { clientId: 'ci', clientSecret: 's3cret', audiences: ['zeebe.camunda.io'] }
 * ```
 */
export interface DevClient {
  readonly clientId: string
  /** The secret; a client with `jwks` and no secret authenticates only with a client assertion. */
  readonly clientSecret?: string
  /**
   * Audiences this client may ask for. Default: the profile's API audiences (the four SaaS ones,
   * see {@link SAAS_AUDIENCES}, unless `profile` says otherwise).
   */
  readonly audiences?: readonly string[]
  /**
   * The client's public keys, for `private_key_jwt` (RFC 7523): a client assertion must be signed
   * by one of them. Without it the client can only authenticate with its secret.
   */
  readonly jwks?: { readonly keys: readonly JsonWebKey[] }
  /** A certificate thumbprint the assertion's `x5t#S256` header must carry (as Entra ID checks it). */
  readonly x5tS256?: string
  /**
   * Space-separated scopes this client is granted. When set, a requested `scope` must be a subset
   * (else 400 `invalid_scope`) and an absent one gets all of them. When unset, any requested scope is
   * granted as asked and an absent one gets none.
   */
  readonly scopes?: string
}

/**
 * The sliding-window rate limit of the token endpoint.
 *
 * @example
 * ```ts
 * createDevAuthServer({ rateLimit: { limit: 1, windowMs: 1_000, retryAfterSeconds: 2 } })
 * ```
 */
export interface DevRateLimit {
  /** How many token requests one client id may send within `windowMs`. */
  readonly limit: number
  /** The length of the sliding window. */
  readonly windowMs: number
  /**
   * The `Retry-After` to send. Default: the whole seconds until the oldest request in the window
   * leaves it (at least 1), so a client that honours it is never refused twice.
   */
  readonly retryAfterSeconds?: number
}

/**
 * Options of {@link createDevAuthServer}. Every one is optional.
 *
 * @example
 * ```ts
 * createDevAuthServer({ tokenLifetimeSeconds: 5, rateLimit: false })
 * ```
 */
/**
 * A user of the fake API routes' HTTP Basic authentication (C8 Run style).
 *
 * @example
 * ```ts
 * createDevAuthServer({ apiAuth: 'basic', users: [{ username: 'demo', password: 'demo' }] })
 * ```
 */
export interface DevUser {
  readonly username: string
  readonly password: string
}

export interface DevAuthServerOptions {
  /**
   * The identity provider to behave like: `saas` (default), `keycloak`, `entra` or `okta`. It sets
   * the defaults of `tokenPath`, `tokenLifetimeSeconds` and `apiAudiences`, what a token request
   * may carry and the error bodies; every option given explicitly still wins.
   */
  readonly profile?: DevProfile
  /** The clients that may get tokens. Default: one client, `dev-client` / `dev-secret`. */
  readonly clients?: readonly DevClient[]
  /**
   * How the fake API routes authenticate callers: `bearer` (default: a token this server issued
   * for the API's audience), `basic` (one of `users`, as Camunda 8.8 Self-Managed and C8 Run do) or
   * `none` (anyone).
   */
  readonly apiAuth?: 'bearer' | 'basic' | 'none'
  /** The users of `apiAuth: 'basic'`. Default: `demo` / `demo`, as C8 Run has. */
  readonly users?: readonly DevUser[]
  /**
   * How long issued tokens live. Default 3600 (the profile's: 300 for `keycloak`, 3599 for `entra`). Fractional values are allowed for tests:
   * `expires_in` carries the value as given (to the millisecond), while the JWT's `iat` and `exp`
   * are whole seconds with `exp = floor(now + lifetime)`, so `exp` is never later than the real
   * expiry, and `exp - iat` equals the lifetime exactly when it is a whole number.
   */
  readonly tokenLifetimeSeconds?: number
  /**
   * The `iss` of issued tokens. Default `http://127.0.0.1/dev-auth`: fixed rather than taken from
   * the request, so a token verifies the same whether it came in-process or over loopback.
   */
  readonly issuer?: string
  /**
   * The token endpoint's rate limit per client id, or `false` for none. Default 10 requests per
   * 1000 ms: stricter than nothing, like SaaS (which allows about one request a second per IP), yet
   * loose enough for a demo that fetches the four audiences at once. Every request counts, failed
   * ones included, as on SaaS; requests answered 429 do not extend the window.
   */
  readonly rateLimit?: DevRateLimit | false
  /**
   * The path of the token endpoint. Default `/oauth/token`, as on `login.cloud.camunda.io` (the
   * profile's: Keycloak's `/auth/realms/camunda-platform/protocol/openid-connect/token`, Entra's
   * `/<tenant>/oauth2/v2.0/token`, Okta's `/oauth2/default/v1/token`).
   */
  readonly tokenPath?: string
  /** The audience each fake API route demands. Merged over the profile's (the SaaS ones by default). */
  readonly apiAudiences?: Partial<Record<Api, string>>
  /**
   * Answer CORS preflights and add `Access-Control-Allow-Origin: *`, so browser demos can call the
   * server from another origin. Default `true`.
   */
  readonly cors?: boolean
  /** The clock, in epoch ms. Default `Date.now`. Drives `iat`/`exp`, verification and rate limits. */
  readonly now?: () => number
}

/**
 * A client with its default audiences applied.
 */
export interface ResolvedClient extends DevClient {
  readonly audiences: readonly string[]
}

/**
 * Options with every default applied; what the modules of the server work from.
 */
export interface ResolvedOptions {
  readonly profile: ProfileRules
  readonly apiAuth: 'bearer' | 'basic' | 'none'
  readonly users: readonly DevUser[]
  readonly clients: ReadonlyMap<string, ResolvedClient>
  readonly tokenLifetimeSeconds: number
  readonly issuer: string
  readonly rateLimit: DevRateLimit | false
  readonly tokenPath: string
  readonly apiAudiences: Readonly<Record<Api, string>>
  readonly cors: boolean
  readonly now: () => number
}

/**
 * The client used when no `clients` option is given.
 *
 * @example
 * ```ts
 * createDevAuthServer({ clients: [DEFAULT_CLIENT, { clientId: 'ci', clientSecret: 'ci-secret' }] })
 * ```
 */
export const DEFAULT_CLIENT: DevClient & { readonly clientSecret: string } = Object.freeze({
  clientId: 'dev-client',
  clientSecret: 'dev-secret',
})

/**
 * The default `iss`.
 *
 * @example
 * ```ts
 * await jwtVerify(token, jwks, { issuer: DEFAULT_ISSUER })
 * ```
 */
export const DEFAULT_ISSUER = 'http://127.0.0.1/dev-auth'

/**
 * Apply defaults and reject nonsense early, so a mistyped option fails at construction rather than
 * as a puzzling 500 in the middle of a test.
 */
export function resolveOptions(options: DevAuthServerOptions = {}): ResolvedOptions {
  const profile = PROFILES[options.profile ?? 'saas']
  if (!profile || !Object.hasOwn(PROFILES, options.profile ?? 'saas')) {
    throw new InvalidArgumentError(`profile must be one of ${Object.keys(PROFILES).join(', ')}, got ${String(options.profile)}`)
  }
  const apiAuth = options.apiAuth ?? 'bearer'
  if (!['bearer', 'basic', 'none'].includes(apiAuth))
    throw new InvalidArgumentError(`apiAuth must be bearer, basic or none, got ${String(apiAuth)}`)
  const lifetime = options.tokenLifetimeSeconds ?? profile.tokenLifetimeSeconds
  if (!Number.isFinite(lifetime) || lifetime <= 0) {
    throw new InvalidArgumentError(`tokenLifetimeSeconds must be a finite number > 0, got ${lifetime}`)
  }
  const rateLimit = options.rateLimit ?? { limit: 10, windowMs: 1000 }
  if (rateLimit !== false) {
    if (!Number.isInteger(rateLimit.limit) || rateLimit.limit < 0) throw new InvalidArgumentError('rateLimit.limit must be an integer >= 0')
    if (!(rateLimit.windowMs > 0)) throw new InvalidArgumentError('rateLimit.windowMs must be > 0')
    if (rateLimit.retryAfterSeconds !== undefined && !(rateLimit.retryAfterSeconds >= 0)) {
      throw new InvalidArgumentError('rateLimit.retryAfterSeconds must be >= 0')
    }
  }
  const tokenPath = options.tokenPath ?? profile.tokenPath
  if (!tokenPath.startsWith('/')) throw new InvalidArgumentError(`tokenPath must start with "/", got ${tokenPath}`)

  const apiAudiences = Object.freeze({ ...profile.apiAudiences, ...options.apiAudiences })
  const clients = new Map<string, ResolvedClient>()
  for (const client of options.clients ?? [DEFAULT_CLIENT]) {
    if (!client.clientId) throw new InvalidArgumentError('every client needs a clientId')
    if (clients.has(client.clientId)) throw new InvalidArgumentError(`duplicate clientId ${client.clientId}`)
    if (client.clientSecret === undefined && client.jwks === undefined) {
      throw new InvalidArgumentError(`client ${client.clientId} needs a clientSecret or jwks (its public keys, for private_key_jwt)`)
    }
    const audiences = Object.freeze([...(client.audiences ?? new Set(Object.values(apiAudiences)))])
    clients.set(client.clientId, Object.freeze({ ...client, audiences }))
  }

  return Object.freeze({
    profile,
    apiAuth,
    users: Object.freeze([...(options.users ?? [{ username: 'demo', password: 'demo' }])]),
    clients,
    tokenLifetimeSeconds: lifetime,
    issuer: options.issuer ?? DEFAULT_ISSUER,
    rateLimit,
    tokenPath,
    apiAudiences,
    cors: options.cors ?? true,
    now: options.now ?? Date.now,
  })
}

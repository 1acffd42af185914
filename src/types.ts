/**
 * The types shared by every module: the APIs, the parsed credentials, the stored record, and the
 * interfaces that stores and coordinators implement.
 * @module
 */

/**
 * The Camunda 8 APIs a credential bundle can grant. `zeebe` is the Orchestration Cluster REST API.
 *
 * @example
 * ```ts
 * const api: Api = 'operate'
 * await auth.getToken(api)
 * ```
 */
export type Api = 'zeebe' | 'operate' | 'tasklist' | 'optimize'

/**
 * All APIs, in a stable order.
 *
 * @example
 * ```ts
 * for (const api of APIS) console.log(api, await auth.getToken(api))
 * ```
 */
export const APIS: readonly Api[] = Object.freeze(['zeebe', 'operate', 'tasklist', 'optimize'])

/**
 * The knobs that decide a token's local expiry and refresh time.
 *
 * @example
 * ```ts
 * createAuth({ credentials, refreshAheadRatio: 0.2, refreshAheadMinMs: 0 })
 * ```
 */
export interface ExpiryPolicy {
  /** Clock skew up to this much is corrected from the JWT `iat`. */
  readonly maxClockSkewMs: number
  /** No token is trusted for longer than this, whatever it claims. */
  readonly maxLifetimeMs: number
  /** A token is not handed out in its last `expiryMarginMs` (at most a twentieth of its lifetime). */
  readonly expiryMarginMs: number
  /** Refresh ahead in the last `refreshAheadRatio` of the lifetime… */
  readonly refreshAheadRatio: number
  /** …or the last `refreshAheadMinMs`, whichever is longer, but never more than half the lifetime. */
  readonly refreshAheadMinMs: number
}

/**
 * How requests to the APIs are authenticated, as `CAMUNDA_AUTH_STRATEGY` names it in Camunda's own
 * clients: `OAUTH` (client credentials: a token from the token URL), `BASIC` (a user name and
 * password on every call, no token), `BEARER` (a token handed in: `CAMUNDA_OAUTH_TOKEN` or
 * `createAuth`'s `bearerToken`) or `NONE` (no `Authorization` header at all).
 *
 * @example
 * ```ts
 * if (credentials.strategy === 'BASIC') console.log(`signed in as ${credentials.username}`)
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc7617 RFC 7617 (Basic)} and {@link https://www.rfc-editor.org/rfc/rfc6750 RFC 6750 (Bearer)}
 */
export type AuthStrategy = 'OAUTH' | 'BASIC' | 'BEARER' | 'NONE'

/**
 * The identity provider behind the token URL, detected from it (or set with `CAMUNDA_OAUTH_PROVIDER`
 * or `parseCredentials`' `provider` option): it decides which parameters a token request carries.
 * `saas` is `login.cloud.camunda.io`; `keycloak` a `/realms/` path (Camunda Identity); `entra`
 * `login.microsoftonline.com` and its sovereign clouds (scope `<audience>/.default`, no audience);
 * `okta` `*.okta.com`; `auth0` `*.auth0.com` (an audience is required); `generic` anything else.
 *
 * @example
 * ```ts
 * if (credentials.provider === 'entra') console.log(credentials.scopes.zeebe) // 'api://…/.default'
 * ```
 */
export type IdentityProvider = 'saas' | 'keycloak' | 'entra' | 'okta' | 'auth0' | 'generic'

/**
 * How an OAuth client proves who it is at the token endpoint: its secret in the form body, its
 * secret in an HTTP Basic header, or a JWT signed with its private key (RFC 7523).
 *
 * @example
 * ```ts
 * createAuth({ credentials, clientAuth: 'client_secret_basic' })
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 RFC 6749 §2.3.1} and {@link https://www.rfc-editor.org/rfc/rfc7523#section-2.2 RFC 7523 §2.2}
 */
export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt'

/**
 * A validated, frozen credential bundle, as returned by `parseCredentials`.
 *
 * `clientSecret`, `password`, `staticToken` and `clientAssertionKey` are readable, but are not
 * enumerable: `JSON.stringify`, spreading and `util.inspect` never show them. Each is `''` where
 * the bundle has none.
 *
 * @example
 * ```ts
 * const credentials: Credentials = parseCredentials(env)
 * credentials.baseUrls.operate // 'https://bru-2.operate.camunda.io/…'
 * ```
 * @see {@link https://docs.camunda.io/docs/components/console/manage-clusters/manage-api-clients/ Camunda: API clients and their credential bundle}
 */
export interface Credentials {
  /** How API calls are authenticated (CAMUNDA_AUTH_STRATEGY, or implied by the variables present). */
  readonly strategy: AuthStrategy
  /** The identity provider behind `tokenUrl`; `undefined` unless `strategy` is `OAUTH`. */
  readonly provider: IdentityProvider | undefined
  /** The OAuth client id (ZEEBE_CLIENT_ID or CAMUNDA_CLIENT_ID); `''` unless `strategy` is `OAUTH`. */
  readonly clientId: string
  /** The OAuth client secret (ZEEBE_CLIENT_SECRET or CAMUNDA_CLIENT_SECRET), or `''`. Never serialised. */
  readonly clientSecret: string
  /**
   * How the client authenticates at the token endpoint: `private_key_jwt` when the bundle has a
   * CAMUNDA_CLIENT_ASSERTION_KEY (and no secret), otherwise `client_secret_post`; `undefined` unless
   * `strategy` is `OAUTH`. `createAuth`'s `clientAuth` option may choose `client_secret_basic`.
   */
  readonly clientAuth: ClientAuthMethod | undefined
  /** The private key of `private_key_jwt` (CAMUNDA_CLIENT_ASSERTION_KEY: PKCS#8 PEM or a JWK), or `''`. Never serialised. */
  readonly clientAssertionKey: string
  /** The JWS algorithm the key signs with (`ES256`, `RS256`, `PS256`…), from the key itself. */
  readonly clientAssertionAlg: string | undefined
  /** The assertion's `kid` header (CAMUNDA_CLIENT_ASSERTION_KEY_ID), if any. */
  readonly clientAssertionKeyId: string | undefined
  /** The certificate's SHA-256 thumbprint, base64url, sent as `x5t#S256` (CAMUNDA_CLIENT_ASSERTION_CERT_THUMBPRINT). */
  readonly clientAssertionThumbprint: string | undefined
  /** The token endpoint (ZEEBE_AUTHORIZATION_SERVER_URL or CAMUNDA_OAUTH_URL); `''` unless `strategy` is `OAUTH`. */
  readonly tokenUrl: string
  /**
   * The `audience` parameter to send for each API; absent where the bundle has none and none is
   * implied. Entra ID takes none: its audiences become scopes (`<audience>/.default`).
   */
  readonly audiences: Readonly<Partial<Record<Api, string>>>
  /**
   * The `scope` parameter to send for each API: its own CAMUNDA_<API>_OAUTH_SCOPE, else `scope`,
   * else (Entra ID) `<audience>/.default`; absent where there is none.
   */
  readonly scopes: Readonly<Partial<Record<Api, string>>>
  /** The OAuth `scope` parameter for every API (CAMUNDA_TOKEN_SCOPE or CAMUNDA_OAUTH_SCOPE), if any. */
  readonly scope: string | undefined
  /** The Basic user name (CAMUNDA_BASIC_AUTH_USERNAME), `BASIC` only. */
  readonly username: string | undefined
  /** The Basic password (CAMUNDA_BASIC_AUTH_PASSWORD), or `''`. Never serialised. */
  readonly password: string
  /** The static token of `BEARER` (CAMUNDA_OAUTH_TOKEN), or `''`. Never serialised. */
  readonly staticToken: string
  /** The tenant (CAMUNDA_TENANT_ID or CAMUNDA_DEFAULT_TENANT_ID), as given, for calls that take one. */
  readonly tenantId: string | undefined
  /** CAMUNDA_OAUTH_TIMEOUT_MS: `createAuth`'s `timeoutMs` unless the option is given. */
  readonly timeoutMs: number | undefined
  /** CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS: `createAuth`'s `expiryMarginMs` unless the option is given. */
  readonly expiryMarginMs: number | undefined
  /**
   * Hosts other than loopback that may be reached over plain `http:` (CAMUNDA_ALLOW_INSECURE_HTTP,
   * or `parseCredentials`' `allowInsecureHttp`), lower-cased. `createAuth` reports each one it uses
   * with an `insecure_http` event.
   */
  readonly insecureHosts: readonly string[]
  /** The Console scopes granted to this client (CAMUNDA_CREDENTIALS_SCOPES), e.g. `['Zeebe', 'Operate']`. */
  readonly grantedScopes: readonly string[]
  /** The cluster id (CAMUNDA_CLUSTER_ID), SaaS only. */
  readonly clusterId: string | undefined
  /** The cluster region (CAMUNDA_CLUSTER_REGION), e.g. `bru-2`, SaaS only. */
  readonly region: string | undefined
  /** The gRPC address (ZEEBE_GRPC_ADDRESS or ZEEBE_ADDRESS), as given. */
  readonly zeebeGrpcAddress: string | undefined
  /** Base URLs of each API's REST interface, where the bundle has or implies one. */
  readonly baseUrls: Readonly<Partial<Record<Api, string>>>
  /** True when the token URL is Camunda SaaS (`login.cloud.camunda.io`). */
  readonly saas: boolean
}

/**
 * A token as kept in memory and in stores. Times are epoch milliseconds on the local clock.
 *
 * @example
 * ```ts
 * const record: TokenRecord = { accessToken, expiresAt: Date.now() + 300_000, receivedAt: Date.now() }
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 RFC 6749 §5.1 (access token response)}
 */
export interface TokenRecord {
  /** The bearer token itself. */
  readonly accessToken: string
  /** When the token stops being valid, local clock. */
  readonly expiresAt: number
  /** When the token was received, local clock. */
  readonly receivedAt: number
}

/**
 * Why requests are held back.
 *
 * @example
 * ```ts
 * if (event.type === 'cooldown' && event.reason === 'invalid_client') alertOps()
 * ```
 */
export type CooldownReason = 'rate_limited' | 'invalid_client' | 'backoff'

/**
 * A period in which no token request may be sent, shared through the store so that every tab or
 * isolate honours it.
 *
 * @example
 * ```ts
 * const cooldown: CooldownRecord = { reason: 'rate_limited', until: Date.now() + 2_000, failures: 1, status: 429 }
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 RFC 9110 §10.2.3 (Retry-After)}
 */
export interface CooldownRecord {
  readonly reason: CooldownReason
  /** No request before this time (epoch ms). */
  readonly until: number
  /** How many failures in a row led here; drives the exponential backoff. */
  readonly failures: number
  /**
   * The evidence to rebuild the same typed error in another context: its `code`, status and
   * registered OAuth `error`. No server-provided text is kept: a stored record must not carry words
   * a caller then reads.
   */
  readonly code?: string
  readonly status?: number
  /** The OAuth `error`, only when it is one of the codes RFC 6749 and its extensions register. */
  readonly error?: string
}

/**
 * What a `TokenStore` holds under one key: a token, a cooldown, or both.
 *
 * @example
 * ```ts
 * await store.set(key, { v: 1, key, token }, token.expiresAt - Date.now())
 * ```
 */
export interface StoredRecord {
  /** Format version; records of another version are ignored. */
  readonly v: 1
  /**
   * The store key the record was written under. A record read back under another key (a store that
   * mixes up keys, a copied database) belongs to another credential set and is ignored.
   */
  readonly key: string
  readonly token?: TokenRecord
  readonly cooldown?: CooldownRecord
  /**
   * Until when a 401 from the API does not drop `token` (epoch ms): it was fetched because the API
   * refused the token before it, so another 401 soon after is the API's answer, not the token's fault.
   */
  readonly unauthorizedUntil?: number
}

/**
 * Where tokens and cooldowns are kept between calls, and shared between contexts that use the same
 * store (tabs over IndexedDB, isolates over Workers KV).
 *
 * Values must be treated as opaque: a store may encrypt them. A store that throws or times out
 * never fails `getToken`; the auth object falls back to memory and emits `store_error`.
 *
 * @example
 * ```ts
 * const store: TokenStore = {
 *   async get(key) { return map.get(key) },
 *   async set(key, record, ttlMs) { map.set(key, record) },
 *   async delete(key) { map.delete(key) },
 * }
 * ```
 */
export interface TokenStore {
  /** The record under `key`, or `undefined`. May return anything: records are validated on read. */
  get(key: string): Promise<unknown>
  /** Keep `record` under `key` for at most `ttlMs`. */
  set(key: string, record: StoredRecord, ttlMs: number): Promise<void>
  /** Forget `key`. */
  delete(key: string): Promise<void>
  /**
   * Optional: `createAuth` calls it once with its event emitter, so the store can report what the
   * auth object cannot see, such as falling back to memory (`store_degraded`). Returns a function
   * that disconnects; `auth.close()` calls it.
   */
  connect?(emit: (event: AuthEvent) => void): () => void
}

/**
 * Serialises token refreshes across contexts, and optionally tells peers about new tokens.
 *
 * The auth object already runs one refresh at a time per key inside its own context; a coordinator
 * extends that across auth objects, tabs or isolates. If `withLock` throws or does not start `fn`
 * within the lock timeout, the auth object runs `fn` anyway (single flight still holds in its own
 * context) and emits `coordinator_error`.
 *
 * @example
 * ```ts
 * const coordinator: Coordinator = {
 *   withLock: (key, fn) => navigator.locks.request(key, fn),
 * }
 * ```
 */
export interface Coordinator {
  /**
   * Run `fn` while holding the lock named `key`, and return its result. `options.signal` aborts
   * when the auth object stops waiting (its `lockTimeoutMs`): a coordinator should then withdraw
   * its lock request, which must not run `fn`.
   */
  withLock<T>(key: string, fn: () => Promise<T>, options?: { readonly signal?: AbortSignal }): Promise<T>
  /** Tell peers a new record was stored under `key`. */
  publish?(key: string, record: StoredRecord): void
  /** Hear about records peers stored; returns a function that stops listening. */
  subscribe?(key: string, listener: (record: StoredRecord) => void): () => void
}

/**
 * What a token source is asked for: one token for `api`, sent with the auth object's `fetch`,
 * timeout, clock and expiry policy.
 *
 * @example
 * ```ts
 * const source: TokenSource = async ({ api, fetch }) => ({ accessToken: await mint(api), expiresAt: Date.now() + 60_000, receivedAt: Date.now() })
 * ```
 */
export interface TokenSourceRequest {
  readonly credentials: Credentials
  readonly api: Api
  /** The audience of the API, as the credentials give it. */
  readonly audience: string | undefined
  /** The scope of the API, as the credentials give it. */
  readonly scope: string | undefined
  readonly reason: RequestReason
  readonly fetch: typeof fetch
  readonly timeoutMs: number
  readonly policy: ExpiryPolicy
  readonly now: () => number
}

/**
 * Where `createAuth` gets a new token when none is usable. The default sends the client-credentials
 * exchange to the bundle's token URL; the browser's `brokerTokenSource` asks a token broker instead,
 * so that browser code never holds a secret. It should throw `TokenError`s: they start cooldowns.
 *
 * @example
 * ```ts
 * createAuth({ credentials, tokenSource: brokerTokenSource({ url: '/auth/token' }).tokenSource })
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.4 RFC 6749 §4.4 (client credentials)}
 */
export type TokenSource = (request: TokenSourceRequest) => Promise<TokenRecord>

/**
 * Why a token request was sent.
 *
 * @example
 * ```ts
 * onEvent: (e) => { if (e.type === 'token_requested' && e.reason === 'unauthorized') count401() }
 * ```
 */
export type RequestReason = 'cold' | 'expired' | 'refresh_ahead' | 'invalidated' | 'unauthorized'

/**
 * Everything `createAuth` reports through `onEvent`. Events carry durations, reasons and codes,
 * never a secret or a token.
 *
 * @example
 * ```ts
 * createAuth({ credentials, onEvent: (event) => console.debug(event.type, event) })
 * ```
 */
export type AuthEvent =
  | { readonly type: 'token_requested'; readonly api: Api; readonly reason: RequestReason }
  | {
      readonly type: 'token_received'
      readonly api: Api
      /** How long the exchange took. */
      readonly durationMs: number
      /** How long the token is valid from now. */
      readonly expiresInMs: number
    }
  | { readonly type: 'token_failed'; readonly api: Api; readonly code: string; readonly status?: number }
  | {
      readonly type: 'cache_hit'
      readonly api: Api
      /** Where the token came from: this context's memory, the shared store, or a peer's broadcast. */
      readonly source: 'memory' | 'store' | 'peer'
    }
  | { readonly type: 'refresh_ahead'; readonly api: Api; readonly expiresInMs: number }
  | { readonly type: 'rate_limited'; readonly api: Api; readonly status: number; readonly retryAfterMs: number }
  | { readonly type: 'cooldown'; readonly api: Api; readonly reason: CooldownReason; readonly remainingMs: number }
  | { readonly type: 'store_error'; readonly operation: 'get' | 'set' | 'delete'; readonly message: string }
  | {
      readonly type: 'store_degraded'
      /** Which store fell back, e.g. `indexeddb`. */
      readonly store: string
      /** What it fell back to, e.g. `memory`. */
      readonly fallback: string
      readonly message: string
    }
  | { readonly type: 'coordinator_error'; readonly message: string }
  | { readonly type: 'invalidated'; readonly api: Api }
  | {
      readonly type: 'insecure_http'
      /** A host the bundle reaches over plain http, as CAMUNDA_ALLOW_INSECURE_HTTP allowed. */
      readonly host: string
      /** What travels to it in clear: the client's credentials (a token URL), or tokens and passwords (an API). */
      readonly carries: 'client credentials' | 'API credentials'
    }

/**
 * `camunda-edge-auth check`: read a credential bundle as `parseCredentials` does, say what was
 * understood, then (unless told not to) ask for one token per distinct audience and scope and make
 * one cheap call per API, and say what to change, by variable name, for everything that failed.
 *
 * Web APIs only: the bundle, `fetch`, the clock and `sleep` are handed in, so this runs (and is
 * tested) anywhere; `src/cli-node.ts` is the Node-only shell around it.
 * @module
 */

import { decodeJwt } from 'jose'
import { createAuth } from '../auth/create-auth.ts'
import { inProcessCoordinator } from '../coordinators/in-process.ts'
import { parseCredentials } from '../credentials/parse-credentials.ts'
import { readSource } from '../credentials/read-source.ts'
import { CredentialsError, MissingApiUrlError, isAuthError } from '../errors.ts'
import { readBoundedText } from '../lib/read-bounded.ts'
import { credentialsRedactor, holdsSecret, type Redactor, redact } from '../token/redact.ts'
import { APIS, type Api, type AuthStrategy, type ClientAuthMethod, type Credentials, type IdentityProvider } from '../types.ts'
import { API_URL_SOURCES, createUrls, type DynamicUrlBuilder } from '../urls/create-urls.ts'
import { type BundleNames, bundleNames } from './variables.ts'
import type { Auth } from '../auth/auth.ts'

/** What to check. */
export interface CheckInput {
  /** The bundle: a file's text (Console download, `.env`, JSON) or an env object. */
  readonly source: string | Readonly<Record<string, string | undefined>>
  /** An env object whose recognised variables win over `source`'s (the `--env` flag). */
  readonly overrides?: Readonly<Record<string, string | undefined>>
  /** Where the bundle came from, as shown: a path, or `the environment`. */
  readonly from: string
  /** `false` stops after parsing (`--no-network`). */
  readonly network: boolean
}

/** What the check reaches the world through. */
export interface CheckDeps {
  readonly fetch: typeof fetch
  /** Epoch milliseconds. */
  readonly now: () => number
  readonly sleep: (ms: number) => Promise<void>
}

/** One thing to change, by variable name where there is one. */
export interface Problem {
  /** The variable to change, as the bundle names it (absent when no variable is at fault, e.g. a rate limit). */
  readonly variable?: string
  readonly message: string
}

/** One API as the bundle describes it. */
export interface ApiSummary {
  readonly api: Api
  readonly baseUrl?: string
  readonly audience?: string
  readonly scope?: string
}

/** What was understood from the bundle: never a secret. */
export interface BundleSummary {
  readonly strategy: AuthStrategy
  readonly provider?: IdentityProvider
  readonly clientId?: string
  readonly clientAuth?: ClientAuthMethod
  readonly tokenUrl?: string
  readonly username?: string
  /** CAMUNDA_CREDENTIALS_SCOPES. */
  readonly grantedScopes: readonly string[]
  readonly apis: readonly ApiSummary[]
}

/** A token's claims, decoded without verification. */
export interface TokenClaims {
  readonly aud?: string | readonly string[]
  readonly scope?: string
  readonly iat?: number
  readonly exp?: number
  /** `exp` as an ISO date. */
  readonly expires?: string
  /** `exp − iat`, or the lifetime the token response gave. */
  readonly lifetimeSeconds?: number
}

/** One token: the APIs that share it (same audience and scope), and how getting it went. */
export interface TokenFinding {
  readonly apis: readonly Api[]
  readonly audience?: string
  readonly scope?: string
  /** Whether a request went to the token endpoint (not for a static BEARER token, nor after a refused client). */
  readonly requested: boolean
  readonly ok: boolean
  readonly claims?: TokenClaims
  readonly note?: string
  readonly error?: { readonly code: string; readonly message: string }
}

/** One authenticated call to an API. */
export interface CallFinding {
  readonly api: Api
  readonly method: string
  readonly path: string
  readonly ok: boolean
  readonly status?: number
  readonly detail?: string
}

/** Everything the check found: what `--json` prints, and what the text report is made from. */
export interface CheckReport {
  /** 0: everything worked; 1: a check failed; 2: the bundle could not be read or parsed. */
  readonly exitCode: 0 | 1 | 2
  readonly ok: boolean
  readonly from: string
  /** Variables taken from the environment over the file's (`--env`). */
  readonly fromEnvironment: readonly string[]
  readonly network: boolean
  readonly bundle?: BundleSummary
  readonly tokens: readonly TokenFinding[]
  readonly calls: readonly CallFinding[]
  /** What is fine but worth knowing (an API the client was not granted). */
  readonly notes: readonly string[]
  readonly problems: readonly Problem[]
}

/** The least time between two token requests to Camunda SaaS, which allows about one a second per IP (failures count). */
export const SAAS_TOKEN_GAP_MS = 1000

/** The cheap authenticated call made to each API. */
export const API_CALLS: Readonly<Record<Api, { readonly method: 'GET' | 'POST'; readonly path: string; readonly body?: object }>> = {
  zeebe: { method: 'GET', path: '/v2/topology' },
  operate: { method: 'POST', path: '/v1/process-definitions/search', body: { size: 1 } },
  tasklist: { method: 'POST', path: '/v1/tasks/search', body: { pageSize: 1 } },
  // Optimize's public API has no ID-free read; the list of a made-up collection's dashboards
  // needs a valid token (401/403 otherwise) and reads nothing.
  optimize: { method: 'GET', path: '/api/public/dashboard?collectionId=camunda-edge-auth-check' },
}

const DEFAULT_TIMEOUT_MS = 10_000

/** Check a bundle; never throws for anything the bundle or a server does. */
export async function runCheck(input: CheckInput, deps: CheckDeps): Promise<CheckReport> {
  const read = readBundle(input)
  if ('problems' in read) {
    const { from, network } = input
    return { exitCode: 2, ok: false, from, fromEnvironment: [], network, tokens: [], calls: [], notes: [], problems: read.problems }
  }
  const { credentials, present, fromEnvironment } = read
  const names = bundleNames(present, credentials)
  const problems: Problem[] = []
  const notes: string[] = []
  const bundle = summarise(credentials)
  checkBaseUrls(credentials, problems, notes)

  const tokens: TokenFinding[] = []
  const calls: CallFinding[] = []
  if (input.network) {
    const secrets = credentialsRedactor(credentials)
    const fetchImpl = credentials.provider === 'saas' ? spaced(deps, credentials.tokenUrl) : deps.fetch
    // No refresh ahead: a check asks once per audience and never behind its own back (with short
    // tokens a background refresh would race the next audience's request, or outlive the report).
    const auth = createAuth({
      credentials,
      fetch: fetchImpl,
      now: deps.now,
      coordinator: inProcessCoordinator(),
      refreshAheadRatio: 0,
      refreshAheadMinMs: 0,
    })
    try {
      const usable = await checkTokens(auth, credentials, names, secrets, tokens, problems)
      for (const api of APIS) {
        if (credentials.baseUrls[api] !== undefined && usable.has(api)) {
          calls.push(await checkCall(auth, api, credentials, names, fetchImpl, secrets, problems))
        }
      }
    } finally {
      auth.close()
    }
  }
  const exitCode = problems.length === 0 ? 0 : 1
  return { exitCode, ok: exitCode === 0, from: input.from, fromEnvironment, network: input.network, bundle, tokens, calls, notes, problems }
}

type Reading = { credentials: Credentials; present: ReadonlySet<string>; fromEnvironment: string[] } | { problems: Problem[] }

// The library's own reading and its own messages: a CredentialsError's issues already name the
// variables and say what to do.
function readBundle(input: CheckInput): Reading {
  try {
    let source: unknown = input.source
    let fromEnvironment: string[] = []
    if (input.overrides !== undefined) {
      // The file's own syntax problems are reported as parseCredentials reports them.
      const file = readSource(input.source)
      if (file.issues.length > 0) parseCredentials(input.source)
      const env = readSource(input.overrides).values
      fromEnvironment = Object.keys(env)
      source = Object.assign(Object.create(null), file.values, env)
    }
    const credentials = parseCredentials(source)
    return { credentials, present: new Set(Object.keys(readSource(source).values)), fromEnvironment }
  } catch (err) {
    if (err instanceof CredentialsError) return { problems: err.issues.map(({ variable, message }) => ({ variable, message })) }
    throw err
  }
}

function summarise(c: Credentials): BundleSummary {
  const oauth = c.strategy === 'OAUTH'
  return {
    strategy: c.strategy,
    ...(c.provider !== undefined && { provider: c.provider }),
    ...(oauth && { clientId: c.clientId, tokenUrl: shownUrl(c.tokenUrl) }),
    ...(c.clientAuth !== undefined && { clientAuth: c.clientAuth }),
    ...(c.username !== undefined && { username: c.username }),
    grantedScopes: c.grantedScopes,
    apis: APIS.map((api) => ({
      api,
      ...(c.baseUrls[api] !== undefined && { baseUrl: shownUrl(c.baseUrls[api]) }),
      ...(oauth && c.audiences[api] !== undefined && { audience: c.audiences[api] }),
      ...(oauth && c.scopes[api] !== undefined && { scope: c.scopes[api] }),
    })),
  }
}

// An API without a base URL is fine when the client was not granted it (a note), and a problem
// when CAMUNDA_CREDENTIALS_SCOPES says it was, or when no API has one at all.
function checkBaseUrls(credentials: Credentials, problems: Problem[], notes: string[]): void {
  const urls = createUrls(credentials)
  const granted = new Set(credentials.grantedScopes.map((s) => s.toLowerCase()))
  for (const api of APIS) {
    try {
      ;(urls[api] as DynamicUrlBuilder)('/')
    } catch (err) {
      if (!(err instanceof MissingApiUrlError)) throw err
      if (granted.has(err.scope.toLowerCase())) {
        problems.push({
          variable: err.variable,
          message: `${err.message} CAMUNDA_CREDENTIALS_SCOPES grants ${err.scope}, so the bundle should have it: add ${err.variable}, or download the credentials again`,
        })
      } else if (credentials.saas) notes.push(`${api}: not checked. ${err.message}`)
      else notes.push(`${api}: not checked: the bundle has no ${err.variable}`)
    }
  }
  if (APIS.every((api) => credentials.baseUrls[api] === undefined)) {
    problems.push({ variable: 'ZEEBE_REST_ADDRESS', message: 'no API has a base URL, so nothing can be called: set ZEEBE_REST_ADDRESS' })
  }
}

// One request per distinct (audience, scope), as createAuth groups APIs into slots; returns the
// APIs that have what their call needs.
async function checkTokens(
  auth: Auth,
  credentials: Credentials,
  names: BundleNames,
  secrets: Redactor,
  tokens: TokenFinding[],
  problems: Problem[],
): Promise<Set<Api>> {
  const callable = APIS.filter((api) => credentials.baseUrls[api] !== undefined)
  if (credentials.strategy === 'BASIC' || credentials.strategy === 'NONE') return new Set(callable)
  const usable = new Set<Api>()
  if (credentials.strategy === 'BEARER') {
    const finding = await takeToken(auth, callable, credentials, names, secrets, problems, false)
    if (finding.ok) for (const api of callable) usable.add(api)
    tokens.push(finding)
    return usable
  }
  const groups = new Map<string, Api[]>()
  for (const api of callable) {
    const key = JSON.stringify([credentials.audiences[api] ?? null, credentials.scopes[api] ?? null])
    groups.set(key, [...(groups.get(key) ?? []), api])
  }
  let stopped: string | undefined
  for (const apis of groups.values()) {
    if (stopped !== undefined) {
      // Another request with a refused secret, or into a rate limit, would only count against the limit.
      tokens.push({ ...target(apis, credentials), requested: false, ok: false, note: `not requested: ${stopped}` })
      continue
    }
    const finding = await takeToken(auth, apis, credentials, names, secrets, problems, true)
    if (finding.ok) for (const api of apis) usable.add(api)
    if (finding.error?.code === 'ERR_INVALID_CLIENT') stopped = 'the client was refused above'
    if (finding.error?.code === 'ERR_RATE_LIMITED') stopped = 'the token endpoint is rate limiting'
    if (finding.error?.code === 'ERR_TOKEN_REQUEST_FAILED' || finding.error?.code === 'ERR_TOKEN_TIMEOUT')
      stopped = 'the token endpoint could not be reached'
    tokens.push(finding)
  }
  return usable
}

function target(apis: readonly Api[], c: Credentials): Pick<TokenFinding, 'apis' | 'audience' | 'scope'> {
  const api = apis[0]!
  return {
    apis,
    ...(c.audiences[api] !== undefined && { audience: c.audiences[api] }),
    ...(c.scopes[api] !== undefined && { scope: c.scopes[api] }),
  }
}

async function takeToken(
  auth: Auth,
  apis: readonly Api[],
  credentials: Credentials,
  names: BundleNames,
  secrets: Redactor,
  problems: Problem[],
  requested: boolean,
): Promise<TokenFinding> {
  const api = apis[0]!
  try {
    const record = await auth.getTokenRecord(api)
    const decoded = claimsOf(record.accessToken, secrets)
    const lifetime = Math.round((record.expiresAt - record.receivedAt) / 1000)
    return {
      ...target(apis, credentials),
      requested,
      ok: true,
      ...(decoded
        ? { claims: { ...decoded, ...(decoded.lifetimeSeconds === undefined && { lifetimeSeconds: lifetime }) } }
        : { note: `not a JWT, so there are no claims to show; valid for ${lifetime} s as this package reckons` }),
    }
  } catch (err) {
    const problem = tokenProblem(err, api, credentials, names)
    // The same failure for several audiences (an unreachable endpoint) is one thing to change.
    if (!problems.some((p) => p.variable === problem.variable && p.message === problem.message)) problems.push(problem)
    return {
      ...target(apis, credentials),
      requested,
      ok: false,
      error: { code: isAuthError(err) ? err.code : 'ERR_UNKNOWN', message: problem.message },
    }
  }
}

// decodeJwt reads the payload without verifying the signature. A claim holding any form of a secret
// (a hostile server echoing the request into the token) is withheld whole.
function claimsOf(token: string, secrets: Redactor): TokenClaims | undefined {
  let payload: Record<string, unknown>
  try {
    payload = decodeJwt(token)
  } catch {
    return undefined
  }
  const clean = (value: string) => (holdsSecret(value, secrets) ? '[redacted]' : value)
  const { aud, scope, iat, exp } = payload
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)
  const issued = number(iat)
  const expiry = number(exp)
  return {
    ...(typeof aud === 'string' && { aud: clean(aud) }),
    ...(Array.isArray(aud) && { aud: aud.filter((a): a is string => typeof a === 'string').map(clean) }),
    ...(typeof scope === 'string' && { scope: clean(scope) }),
    ...(issued !== undefined && { iat: issued }),
    ...(expiry !== undefined && { exp: expiry, expires: isoDate(expiry) }),
    ...(issued !== undefined && expiry !== undefined && { lifetimeSeconds: expiry - issued }),
  }
}

function isoDate(seconds: number): string | undefined {
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

// The library's message (already redacted, often already naming a variable), then the variable
// this bundle should change.
function tokenProblem(err: unknown, api: Api, credentials: Credentials, names: BundleNames): Problem {
  const message = isAuthError(err) ? err.message : 'the token could not be had'
  if (!isAuthError(err)) return { message }
  // A static token is not requested: whatever is wrong with it (expired, refused), it is the one to replace.
  if (credentials.strategy === 'BEARER') return { variable: 'CAMUNDA_OAUTH_TOKEN', message: `${message}: replace CAMUNDA_OAUTH_TOKEN` }
  const tokenUrl = names.of('tokenUrl')
  switch (err.code) {
    case 'ERR_INVALID_CLIENT': {
      const variable = credentials.clientAuth === 'private_key_jwt' ? 'CAMUNDA_CLIENT_ASSERTION_KEY' : names.of('clientSecret')
      return { variable, message: `${message}: change ${variable} (and check ${names.of('clientId')})` }
    }
    case 'ERR_TOKEN_ENDPOINT': {
      const said = `${err.error ?? ''} ${err.errorDescription ?? ''}`
      const scopeFirst = credentials.provider === 'entra' || credentials.provider === 'okta' || /scope/i.test(err.error ?? '')
      if (scopeFirst && /scope|resource|target|audience/i.test(said)) {
        const variable = names.scope(api)
        return { variable, message: `${message}: change ${variable} (the scope for the ${api} API)` }
      }
      if (/target|audience|resource/i.test(said)) {
        const variable = names.audience(api)
        const grant = credentials.saas ? `, or grant the API client the ${API_URL_SOURCES[api].scope} scope in the Console` : ''
        return { variable, message: `${message}: change ${variable} (the audience for the ${api} API)${grant}` }
      }
      return { variable: tokenUrl, message: `${message}: check ${tokenUrl}` }
    }
    case 'ERR_RATE_LIMITED':
      return { message: `${message}: wait and run the check again; nothing in the bundle is wrong` }
    case 'ERR_TOKEN_REQUEST_FAILED':
    case 'ERR_TOKEN_TIMEOUT':
    case 'ERR_TOKEN_RESPONSE_INVALID':
    case 'ERR_REDIRECT_REFUSED':
      return { variable: tokenUrl, message: `${message}: check ${tokenUrl} (the token endpoint)` }
    default:
      return { message }
  }
}

async function checkCall(
  auth: Auth,
  api: Api,
  credentials: Credentials,
  names: BundleNames,
  fetchImpl: typeof fetch,
  secrets: Redactor,
  problems: Problem[],
): Promise<CallFinding> {
  const { method, path, body } = API_CALLS[api]
  const [pathname, query] = path.split('?') as [string, string | undefined]
  const finding = { api, method, path }
  const baseVariable = names.baseUrl(api)
  const fail = (variable: string | undefined, message: string, status?: number): CallFinding => {
    problems.push({ ...(variable !== undefined && { variable }), message: `${api}: ${method} ${path} ${message}` })
    return { ...finding, ok: false, ...(status !== undefined && { status }), detail: message }
  }
  let response: Response
  const signal = AbortSignal.timeout(credentials.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  try {
    const url = new URL((auth.urls[api] as DynamicUrlBuilder)(pathname))
    if (query !== undefined) url.search = query
    const headers: Record<string, string> = { accept: 'application/json', ...(await auth.getHeaders(api)) }
    if (body !== undefined) headers['content-type'] = 'application/json'
    response = await fetchImpl(url.href, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
      redirect: 'manual',
      signal,
    })
  } catch (err) {
    const host = hostOf(credentials.baseUrls[api])
    const why = signal.aborted ? 'no answer in time' : redact(err instanceof Error ? err.message : String(err), secrets, 200)
    return fail(baseVariable, `could not reach ${host} (${why}): check ${baseVariable}`)
  }
  const { status } = response
  const text = status === 200 && api === 'zeebe' ? await readBoundedText(response.body, 65_536, signal).catch(() => undefined) : undefined
  if (text === undefined) await response.body?.cancel().catch(() => {})
  if (status >= 200 && status < 300) return { ...finding, ok: true, status, detail: topologySummary(text, secrets) ?? `${status}` }
  if (api === 'optimize' && status === 404) {
    return { ...finding, ok: true, status, detail: '404 for the made-up collection: the token was accepted (a refused one is 401 or 403)' }
  }
  if (status === 401) {
    if (credentials.strategy === 'BASIC') {
      return fail(
        'CAMUNDA_BASIC_AUTH_PASSWORD',
        'answered 401: the user name or password was refused: check CAMUNDA_BASIC_AUTH_USERNAME and CAMUNDA_BASIC_AUTH_PASSWORD',
        status,
      )
    }
    if (credentials.strategy === 'NONE')
      return fail('CAMUNDA_AUTH_STRATEGY', 'answered 401: this API wants credentials: set CAMUNDA_AUTH_STRATEGY and its variables', status)
    if (credentials.strategy === 'BEARER')
      return fail(
        'CAMUNDA_OAUTH_TOKEN',
        'answered 401: the token was refused (expired, or for another API): replace CAMUNDA_OAUTH_TOKEN',
        status,
      )
    const variable =
      credentials.audiences[api] !== undefined || credentials.scopes[api] === undefined ? names.audience(api) : names.scope(api)
    return fail(variable, `answered 401: the API refused the token, whose audience is not the one it expects: check ${variable}`, status)
  }
  if (status === 403) {
    const grant = credentials.saas
      ? `grant the API client the ${API_URL_SOURCES[api].scope} scope in the Console`
      : `give the client access to ${api} (its roles or authorizations)`
    return fail(undefined, `answered 403: the credentials were accepted but may not use this API: ${grant}`, status)
  }
  if (status >= 300 && status < 400)
    return fail(baseVariable, `answered ${status} (a redirect, not followed): check ${baseVariable}`, status)
  if (status === 404) return fail(baseVariable, `answered 404: nothing there: check ${baseVariable}`, status)
  return fail(undefined, `answered ${status}`, status)
}

// The gateway version and broker count of a topology: numbers and a short version string, checked
// for secrets like anything else a server says.
function topologySummary(text: string | undefined, secrets: Redactor): string | undefined {
  if (text === undefined) return undefined
  try {
    const { gatewayVersion, brokers } = JSON.parse(text) as { gatewayVersion?: unknown; brokers?: unknown }
    if (typeof gatewayVersion !== 'string' || !/^[\w.+-]{1,40}$/.test(gatewayVersion)) return undefined
    const version = holdsSecret(gatewayVersion, secrets) ? '[redacted]' : gatewayVersion
    return `200, gateway ${version}${Array.isArray(brokers) ? `, ${brokers.length} broker${brokers.length === 1 ? '' : 's'}` : ''}`
  } catch {
    return undefined
  }
}

// A URL as shown: its query and fragment may carry a credential (an API key, a secret), so they are not.
function shownUrl(url: string): string {
  const parsed = new URL(url)
  return parsed.search || parsed.hash ? `${parsed.origin}${parsed.pathname}?[query not shown]` : url
}

function hostOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').host
  } catch {
    return 'the API'
  }
}

// Every token request to SaaS starts at least SAAS_TOKEN_GAP_MS after the previous one was answered,
// so the server sees them at least that far apart whatever the network's delays; requests queue one
// behind the other, so two that come at once never start together.
function spaced(deps: CheckDeps, tokenUrl: string): typeof fetch {
  let last: number | undefined
  let queue: Promise<unknown> = Promise.resolve()
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (url !== tokenUrl) return deps.fetch(input, init)
    const turn = queue.then(async () => {
      for (
        let wait = last === undefined ? 0 : last + SAAS_TOKEN_GAP_MS - deps.now();
        wait > 0;
        wait = last! + SAAS_TOKEN_GAP_MS - deps.now()
      ) {
        await deps.sleep(wait)
      }
      try {
        return await deps.fetch(input, init)
      } finally {
        last = deps.now()
      }
    })
    queue = turn.catch(() => undefined)
    return turn
  }
}

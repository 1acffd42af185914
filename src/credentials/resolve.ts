/**
 * The rules that relate several variables: the strategy, alias pairs, required values, the
 * provider's parameters, SaaS defaults, the derived Zeebe REST URL and where plain http may go.
 * Input is already validated one variable at a time by `schema.ts`.
 * @module
 */

import type { CredentialsIssue } from '../errors.ts'
import { APIS, type Api, type Credentials, type IdentityProvider } from '../types.ts'
import { withoutTrailingSlashes } from '../urls/join.ts'
import { readAssertionKey } from './assertion-key.ts'
import { isRefused } from '../urls/insecure-http.ts'
import { AUDIENCE_VARIABLES, detectProvider, requestParameters, SCOPE_VARIABLES } from './providers.ts'
import { SAAS_AUDIENCES } from './saas.ts'
import type { ValidVariables } from './schema.ts'
import { resolveStrategy } from './strategy.ts'
import {
  BASE_URL_VARIABLES,
  CLIENT_ID,
  CLIENT_SECRET,
  REST_ADDRESS,
  TENANT,
  TOKEN_SCOPE,
  TOKEN_URL,
  type VariableName,
  ZEEBE_AUDIENCE,
} from './variables.ts'

/** The secrets of a bundle: held in closures, never in an enumerable field. */
export type SecretName = 'clientSecret' | 'password' | 'staticToken' | 'clientAssertionKey'

/** Every secret of a bundle, `''` where it has none. */
export type CredentialSecrets = { readonly [K in SecretName]: string }

/**
 * Everything in `Credentials` except the secrets, which are handed over separately so that they
 * only ever live in a closure.
 */
export type CredentialFields = { -readonly [K in Exclude<keyof Credentials, SecretName>]: Credentials[K] }

/**
 * Options of `parseCredentials`, for what a bundle cannot say or should not have to.
 *
 * @example
 * ```ts
 * parseCredentials(env, { allowInsecureHttp: ['keycloak'], provider: 'keycloak' })
 * ```
 */
export interface ParseCredentialsOptions {
  /**
   * Hosts, other than loopback, that may be reached over plain `http:` (added to
   * CAMUNDA_ALLOW_INSECURE_HTTP): a cluster-internal Keycloak or gateway. Whatever is sent to them,
   * secrets and tokens included, travels in clear.
   */
  readonly allowInsecureHttp?: readonly string[]
  /** The identity provider, where the token URL does not tell (a custom domain). Default: detected. */
  readonly provider?: IdentityProvider
}

/**
 * The outcome of `resolveCredentials`: the fields and the secrets when there were no issues.
 */
export interface Resolution {
  readonly fields: CredentialFields | undefined
  readonly secrets: CredentialSecrets | undefined
  readonly issues: readonly CredentialsIssue[]
}

// `[grpcs://]{clusterId}.{region}.zeebe.camunda.io[:443]`, as in ZEEBE_ADDRESS of a SaaS bundle.
const SAAS_GRPC_ADDRESS = /^(?:grpcs:\/\/)?([A-Za-z0-9-]+)\.([A-Za-z0-9-]+)\.zeebe\.camunda\.io(?::443)?\/?$/i

/**
 * Combine validated variables into credential fields, collecting every cross-variable issue.
 *
 * `flagged` holds the variables that already failed validation: they are neither reported as
 * missing nor as conflicting, so each problem is reported once.
 */
export function resolveCredentials(
  values: ValidVariables,
  flagged: ReadonlySet<string>,
  options: ParseCredentialsOptions = {},
): Resolution {
  const issues: CredentialsIssue[] = []
  const pick = (names: readonly VariableName[]): string | undefined => pickAlias(values, names, issues)
  const missing = (names: readonly VariableName[], hint = '') => {
    // Not "missing" when a name is set but invalid or conflicting: that issue is already reported.
    if (names.every((n) => values[n] === undefined && !flagged.has(n))) {
      issues.push({ variable: names[0]!, message: `is missing: set ${names.join(' or ')}${hint}` })
    }
  }
  const required = (names: readonly VariableName[], hint?: string): string | undefined => {
    const value = pick(names)
    missing(names, hint)
    return value
  }

  const strategy = resolveStrategy(values, flagged, issues)
  const insecureHosts = [...new Set([...(values.CAMUNDA_ALLOW_INSECURE_HTTP?.split(',') ?? []), ...(options.allowInsecureHttp ?? [])])]
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== '')
  const grantedScopes = (values.CAMUNDA_CREDENTIALS_SCOPES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')

  let oauth: OAuthFields | undefined
  let password = ''
  let username: string | undefined
  if (strategy === 'OAUTH') oauth = resolveOAuth(values, flagged, options, pick, required, issues)
  if (strategy === 'BASIC') {
    username = required(['CAMUNDA_BASIC_AUTH_USERNAME'])
    password = required(['CAMUNDA_BASIC_AUTH_PASSWORD']) ?? ''
  }
  const restAddress = pick(REST_ADDRESS)
  const restVariable = REST_ADDRESS.find((n) => values[n] !== undefined) ?? REST_ADDRESS[0]
  const tenantId = pick(TENANT)
  if (issues.length > 0 || strategy === undefined || (strategy === 'OAUTH' && oauth === undefined)) {
    return { fields: undefined, secrets: undefined, issues }
  }

  const saas = oauth?.provider === 'saas'
  const clusterId = values.CAMUNDA_CLUSTER_ID
  const region = values.CAMUNDA_CLUSTER_REGION
  const zeebeGrpcAddress = values.ZEEBE_GRPC_ADDRESS ?? values.ZEEBE_ADDRESS
  const baseUrls: Partial<Record<Api, string>> = {}
  const zeebeBase = restAddress ?? (saas ? (saasZeebeUrl(clusterId, region) ?? saasZeebeUrlFromGrpc(zeebeGrpcAddress)) : undefined)
  assign(baseUrls, 'zeebe', zeebeBase && normalUrl(zeebeBase))
  for (const [api, variable] of Object.entries(BASE_URL_VARIABLES) as [Exclude<Api, 'zeebe'>, VariableName][]) {
    assign(baseUrls, api, values[variable] && normalUrl(values[variable]))
  }

  if (oauth) checkTransport(oauth.tokenUrl, oauth.tokenUrlVariable, 'the client credentials', insecureHosts, issues)
  // Under NONE nothing secret travels to the APIs, so their plain http needs no opt-in.
  if (strategy !== 'NONE') {
    for (const api of APIS) {
      const url = baseUrls[api]
      const variable = api === 'zeebe' ? (restAddress === undefined ? 'CAMUNDA_CLUSTER_ID' : restVariable) : BASE_URL_VARIABLES[api]
      if (url !== undefined) checkTransport(url, variable, strategy === 'BASIC' ? 'the password' : 'bearer tokens', insecureHosts, issues)
    }
  }
  if (oauth) {
    const { audiences, scopes } = requestParameters(oauth.provider, oauth.named, (api) => baseUrls[api] !== undefined, issues)
    oauth.audiences = audiences
    oauth.scopes = scopes
  }
  if (issues.length > 0) return { fields: undefined, secrets: undefined, issues }

  return {
    fields: {
      strategy,
      provider: oauth?.provider,
      clientId: oauth?.clientId ?? '',
      clientAuth: oauth && (oauth.key === '' ? 'client_secret_post' : 'private_key_jwt'),
      clientAssertionAlg: oauth?.keyAlg,
      clientAssertionKeyId: oauth ? values.CAMUNDA_CLIENT_ASSERTION_KEY_ID : undefined,
      clientAssertionThumbprint: oauth && thumbprint(values.CAMUNDA_CLIENT_ASSERTION_CERT_THUMBPRINT),
      tokenUrl: oauth ? new URL(oauth.tokenUrl).href : '',
      audiences: oauth?.audiences ?? {},
      scopes: oauth?.scopes ?? {},
      scope: oauth?.scope,
      username,
      tenantId,
      timeoutMs: millis(values.CAMUNDA_OAUTH_TIMEOUT_MS),
      expiryMarginMs: millis(values.CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS),
      insecureHosts,
      grantedScopes,
      clusterId,
      region,
      zeebeGrpcAddress,
      baseUrls,
      saas,
    },
    secrets: {
      clientSecret: oauth?.secret ?? '',
      clientAssertionKey: oauth?.key ?? '',
      password,
      staticToken: strategy === 'BEARER' ? (values.CAMUNDA_OAUTH_TOKEN ?? '') : '',
    },
    issues,
  }
}

/** What the OAUTH strategy adds, gathered before the provider's rules are applied. */
interface OAuthFields {
  readonly clientId: string
  readonly secret: string
  readonly key: string
  readonly keyAlg: string | undefined
  readonly tokenUrl: string
  readonly tokenUrlVariable: string
  readonly provider: IdentityProvider
  readonly scope: string | undefined
  readonly named: {
    readonly audiences: Partial<Record<Api, string>>
    readonly scopes: Partial<Record<Api, string>>
    readonly scopeVariables: Partial<Record<Api, string>>
  }
  audiences?: Partial<Record<Api, string>>
  scopes?: Partial<Record<Api, string>>
}

function resolveOAuth(
  values: ValidVariables,
  flagged: ReadonlySet<string>,
  options: ParseCredentialsOptions,
  pick: (names: readonly VariableName[]) => string | undefined,
  required: (names: readonly VariableName[], hint?: string) => string | undefined,
  issues: CredentialsIssue[],
): OAuthFields | undefined {
  const clientId = required(CLIENT_ID)
  const keyText = values.CAMUNDA_CLIENT_ASSERTION_KEY?.replace(/\\n/g, '\n')
  const secret =
    keyText === undefined || flagged.has('CAMUNDA_CLIENT_ASSERTION_KEY')
      ? required(CLIENT_SECRET, ' (or CAMUNDA_CLIENT_ASSERTION_KEY, for private_key_jwt)')
      : pick(CLIENT_SECRET)
  if (keyText !== undefined && secret !== undefined) {
    // Which one would be used is a guess either way; the next rotation would silently switch.
    issues.push({
      variable: 'CAMUNDA_CLIENT_ASSERTION_KEY',
      message: `and ${CLIENT_SECRET.find((n) => values[n] !== undefined)} are both set: keep the key (private_key_jwt) or the secret, not both`,
    })
  }
  const tokenUrl = required(TOKEN_URL)
  const zeebeAudience = pick(ZEEBE_AUDIENCE)
  const scope = pick(TOKEN_SCOPE)
  if (clientId === undefined || tokenUrl === undefined || (secret === undefined && keyText === undefined)) return undefined

  // The schema has already proved this parses.
  const url = new URL(tokenUrl)
  const provider = options.provider ?? (values.CAMUNDA_OAUTH_PROVIDER?.toLowerCase() as IdentityProvider | undefined) ?? detectProvider(url)
  const saas = provider === 'saas'
  const audiences: Partial<Record<Api, string>> = {}
  assign(audiences, 'zeebe', zeebeAudience ?? (saas ? SAAS_AUDIENCES.zeebe : undefined))
  for (const api of ['operate', 'tasklist', 'optimize'] as const) {
    assign(audiences, api, values[AUDIENCE_VARIABLES[api] as VariableName] ?? (saas ? SAAS_AUDIENCES[api] : undefined))
  }
  const scopes: Partial<Record<Api, string>> = {}
  const scopeVariables: Partial<Record<Api, string>> = {}
  for (const api of APIS) {
    const own = values[SCOPE_VARIABLES[api] as VariableName]
    assign(scopes, api, own ?? scope)
    if (own !== undefined || scope !== undefined)
      scopeVariables[api] = own === undefined ? TOKEN_SCOPE.find((n) => values[n] !== undefined) : SCOPE_VARIABLES[api]
  }
  const key = keyText === undefined ? undefined : readAssertionKey(keyText)
  return {
    clientId,
    secret: secret ?? '',
    key: keyText ?? '',
    keyAlg: key && 'alg' in key ? key.alg : undefined,
    tokenUrl,
    tokenUrlVariable: TOKEN_URL.find((n) => values[n] !== undefined)!,
    provider,
    scope,
    named: { audiences, scopes, scopeVariables },
  }
}

/**
 * A URL over plain http to a host that is neither loopback nor listed in CAMUNDA_ALLOW_INSECURE_HTTP
 * is an issue of `variable`: what it would carry would travel in clear.
 */
function checkTransport(url: string, variable: string, carries: string, allowed: readonly string[], issues: CredentialsIssue[]): void {
  const parsed = new URL(url)
  if (!isRefused(parsed, allowed)) return
  const { hostname } = parsed
  issues.push({
    variable,
    message: `uses plain http to ${hostname}, which would send ${carries} in clear: use https, or allow the host with CAMUNDA_ALLOW_INSECURE_HTTP=${hostname}`,
  })
}

// Aliases may both be set only to the same value; otherwise which one wins would be a guess.
function pickAlias(values: ValidVariables, names: readonly VariableName[], issues: CredentialsIssue[]): string | undefined {
  const set = names.filter((n) => values[n] !== undefined)
  const first = set[0]
  if (first === undefined) return undefined
  const value = values[first]
  if (set.some((n) => values[n] !== value)) {
    // Names only: the values may be secrets.
    issues.push({ variable: first, message: `${list(set)} are set to different values: set only one, or give them the same value` })
    return undefined
  }
  return value
}

function list(names: readonly string[]): string {
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

// Absent keys stay absent (rather than `key: undefined`), so `'operate' in audiences` means "has one".
function assign(target: Partial<Record<Api, string>>, api: Api, value: string | undefined): void {
  if (value !== undefined && value !== '') target[api] = value
}

// The parsed form, never the text as given: `http://127.0.0.1\@evil.example/` is one host to
// WHATWG URL and another to an RFC 3986 parser, and whoever reads `baseUrls` later must see ours.
function normalUrl(url: string): string {
  return withoutTrailingSlashes(new URL(url).href)
}

function millis(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value)
}

// The x5t#S256 header is base64url (RFC 7515 §4.1.8); portals show the thumbprint as hex.
function thumbprint(value: string | undefined): string | undefined {
  if (value === undefined || /^[A-Za-z0-9_-]{43}$/.test(value)) return value
  const bytes = value
    .replace(/:/g, '')
    .match(/../g)!
    .map((pair) => Number.parseInt(pair, 16))
  return btoa(String.fromCharCode(...bytes))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
}

function saasZeebeUrl(clusterId: string | undefined, region: string | undefined): string | undefined {
  return clusterId && region ? `https://${region}.zeebe.camunda.io/${clusterId}` : undefined
}

function saasZeebeUrlFromGrpc(address: string | undefined): string | undefined {
  const match = address === undefined ? null : SAAS_GRPC_ADDRESS.exec(address)
  return match ? saasZeebeUrl(match[1], match[2]) : undefined
}

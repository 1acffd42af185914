/**
 * The rules that relate several variables: alias pairs, required values, SaaS defaults and the
 * derived Zeebe REST URL. Input is already validated one variable at a time by `schema.ts`.
 * @module
 */

import type { CredentialsIssue } from '../errors.ts'
import type { Api, Credentials } from '../types.ts'
import { withoutTrailingSlashes } from '../urls/join.ts'
import { SAAS_AUDIENCES, SAAS_TOKEN_HOST } from './saas.ts'
import type { ValidVariables } from './schema.ts'
import type { VariableName } from './variables.ts'

/**
 * Everything in `Credentials` except the secret, which is handed over separately so that it only
 * ever lives in a closure.
 */
export type CredentialFields = { -readonly [K in Exclude<keyof Credentials, 'clientSecret'>]: Credentials[K] }

/**
 * The outcome of `resolveCredentials`: the fields and the secret when there were no issues.
 */
export interface Resolution {
  readonly fields: CredentialFields | undefined
  readonly clientSecret: string | undefined
  readonly issues: readonly CredentialsIssue[]
}

// Each group names the same setting; the first name is the one reported when it is missing.
const CLIENT_ID = ['ZEEBE_CLIENT_ID', 'CAMUNDA_CLIENT_ID'] as const
const CLIENT_SECRET = ['ZEEBE_CLIENT_SECRET', 'CAMUNDA_CLIENT_SECRET'] as const
const TOKEN_URL = ['ZEEBE_AUTHORIZATION_SERVER_URL', 'CAMUNDA_OAUTH_URL'] as const
const ZEEBE_AUDIENCE = ['ZEEBE_TOKEN_AUDIENCE', 'CAMUNDA_TOKEN_AUDIENCE', 'CAMUNDA_ZEEBE_OAUTH_AUDIENCE'] as const
const REST_ADDRESS = ['ZEEBE_REST_ADDRESS', 'CAMUNDA_REST_ADDRESS'] as const
const TOKEN_SCOPE = ['CAMUNDA_TOKEN_SCOPE', 'CAMUNDA_OAUTH_SCOPE'] as const

// `[grpcs://]{clusterId}.{region}.zeebe.camunda.io[:443]`, as in ZEEBE_ADDRESS of a SaaS bundle.
const SAAS_GRPC_ADDRESS = /^(?:grpcs:\/\/)?([A-Za-z0-9-]+)\.([A-Za-z0-9-]+)\.zeebe\.camunda\.io(?::443)?\/?$/i

/**
 * Combine validated variables into credential fields, collecting every cross-variable issue.
 *
 * `flagged` holds the variables that already failed validation: they are neither reported as
 * missing nor as conflicting, so each problem is reported once.
 */
export function resolveCredentials(values: ValidVariables, flagged: ReadonlySet<string>): Resolution {
  const issues: CredentialsIssue[] = []
  const pick = (names: readonly VariableName[]): string | undefined => pickAlias(values, names, issues)
  const required = (names: readonly [VariableName, VariableName]): string | undefined => {
    const value = pick(names)
    // Not "missing" when a name is set but invalid or conflicting: that issue is already reported.
    if (names.every((n) => values[n] === undefined && !flagged.has(n))) {
      issues.push({ variable: names[0], message: `is missing: set ${names[0]} or ${names[1]}` })
    }
    return value
  }

  const clientId = required(CLIENT_ID)
  const clientSecret = required(CLIENT_SECRET)
  const tokenUrl = required(TOKEN_URL)
  const zeebeAudience = pick(ZEEBE_AUDIENCE)
  const restAddress = pick(REST_ADDRESS)
  const scope = pick(TOKEN_SCOPE)
  if (issues.length > 0 || clientId === undefined || clientSecret === undefined || tokenUrl === undefined) {
    return { fields: undefined, clientSecret: undefined, issues }
  }

  // The schema has already proved this parses.
  const saas = new URL(tokenUrl).hostname === SAAS_TOKEN_HOST
  const clusterId = values.CAMUNDA_CLUSTER_ID
  const region = values.CAMUNDA_CLUSTER_REGION
  const zeebeGrpcAddress = values.ZEEBE_GRPC_ADDRESS ?? values.ZEEBE_ADDRESS

  const audiences: Partial<Record<Api, string>> = {}
  assign(audiences, 'zeebe', zeebeAudience ?? (saas ? SAAS_AUDIENCES.zeebe : undefined))
  assign(audiences, 'operate', values.CAMUNDA_OPERATE_OAUTH_AUDIENCE ?? (saas ? SAAS_AUDIENCES.operate : undefined))
  assign(audiences, 'tasklist', values.CAMUNDA_TASKLIST_OAUTH_AUDIENCE ?? (saas ? SAAS_AUDIENCES.tasklist : undefined))
  assign(audiences, 'optimize', values.CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE ?? (saas ? SAAS_AUDIENCES.optimize : undefined))

  const baseUrls: Partial<Record<Api, string>> = {}
  const zeebeBase = restAddress ?? (saas ? (saasZeebeUrl(clusterId, region) ?? saasZeebeUrlFromGrpc(zeebeGrpcAddress)) : undefined)
  assign(baseUrls, 'zeebe', zeebeBase && normalUrl(zeebeBase))
  assign(baseUrls, 'operate', values.CAMUNDA_OPERATE_BASE_URL && normalUrl(values.CAMUNDA_OPERATE_BASE_URL))
  assign(baseUrls, 'tasklist', values.CAMUNDA_TASKLIST_BASE_URL && normalUrl(values.CAMUNDA_TASKLIST_BASE_URL))
  assign(baseUrls, 'optimize', values.CAMUNDA_OPTIMIZE_BASE_URL && normalUrl(values.CAMUNDA_OPTIMIZE_BASE_URL))

  const grantedScopes = (values.CAMUNDA_CREDENTIALS_SCOPES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')

  return {
    fields: {
      clientId,
      tokenUrl: new URL(tokenUrl).href,
      audiences,
      scope,
      grantedScopes,
      clusterId,
      region,
      zeebeGrpcAddress,
      baseUrls,
      saas,
    },
    clientSecret,
    issues,
  }
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

function saasZeebeUrl(clusterId: string | undefined, region: string | undefined): string | undefined {
  return clusterId && region ? `https://${region}.zeebe.camunda.io/${clusterId}` : undefined
}

function saasZeebeUrlFromGrpc(address: string | undefined): string | undefined {
  const match = address === undefined ? null : SAAS_GRPC_ADDRESS.exec(address)
  return match ? saasZeebeUrl(match[1], match[2]) : undefined
}

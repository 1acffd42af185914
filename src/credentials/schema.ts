/**
 * The zod/mini rules each recognised variable must satisfy on its own. Rules that relate several
 * variables (aliases, required values, derived URLs) live in `resolve.ts`.
 * @module
 */

import * as z from 'zod/mini'
import type { CredentialsIssue } from '../errors.ts'
import { isBearerToken } from '../token/response.ts'
import { assertionKeyIssue } from './assertion-key.ts'
import { PROVIDERS } from './providers.ts'
import { VARIABLES, type RawVariables, type VariableName } from './variables.ts'

// The longest value accepted: real values are under 300 characters.
const MAX_VALUE_LENGTH = 8 * 1024

/**
 * Validated variables: trimmed, non-empty strings. An empty value counts as absent.
 */
export type ValidVariables = { readonly [K in VariableName]?: string }

// Whitespace or control characters inside a URL are silently dropped by the URL parser
// (`https://exa\nmple.com` is `https://example.com`), so a URL that holds any is refused outright.
const UNSAFE_IN_URL = /[\s\u0000-\u001F\u007F]/

function parseHttpUrl(value: string): URL | undefined {
  if (UNSAFE_IN_URL.test(value)) return undefined
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' ? url : undefined
  } catch {
    return undefined
  }
}

const CONTROL = /[\u0000-\u001F\u007F]/

// Checks run on the trimmed value; an empty one means "absent" and passes every rule.
function refine(fn: (value: string) => boolean, error: string) {
  return z.refine<string>((v) => v === '' || fn(v), { error, abort: true })
}

const HTTP_URL = 'must be an absolute http:// or https:// URL'

// `fetch` refuses URLs with credentials in browsers, and they would be printed with the public
// fields (`tokenUrl`, `baseUrls`): better to say so at parse time.
const noUserinfo = () =>
  refine((v) => {
    const url = parseHttpUrl(v)
    return url !== undefined && url.username === '' && url.password === ''
  }, 'must not contain a user name or password')

// Every message below is fixed text: zod's defaults are not used, so no value can leak into one.
// `abort` stops later checks once one has failed: one issue per variable is enough.
const text = (...checks: z.core.$ZodCheck<string>[]) =>
  z.string({ error: 'must be a string' }).check(
    z.maxLength(MAX_VALUE_LENGTH, { error: 'is longer than 8 KiB', abort: true }),
    z.trim(),
    // Every recognised value is one line of text; a control character means a broken paste or
    // an attempt to smuggle a header or form field into the token request.
    refine((v) => !CONTROL.test(v), 'must not contain control characters or line breaks'),
    ...checks,
  )

// Plain http is checked in resolve.ts, where CAMUNDA_ALLOW_INSECURE_HTTP and the strategy are known.
const tokenUrl = () =>
  text(
    refine((v) => parseHttpUrl(v) !== undefined, HTTP_URL),
    noUserinfo(),
  )

const baseUrl = () =>
  text(
    refine((v) => parseHttpUrl(v) !== undefined, HTTP_URL),
    noUserinfo(),
    // Paths are appended to base URLs; a query or fragment would end up in the middle of every URL.
    refine((v) => !/[?#]/.test(v), 'must not contain a query (?) or fragment (#)'),
  )

// Region and cluster id are spliced into the derived Zeebe URL, so they must not be able to move its
// host or path: letters, digits and dashes only.
const urlSegment = (example: string) =>
  text(refine((v) => /^[A-Za-z0-9-]+$/.test(v), `must hold only letters, digits and "-", like ${example}`))

// A choice among fixed words, any case: the official clients read CAMUNDA_AUTH_STRATEGY that way.
const oneOf = (words: readonly string[], error: string) => text(refine((v) => words.includes(v.toUpperCase()), error))

const BOOLEAN = ['TRUE', 'FALSE', '1', '0', 'YES', 'NO', 'ON', 'OFF']

// Milliseconds as digits, at most a day: a typo such as `5s` or `-1` is an error, not a default.
const millis = (min: number) =>
  text(
    refine(
      (v) => /^\d{1,9}$/.test(v) && Number(v) >= min && Number(v) <= 86_400_000,
      `must be a whole number of milliseconds from ${min} to 86400000`,
    ),
  )

// A host name or address as URL.hostname writes it, no scheme, port or path.
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/i

// A PEM spans lines, so the key is the one value that may hold line breaks (and `\n` typed as two
// characters, as single-line env files carry it); the key's own check names what is wrong.
const privateKey = () =>
  z.string({ error: 'must be a string' }).check(
    z.maxLength(MAX_VALUE_LENGTH, { error: 'is longer than 8 KiB', abort: true }),
    z.trim(),
    // The key's own words (fixed text that never quotes the key) say what is wrong with it.
    z.check<string>((ctx) => {
      const issue = ctx.value === '' ? undefined : assertionKeyIssue(ctx.value)
      if (issue) ctx.issues.push({ code: 'custom', message: issue, input: '', continue: false })
    }),
  )

/**
 * The zod/mini schema of each recognised variable.
 */
export const VARIABLE_SCHEMAS: { readonly [K in VariableName]: z.ZodMiniType<string, unknown> } = Object.freeze({
  ZEEBE_ADDRESS: text(),
  ZEEBE_GRPC_ADDRESS: text(),
  ZEEBE_REST_ADDRESS: baseUrl(),
  CAMUNDA_REST_ADDRESS: baseUrl(),
  ZEEBE_CLIENT_ID: text(),
  CAMUNDA_CLIENT_ID: text(),
  ZEEBE_CLIENT_SECRET: text(),
  CAMUNDA_CLIENT_SECRET: text(),
  ZEEBE_AUTHORIZATION_SERVER_URL: tokenUrl(),
  CAMUNDA_OAUTH_URL: tokenUrl(),
  ZEEBE_TOKEN_AUDIENCE: text(),
  CAMUNDA_TOKEN_AUDIENCE: text(),
  CAMUNDA_ZEEBE_OAUTH_AUDIENCE: text(),
  CAMUNDA_OPERATE_OAUTH_AUDIENCE: text(),
  CAMUNDA_TASKLIST_OAUTH_AUDIENCE: text(),
  CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE: text(),
  CAMUNDA_CLUSTER_ID: urlSegment('6f1c2a7e-3b5d-4c8e-9a0f-2d4b6c8e0a1b'),
  CAMUNDA_CLUSTER_REGION: urlSegment('bru-2'),
  CAMUNDA_CREDENTIALS_SCOPES: text(),
  CAMUNDA_TOKEN_SCOPE: text(),
  CAMUNDA_OAUTH_SCOPE: text(),
  CAMUNDA_OPERATE_BASE_URL: baseUrl(),
  CAMUNDA_TASKLIST_BASE_URL: baseUrl(),
  CAMUNDA_OPTIMIZE_BASE_URL: baseUrl(),
  CAMUNDA_AUTH_STRATEGY: oneOf(['OAUTH', 'BASIC', 'BEARER', 'NONE', 'COOKIE'], 'must be OAUTH, BASIC, BEARER or NONE'),
  CAMUNDA_OAUTH_DISABLED: oneOf(BOOLEAN, 'must be true or false'),
  // RFC 7617 §2: the user-id of Basic authentication cannot contain a colon.
  CAMUNDA_BASIC_AUTH_USERNAME: text(refine((v) => !v.includes(':'), 'must not contain ":" (HTTP Basic cannot carry it in a user name)')),
  CAMUNDA_BASIC_AUTH_PASSWORD: text(),
  CAMUNDA_OAUTH_TOKEN: text(
    refine((v) => !/^bearer\s/i.test(v), 'must be the token alone, without "Bearer "'),
    refine(isBearerToken, 'must be a bearer token (RFC 6750: letters, digits and -._~+/, then = padding)'),
  ),
  CAMUNDA_OAUTH_GRANT_TYPE: text(
    refine((v) => v === 'client_credentials', 'must be client_credentials, the only grant a client without a user can use'),
  ),
  CAMUNDA_OAUTH_PROVIDER: text(
    refine((v) => (PROVIDERS as readonly string[]).includes(v.toLowerCase()), `must be one of ${PROVIDERS.join(', ')}`),
  ),
  CAMUNDA_ZEEBE_OAUTH_SCOPE: text(),
  CAMUNDA_OPERATE_OAUTH_SCOPE: text(),
  CAMUNDA_TASKLIST_OAUTH_SCOPE: text(),
  CAMUNDA_OPTIMIZE_OAUTH_SCOPE: text(),
  CAMUNDA_CLIENT_ASSERTION_KEY: privateKey(),
  CAMUNDA_CLIENT_ASSERTION_KEY_ID: text(),
  CAMUNDA_CLIENT_ASSERTION_CERT_THUMBPRINT: text(
    refine(
      (v) => /^[A-Za-z0-9_-]{43}$/.test(v) || /^(?:[0-9a-f]{2}:?){31}[0-9a-f]{2}$/i.test(v),
      "must be the certificate's SHA-256 thumbprint: 64 hex digits, or 43 characters of base64url",
    ),
  ),
  CAMUNDA_TENANT_ID: text(),
  CAMUNDA_DEFAULT_TENANT_ID: text(),
  CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS: millis(0),
  CAMUNDA_OAUTH_TIMEOUT_MS: millis(1),
  CAMUNDA_ALLOW_INSECURE_HTTP: text(
    refine(
      (v) => v.split(',').every((host) => HOST.test(host.trim())),
      'must be a comma-separated list of host names, without scheme, port or path (e.g. keycloak,zeebe-gateway)',
    ),
  ),
})

/**
 * Check every present variable against its schema, collecting every issue rather than stopping at
 * the first.
 */
export function validateVariables(raw: RawVariables): { values: ValidVariables; issues: CredentialsIssue[] } {
  const values: { [K in VariableName]?: string } = Object.create(null)
  const issues: CredentialsIssue[] = []
  for (const name of VARIABLES) {
    if (!Object.hasOwn(raw, name)) continue
    const result = z.safeParse(VARIABLE_SCHEMAS[name], raw[name])
    if (!result.success) {
      for (const issue of result.error.issues) issues.push({ variable: name, message: issue.message })
    } else if (result.data !== '') {
      values[name] = result.data
    }
  }
  return { values, issues }
}

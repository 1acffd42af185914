/**
 * The environment variables a Camunda credential bundle may hold. Everything else in a source is
 * ignored, so only these names are ever read or copied.
 * @module
 */

/**
 * Every variable name `parseCredentials` reads, in the order issues are reported.
 */
export const VARIABLES = Object.freeze([
  'ZEEBE_ADDRESS',
  'ZEEBE_GRPC_ADDRESS',
  'ZEEBE_REST_ADDRESS',
  'CAMUNDA_REST_ADDRESS',
  'ZEEBE_CLIENT_ID',
  'CAMUNDA_CLIENT_ID',
  'ZEEBE_CLIENT_SECRET',
  'CAMUNDA_CLIENT_SECRET',
  'ZEEBE_AUTHORIZATION_SERVER_URL',
  'CAMUNDA_OAUTH_URL',
  'ZEEBE_TOKEN_AUDIENCE',
  'CAMUNDA_TOKEN_AUDIENCE',
  'CAMUNDA_ZEEBE_OAUTH_AUDIENCE',
  'CAMUNDA_OPERATE_OAUTH_AUDIENCE',
  'CAMUNDA_TASKLIST_OAUTH_AUDIENCE',
  'CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE',
  'CAMUNDA_CLUSTER_ID',
  'CAMUNDA_CLUSTER_REGION',
  'CAMUNDA_CREDENTIALS_SCOPES',
  'CAMUNDA_TOKEN_SCOPE',
  'CAMUNDA_OAUTH_SCOPE',
  'CAMUNDA_OPERATE_BASE_URL',
  'CAMUNDA_TASKLIST_BASE_URL',
  'CAMUNDA_OPTIMIZE_BASE_URL',
  'CAMUNDA_AUTH_STRATEGY',
  'CAMUNDA_OAUTH_DISABLED',
  'CAMUNDA_BASIC_AUTH_USERNAME',
  'CAMUNDA_BASIC_AUTH_PASSWORD',
  'CAMUNDA_OAUTH_TOKEN',
  'CAMUNDA_OAUTH_GRANT_TYPE',
  'CAMUNDA_OAUTH_PROVIDER',
  'CAMUNDA_ZEEBE_OAUTH_SCOPE',
  'CAMUNDA_OPERATE_OAUTH_SCOPE',
  'CAMUNDA_TASKLIST_OAUTH_SCOPE',
  'CAMUNDA_OPTIMIZE_OAUTH_SCOPE',
  'CAMUNDA_CLIENT_ASSERTION_KEY',
  'CAMUNDA_CLIENT_ASSERTION_KEY_ID',
  'CAMUNDA_CLIENT_ASSERTION_CERT_THUMBPRINT',
  'CAMUNDA_TENANT_ID',
  'CAMUNDA_DEFAULT_TENANT_ID',
  'CAMUNDA_OAUTH_TOKEN_REFRESH_THRESHOLD_MS',
  'CAMUNDA_OAUTH_TIMEOUT_MS',
  'CAMUNDA_ALLOW_INSECURE_HTTP',
] as const)

/**
 * The name of one recognised variable.
 */
export type VariableName = (typeof VARIABLES)[number]

// The names of each setting that more than one variable can give (Camunda's two clients name them
// differently), in the order they are read; the first is the one reported when it is missing.
export const CLIENT_ID = ['ZEEBE_CLIENT_ID', 'CAMUNDA_CLIENT_ID'] as const
export const CLIENT_SECRET = ['ZEEBE_CLIENT_SECRET', 'CAMUNDA_CLIENT_SECRET'] as const
export const TOKEN_URL = ['ZEEBE_AUTHORIZATION_SERVER_URL', 'CAMUNDA_OAUTH_URL'] as const
export const ZEEBE_AUDIENCE = ['ZEEBE_TOKEN_AUDIENCE', 'CAMUNDA_TOKEN_AUDIENCE', 'CAMUNDA_ZEEBE_OAUTH_AUDIENCE'] as const
export const REST_ADDRESS = ['ZEEBE_REST_ADDRESS', 'CAMUNDA_REST_ADDRESS'] as const
export const TOKEN_SCOPE = ['CAMUNDA_TOKEN_SCOPE', 'CAMUNDA_OAUTH_SCOPE'] as const
export const TENANT = ['CAMUNDA_TENANT_ID', 'CAMUNDA_DEFAULT_TENANT_ID'] as const

/**
 * The variable of each API's base URL but Zeebe's (which has aliases, and on SaaS is derived).
 */
export const BASE_URL_VARIABLES: Readonly<Record<'operate' | 'tasklist' | 'optimize', VariableName>> = {
  operate: 'CAMUNDA_OPERATE_BASE_URL',
  tasklist: 'CAMUNDA_TASKLIST_BASE_URL',
  optimize: 'CAMUNDA_OPTIMIZE_BASE_URL',
}

// A Set keeps the lookup O(1) and, unlike `name in someObject`, never consults Object.prototype.
const NAMES: ReadonlySet<string> = new Set(VARIABLES)

/**
 * Whether `name` is one of the recognised variables.
 */
export function isVariableName(name: string): name is VariableName {
  return NAMES.has(name)
}

/**
 * A null-prototype map of recognised variable → raw value, as read from a source. Values are
 * `unknown` because an env object may hold anything; the schema checks them.
 */
export type RawVariables = { [K in VariableName]?: unknown }

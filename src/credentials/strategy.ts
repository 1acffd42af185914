/**
 * Which strategy a bundle asks for: CAMUNDA_AUTH_STRATEGY (and CAMUNDA_OAUTH_DISABLED) as Camunda's
 * own clients read them, or, without them, the one whose credentials the bundle holds. Never "no
 * authentication" by default: a bundle that names neither is an error that says what to set.
 * @module
 */

import type { CredentialsIssue } from '../errors.ts'
import type { AuthStrategy } from '../types.ts'
import type { ValidVariables } from './schema.ts'
import type { VariableName } from './variables.ts'

// Which variables show that a bundle holds the credentials of each strategy.
const EVIDENCE: readonly (readonly [AuthStrategy, readonly VariableName[]])[] = [
  [
    'OAUTH',
    [
      'ZEEBE_CLIENT_ID',
      'CAMUNDA_CLIENT_ID',
      'ZEEBE_CLIENT_SECRET',
      'CAMUNDA_CLIENT_SECRET',
      'ZEEBE_AUTHORIZATION_SERVER_URL',
      'CAMUNDA_OAUTH_URL',
      'CAMUNDA_CLIENT_ASSERTION_KEY',
    ],
  ],
  ['BASIC', ['CAMUNDA_BASIC_AUTH_USERNAME', 'CAMUNDA_BASIC_AUTH_PASSWORD']],
  ['BEARER', ['CAMUNDA_OAUTH_TOKEN']],
]

const COOKIE =
  'is COOKIE, which cannot work here: it logs in with a form and resends the session cookie, and a browser fetch cannot ' +
  'read Set-Cookie. Against Camunda 8.8 or C8 Run use BASIC (CAMUNDA_BASIC_AUTH_USERNAME, CAMUNDA_BASIC_AUTH_PASSWORD); otherwise OAUTH or BEARER'

/** The strategy, or `undefined` with the reason among `issues`. */
export function resolveStrategy(
  values: ValidVariables,
  flagged: ReadonlySet<string>,
  issues: CredentialsIssue[],
): AuthStrategy | undefined {
  if (flagged.has('CAMUNDA_AUTH_STRATEGY') || flagged.has('CAMUNDA_OAUTH_DISABLED')) return undefined
  const named = values.CAMUNDA_AUTH_STRATEGY?.toUpperCase()
  const disabled = /^(?:true|1|yes|on)$/i.test(values.CAMUNDA_OAUTH_DISABLED ?? '')
  if (named === 'COOKIE') {
    issues.push({ variable: 'CAMUNDA_AUTH_STRATEGY', message: COOKIE })
    return undefined
  }
  if (disabled) {
    // Camunda's SDK lets it override any strategy; here a conflict is said, never settled silently.
    if (named !== undefined && named !== 'NONE') {
      issues.push({
        variable: 'CAMUNDA_OAUTH_DISABLED',
        message: `is true, which means CAMUNDA_AUTH_STRATEGY=NONE, but CAMUNDA_AUTH_STRATEGY is ${named}: remove one of them`,
      })
      return undefined
    }
    return 'NONE'
  }
  if (named !== undefined) return named as AuthStrategy

  const present = EVIDENCE.filter(([, names]) => names.some((name) => values[name] !== undefined || flagged.has(name))).map(([s]) => s)
  if (present.length === 1) return present[0]
  if (present.length > 1) {
    issues.push({
      variable: 'CAMUNDA_AUTH_STRATEGY',
      message: `is not set, and the bundle holds credentials for ${present.join(' and ')}: set CAMUNDA_AUTH_STRATEGY to the one to use`,
    })
    return undefined
  }
  // Nothing at all: report what OAUTH, the default, lacks, and how to choose another strategy.
  issues.push(
    { variable: 'ZEEBE_CLIENT_ID', message: 'is missing: set ZEEBE_CLIENT_ID or CAMUNDA_CLIENT_ID' },
    { variable: 'ZEEBE_CLIENT_SECRET', message: 'is missing: set ZEEBE_CLIENT_SECRET or CAMUNDA_CLIENT_SECRET' },
    { variable: 'ZEEBE_AUTHORIZATION_SERVER_URL', message: 'is missing: set ZEEBE_AUTHORIZATION_SERVER_URL or CAMUNDA_OAUTH_URL' },
    {
      variable: 'CAMUNDA_AUTH_STRATEGY',
      message:
        'is not set and the bundle holds no credentials: set the OAuth variables above, or CAMUNDA_AUTH_STRATEGY=BASIC ' +
        '(with CAMUNDA_BASIC_AUTH_USERNAME and CAMUNDA_BASIC_AUTH_PASSWORD), BEARER (with CAMUNDA_OAUTH_TOKEN), or NONE ' +
        'for a cluster that checks no credentials',
    },
  )
  return undefined
}

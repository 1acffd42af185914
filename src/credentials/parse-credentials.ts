/**
 * `parseCredentials`: any credential source in, frozen `Credentials` or one `CredentialsError` out.
 * @module
 */

import { CredentialsError, InvalidArgumentError } from '../errors.ts'
import { PROVIDERS } from './providers.ts'
import type { Credentials } from '../types.ts'
import { createCredentials } from './credentials.ts'
import { readSource } from './read-source.ts'
import { type ParseCredentialsOptions, resolveCredentials } from './resolve.ts'
import { validateVariables } from './schema.ts'

/**
 * Read and validate a Camunda 8 credential bundle.
 *
 * `source` may be an env object (`process.env`, `Deno.env.toObject()`, a Worker's `env`: only own
 * properties with recognised names are read), the text of the file the Camunda Console downloads
 * (`export KEY='value'` lines, or a `.env` file), or JSON text with the same keys.
 *
 * The strategy is CAMUNDA_AUTH_STRATEGY (`OAUTH`, `BASIC`, `BEARER`, `NONE`; CAMUNDA_OAUTH_DISABLED=true
 * means `NONE`), or else the one whose credentials the bundle holds; a bundle with none is an
 * error, never a silent "no authentication". The identity provider is detected from the token URL
 * (`options.provider` overrides it) and decides what each token request carries
 * (`credentials.audiences`, `credentials.scopes`). Plain `http:` URLs to hosts other than
 * loopback are refused unless CAMUNDA_ALLOW_INSECURE_HTTP (or `options.allowInsecureHttp`) lists them.
 *
 * Every problem is collected and thrown at once as a `CredentialsError` whose `issues` name the
 * variables. Nothing else is ever thrown for any `source` (a wrong `options` is an
 * `InvalidArgumentError`), and no message contains a value.
 *
 * @example
 * ```ts
 * // The Console's download, read by whatever the runtime offers (here Deno)
 * const credentials = parseCredentials(await Deno.readTextFile('credentials.txt'))
 * credentials.tokenUrl        // 'https://login.cloud.camunda.io/oauth/token'
 * credentials.audiences.zeebe // 'zeebe.camunda.io'
 * credentials.baseUrls.zeebe  // 'https://bru-2.zeebe.camunda.io/6f1c2a7e-…'
 * ```
 * @example
 * ```ts
 * // In a Cloudflare Worker
 * export default { fetch: (request, env) => handle(request, parseCredentials(env)) }
 * ```
 * @see {@link https://docs.camunda.io/docs/components/console/manage-clusters/manage-api-clients/ Camunda: API clients and their credential bundle}
 */
export function parseCredentials(source: unknown, options?: ParseCredentialsOptions): Credentials {
  checkOptions(options)
  try {
    const read = readSource(source)
    const checked = validateVariables(read.values)
    const flagged = new Set([...read.issues, ...checked.issues].map((i) => i.variable))
    const resolved = resolveCredentials(checked.values, flagged, options)
    const issues = [...read.issues, ...checked.issues, ...resolved.issues]
    if (issues.length > 0 || resolved.fields === undefined || resolved.secrets === undefined) {
      throw new CredentialsError(issues)
    }
    return createCredentials(resolved.fields, resolved.secrets)
  } catch (err) {
    if (err instanceof CredentialsError) throw err
    // A hostile source (a revoked Proxy, a throwing getter) can make anything throw. Its error is
    // not attached as `cause`: it could quote a value.
    throw new CredentialsError([{ variable: '(source)', message: 'could not be read' }])
  }
}

// Options are code, not configuration: a wrong one is a bug, said as such.
function checkOptions(options: ParseCredentialsOptions | undefined): void {
  if (options === undefined) return
  const { allowInsecureHttp, provider } = options
  if (allowInsecureHttp !== undefined && !(Array.isArray(allowInsecureHttp) && allowInsecureHttp.every((h) => typeof h === 'string'))) {
    throw new InvalidArgumentError('parseCredentials: allowInsecureHttp must be an array of host names')
  }
  if (provider !== undefined && !PROVIDERS.includes(provider)) {
    throw new InvalidArgumentError(`parseCredentials: provider must be one of ${PROVIDERS.join(', ')}`)
  }
}

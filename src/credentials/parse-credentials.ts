/**
 * `parseCredentials`: any credential source in, frozen `Credentials` or one `CredentialsError` out.
 * @module
 */

import { CredentialsError } from '../errors.ts'
import type { Credentials } from '../types.ts'
import { createCredentials } from './credentials.ts'
import { readSource } from './read-source.ts'
import { resolveCredentials } from './resolve.ts'
import { validateVariables } from './schema.ts'

/**
 * Read and validate a Camunda 8 credential bundle.
 *
 * `source` may be an env object (`process.env`, `Deno.env.toObject()`, a Worker's `env`: only own
 * properties with recognised names are read), the text of the file the Camunda Console downloads
 * (`export KEY='value'` lines, or a `.env` file), or JSON text with the same keys.
 *
 * Every problem is collected and thrown at once as a `CredentialsError` whose `issues` name the
 * variables. Nothing else is ever thrown, whatever `source` is, and no message contains a value.
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
export function parseCredentials(source: unknown): Credentials {
  try {
    const read = readSource(source)
    const checked = validateVariables(read.values)
    const flagged = new Set([...read.issues, ...checked.issues].map((i) => i.variable))
    const resolved = resolveCredentials(checked.values, flagged)
    const issues = [...read.issues, ...checked.issues, ...resolved.issues]
    if (issues.length > 0 || resolved.fields === undefined || resolved.clientSecret === undefined) {
      throw new CredentialsError(issues)
    }
    return createCredentials(resolved.fields, resolved.clientSecret)
  } catch (err) {
    if (err instanceof CredentialsError) throw err
    // A hostile source (a revoked Proxy, a throwing getter) can make anything throw. Its error is
    // not attached as `cause`: it could quote a value.
    throw new CredentialsError([{ variable: '(source)', message: 'could not be read' }])
  }
}

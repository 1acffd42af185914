/**
 * Build the frozen `Credentials` object, with a client secret that no serialiser can see.
 * @module
 */

import type { Credentials } from '../types.ts'
import type { CredentialFields, CredentialSecrets } from './resolve.ts'

/**
 * What `toJSON` and `util.inspect` show instead of a secret.
 */
export const REDACTED = '[redacted]'

// `Symbol.for` is the registry symbol Node's util.inspect (and so console.log) looks for; using it
// needs no Node import, and other runtimes simply ignore it.
const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/**
 * Freeze `fields` (deeply) into a `Credentials` object whose secrets (client secret, password,
 * static token, private key) are non-enumerable getters over a closure. `JSON.stringify`,
 * spreading, `Object.keys`, `structuredClone`, `util.inspect` (also with `showHidden`) and
 * `console.log` never show them.
 */
export function createCredentials(fields: CredentialFields, secrets: CredentialSecrets): Credentials {
  const publicFields = {
    ...fields,
    audiences: ownOnly(fields.audiences),
    scopes: ownOnly(fields.scopes),
    baseUrls: ownOnly(fields.baseUrls),
    grantedScopes: Object.freeze([...fields.grantedScopes]),
    insecureHosts: Object.freeze([...fields.insecureHosts]),
  }
  // A fresh object per call, so a caller mutating the redacted view cannot affect the credentials.
  // A secret the bundle has shows as [redacted]; one it lacks does not show at all.
  const redacted = () => {
    const { strategy, clientId, ...rest } = publicFields
    const shown: Record<string, string> = {}
    for (const [name, value] of Object.entries(secrets)) if (value !== '' || name === 'clientSecret') shown[name] = REDACTED
    return { strategy, clientId, ...shown, ...rest }
  }

  const credentials = { ...publicFields }
  const properties: PropertyDescriptorMap = {
    toJSON: { value: redacted, enumerable: false },
    [INSPECT]: { value: redacted, enumerable: false },
  }
  for (const [name, value] of Object.entries(secrets)) properties[name] = { get: () => value, enumerable: false }
  Object.defineProperties(credentials, properties)
  return Object.freeze(credentials) as Credentials
}

// No prototype, so `baseUrls.tasklist` finds nothing when some other code has set
// `Object.prototype.tasklist`: a polluted prototype must not become where a token is sent.
function ownOnly<T extends object>(fields: T): Readonly<T> {
  return Object.freeze(Object.assign(Object.create(null) as T, fields))
}

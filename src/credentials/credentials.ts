/**
 * Build the frozen `Credentials` object, with a client secret that no serialiser can see.
 * @module
 */

import type { Credentials } from '../types.ts'
import type { CredentialFields } from './resolve.ts'

/**
 * What `toJSON` and `util.inspect` show instead of the client secret.
 */
export const REDACTED = '[redacted]'

// `Symbol.for` is the registry symbol Node's util.inspect (and so console.log) looks for; using it
// needs no Node import, and other runtimes simply ignore it.
const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/**
 * Freeze `fields` (deeply) into a `Credentials` object whose `clientSecret` is a non-enumerable
 * getter over a closure. `JSON.stringify`, spreading, `Object.keys`, `structuredClone`,
 * `util.inspect` (also with `showHidden`) and `console.log` never show the secret.
 */
export function createCredentials(fields: CredentialFields, clientSecret: string): Credentials {
  const audiences = ownOnly(fields.audiences)
  const baseUrls = ownOnly(fields.baseUrls)
  const grantedScopes = Object.freeze([...fields.grantedScopes])
  const publicFields = {
    clientId: fields.clientId,
    tokenUrl: fields.tokenUrl,
    audiences,
    scope: fields.scope,
    grantedScopes,
    clusterId: fields.clusterId,
    region: fields.region,
    zeebeGrpcAddress: fields.zeebeGrpcAddress,
    baseUrls,
    saas: fields.saas,
  }
  // A fresh object per call, so a caller mutating the redacted view cannot affect the credentials.
  const redacted = () => {
    const { clientId, ...rest } = publicFields
    return { clientId, clientSecret: REDACTED, ...rest }
  }

  const credentials = { ...publicFields }
  Object.defineProperties(credentials, {
    clientSecret: { get: () => clientSecret, enumerable: false },
    toJSON: { value: redacted, enumerable: false },
    [INSPECT]: { value: redacted, enumerable: false },
  })
  return Object.freeze(credentials) as Credentials
}

// No prototype, so `baseUrls.tasklist` finds nothing when some other code has set
// `Object.prototype.tasklist`: a polluted prototype must not become where a token is sent.
function ownOnly<T extends object>(fields: T): Readonly<T> {
  return Object.freeze(Object.assign(Object.create(null) as T, fields))
}

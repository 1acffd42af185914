/**
 * Credential bundles: parse the Camunda Console file, `.env` text, JSON or an env object into
 * frozen, validated `Credentials`.
 *
 * @example
 * ```ts
 * import { parseCredentials } from 'camunda-edge-auth'
 *
 * const credentials = parseCredentials(process.env)
 * ```
 * @module
 */

export { parseCredentials } from './parse-credentials.ts'
export type { ParseCredentialsOptions } from './resolve.ts'
export { isLoopbackHost } from './loopback.ts'

/**
 * `camunda-edge-auth/dev-server`: an embedded OAuth server that behaves like Camunda SaaS's, for
 * demos, examples and tests that must run offline. Web APIs only.
 *
 * @example
 * ```ts
 * import { createDevAuthServer, devCredentials } from 'camunda-edge-auth/dev-server'
 * const server = createDevAuthServer()
 * ```
 * @module camunda-edge-auth/dev-server
 */

export { createDevAuthServer } from './dev-server/server.ts'
export type { DevAuthServer } from './dev-server/server.ts'
export { devCredentials, type DevCredentialsOptions } from './dev-server/credentials.ts'
export { DEFAULT_CLIENT, DEFAULT_ISSUER, SAAS_AUDIENCES } from './dev-server/options.ts'
export type { DevAuthServerOptions, DevClient, DevRateLimit, DevUser } from './dev-server/options.ts'
export { DEV_ENTRA_TENANT, type DevProfile } from './dev-server/profiles.ts'
export { MALFORMED_BODIES } from './dev-server/faults.ts'
export type { DevFault, FaultInput, FaultQueue, JwtShape, MalformedBody } from './dev-server/faults.ts'
export { ConnectionResetError } from './dev-server/connection-reset.ts'
export type { ApiRequestLogEntry, TokenRequestFilter, TokenRequestLogEntry } from './dev-server/request-log.ts'
export type { DevPublicJwk } from './dev-server/keys.ts'
export type { DevCluster, DevProcessInstance, DevUserTask } from './dev-server/cluster.ts'

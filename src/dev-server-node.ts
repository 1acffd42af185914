/**
 * `camunda-edge-auth/dev-server/node`: serve the dev authorization server on a loopback port with
 * `node:http`. Node only; everything else is in `camunda-edge-auth/dev-server`.
 *
 * @example
 * ```ts
 * import { listenDevAuthServer } from 'camunda-edge-auth/dev-server/node'
 * const { url, close } = await listenDevAuthServer()
 * ```
 * @module camunda-edge-auth/dev-server/node
 */

export { listenDevAuthServer } from './dev-server/node.ts'
export type { ListenOptions, ListeningDevAuthServer } from './dev-server/node.ts'

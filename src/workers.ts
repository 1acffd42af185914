/**
 * camunda-edge-auth/workers: Cloudflare Workers adapters. A KV token store, cross-isolate refresh
 * coordination (a KV lease, or a Durable Object), a token broker and an API proxy.
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { kvStore, durableObjectCoordinator } from 'camunda-edge-auth/workers'
 * ```
 * @module
 */

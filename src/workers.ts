/**
 * camunda-edge-auth/workers: Cloudflare Workers adapters. A KV token store, cross-isolate refresh
 * coordination (a KV lease, or a Durable Object), a token broker and an API proxy.
 *
 * @example
 * ```ts
 * import { createAuth, parseCredentials } from 'camunda-edge-auth'
 * import { kvStore, durableObjectCoordinator } from 'camunda-edge-auth/workers'
 * ```
 * @module camunda-edge-auth/workers
 */
export { kvStore, type KvStoreOptions } from './kv/kv-store.ts'
export { kvLeaseCoordinator, type KvLeaseOptions } from './kv/kv-lease.ts'
export { TokenLockObject } from './durable-object/token-lock-object.ts'
export { durableObjectCoordinator, type DurableObjectCoordinatorOptions } from './durable-object/durable-object-coordinator.ts'
export type { KvNamespaceLike, KvReadOptions, KvWriteOptions } from './kv/kv-namespace.ts'
export type { DurableObjectNamespaceLike, DurableObjectStubLike, StubRequestInit, StubResponseLike } from './durable-object/bindings.ts'
export { createTokenBroker, type TokenBrokerOptions } from './broker/token-broker.ts'
export { createCamundaProxy, type CamundaProxyOptions } from './proxy/camunda-proxy.ts'
export { PROXY_REQUEST_HEADERS, PROXY_RESPONSE_HEADERS } from './proxy/proxy-headers.ts'
export type { RequestAuthorizer, HandlerErrorListener } from './http/authorize.ts'

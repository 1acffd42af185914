/**
 * The parts of `cloudflare:test` these tests use, typed with the importable Workers types.
 *
 * The Workers types cannot be global here: `src/` is checked against the DOM lib (it runs in
 * browsers too), and the global Workers types merge with it into conflicting `Request` types.
 */
declare module 'cloudflare:test' {
  import type { DurableObjectNamespace, Fetcher, KVNamespace } from '@cloudflare/workers-types/experimental'

  /** The bindings of test/workerd/vitest.config.ts. */
  export interface TestEnv {
    readonly TOKENS: KVNamespace
    readonly TOKEN_LOCK: DurableObjectNamespace
  }
  export const env: TestEnv
  export const SELF: Fetcher
}

/**
 * The shared credential fixtures (`shared/fixtures/` beside the clone, where CI checks it out) and
 * the values the tests expect of them. No file access here, so every runtime can import it: Node
 * reads the files in test/credentials/fixtures.ts, Deno in test/deno/fixtures.ts, and workerd and
 * Chromium are handed their text by their runners.
 */

/** Where one fixture file is. A function, so that importing this module reads no `import.meta.url`. */
export function fixtureUrl(name: string): URL {
  return new URL(`../../../shared/fixtures/${name}`, import.meta.url)
}

export const SAAS_SECRET = 's3cr3t.Value~With-Specials_0123456789abcdefghijklmnopqrstuvwxyzAB'
export const CLUSTER_ID = '6f1c2a7e-3b5d-4c8e-9a0f-2d4b6c8e0a1b'
export const SAAS_TOKEN_URL = 'https://login.cloud.camunda.io/oauth/token'

/**
 * The shared credential fixtures, found where the Node tests find them: `shared/` beside the clone
 * (test/credentials/fixtures.ts).
 * @module
 */

/** The fixtures folder. */
export const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url)

/** The text of one fixture file. */
export function readFixture(name: string): Promise<string> {
  return Deno.readTextFile(new URL(name, FIXTURES))
}

export const SAAS_SECRET = 's3cr3t.Value~With-Specials_0123456789abcdefghijklmnopqrstuvwxyzAB'
export const CLUSTER_ID = '6f1c2a7e-3b5d-4c8e-9a0f-2d4b6c8e0a1b'

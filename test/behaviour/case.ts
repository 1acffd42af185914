/**
 * What a behaviour case is. The core's behaviours are written once, in this folder, as plain async
 * functions on web APIs alone, and every runtime runs the same ones through a small runner of its
 * own: suite.test.ts (Node), suite.workerd.test.ts (workerd), suite.chromium.test.ts (a real
 * Chromium page) and suite.deno.test.ts (Deno). A case fails by throwing (chai's `assert`); it
 * imports no test framework and no Node built-in, and reaches the dev authorization server as an
 * in-process `fetch` with its own clock, so nothing listens and nothing sleeps.
 * @module
 */

/** The shared fixture files the cases read; each runner reads them its own way and hands them in. */
export const FIXTURE_NAMES = [
  'saas-credentials.txt',
  'self-managed.env',
  'credentials.json',
  'broken-missing-secret.txt',
  'self-managed-basic.env',
  'bearer.env',
  'entra-id.env',
] as const

export type FixtureName = (typeof FIXTURE_NAMES)[number]

/** The text of every fixture in {@link FIXTURE_NAMES}, by file name. */
export type Fixtures = Readonly<Record<FixtureName, string>>

/** What a runner gives every case. */
export interface SuiteContext {
  readonly fixtures: Fixtures
  /**
   * The runtime's own inspector, what its `console.log` prints (`util.inspect` under Node,
   * `Deno.inspect` under Deno), with hidden properties and getters shown; none in workerd and
   * Chromium. The redaction cases check its output too where there is one.
   */
  readonly inspect?: (value: unknown) => string
}

/** One behaviour: its name says what it proves; `run` throws if it does not hold. */
export interface BehaviourCase {
  readonly name: string
  run(context: SuiteContext): Promise<void>
}

/** The cases of one concept (credentials, single flight, …), reported together. */
export interface BehaviourGroup {
  readonly name: string
  readonly cases: readonly BehaviourCase[]
}

/** Reads every fixture with the runtime's own `read`. */
export async function loadFixtures(read: (name: FixtureName) => string | Promise<string>): Promise<Fixtures> {
  const texts = await Promise.all(FIXTURE_NAMES.map(async (name) => [name, await read(name)] as const))
  return Object.fromEntries(texts) as Record<FixtureName, string>
}

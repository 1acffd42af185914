/**
 * The shared credential fixtures, read with `Deno.readTextFile` from where the Node tests find
 * them (test/helpers/fixtures.ts).
 * @module
 */
import { fixtureUrl } from '../helpers/fixtures.ts'

/** The text of one fixture file. */
export function readFixture(name: string): Promise<string> {
  return Deno.readTextFile(fixtureUrl(name))
}

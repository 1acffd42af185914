/**
 * The behaviour suite under Deno (`npm run test:deno`): one `Deno.test` per case, with Deno's
 * sanitizers on, so a case that leaves a timer or a request running fails here. The redaction
 * cases also read `Deno.inspect` (what `console.log` prints), plain and with hidden properties and
 * getters.
 */
import { readFixture } from '../deno/fixtures.ts'
import { loadFixtures } from './case.ts'
import { CASES } from './suite.ts'

const context = {
  fixtures: await loadFixtures(readFixture),
  inspect: (value: unknown) =>
    `${Deno.inspect(value, { depth: 10 })}\n${Deno.inspect(value, { depth: 10, showHidden: true, getters: true })}`,
}

for (const behaviour of CASES) Deno.test(`behaviour: ${behaviour.id}`, () => behaviour.run(context))

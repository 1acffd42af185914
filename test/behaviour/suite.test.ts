/**
 * The behaviour suite under Node: one `it` per case, grouped as the suite groups them; the
 * redaction cases also read `util.inspect`, plain and with hidden properties and getters.
 */
import { inspect } from 'node:util'
import { describe, it } from 'vitest'
import { readFixture } from '../credentials/fixtures.ts'
import { loadFixtures } from './case.ts'
import { SUITE } from './suite.ts'

const context = {
  fixtures: await loadFixtures(readFixture),
  inspect: (value: unknown) => `${inspect(value, { depth: 10 })}\n${inspect(value, { depth: 10, showHidden: true, getters: true })}`,
}

for (const group of SUITE) {
  describe(`behaviour: ${group.name}`, () => {
    for (const behaviour of group.cases) it(behaviour.name, () => behaviour.run(context))
  })
}

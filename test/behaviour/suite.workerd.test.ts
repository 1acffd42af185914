/**
 * The behaviour suite inside workerd: one `it` per case, grouped as the suite groups them. The
 * fixtures come from test/workerd/vitest.config.ts (`provide`), since workerd reads no files.
 */
import { describe, inject, it } from 'vitest'
import type { Fixtures } from './case.ts'
import { SUITE } from './suite.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    behaviourFixtures: Fixtures
  }
}

const context = { fixtures: inject('behaviourFixtures') }

for (const group of SUITE) {
  describe(`behaviour in workerd: ${group.name}`, () => {
    for (const behaviour of group.cases) it(behaviour.name, () => behaviour.run(context))
  })
}

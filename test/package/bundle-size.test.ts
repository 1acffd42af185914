// Size budgets: each case, bundled from the packed tarball as a user's app would bundle it (jose,
// zod and idb-keyval included, minified, gzipped), must stay within its budget in
// bench/budgets.json, in esbuild (as wrangler runs it) and in rollup (as Vite builds). Built by the
// same code as `npm run bench` (W5), so the test and the table never disagree. Bytes only: no test
// here asserts a duration.
import { describe, expect, inject, it } from 'vitest'
import { BUNDLERS, describeParts, measureBundle, readBudgets, SIZE_CASES } from '../../bench/bundle-size.ts'

const project = inject('packedProject')
const budgets = await readBudgets()
const cases = SIZE_CASES.filter((sizeCase) => !sizeCase.anchor)

describe('bundle size budgets (min+gzip bytes, from the packed tarball)', () => {
  it('gives every project case a budget in each bundler, and budgets only cases that exist', () => {
    expect(Object.keys(budgets).sort()).toEqual(cases.map((c) => c.name).sort())
    for (const name of Object.keys(budgets)) expect(Object.keys(budgets[name]!).sort()).toEqual([...BUNDLERS].sort())
  })

  it.each(cases.flatMap((sizeCase) => BUNDLERS.map((bundler) => [sizeCase.name, bundler, sizeCase] as const)))(
    '%s in %s stays within its budget',
    async (name, bundler, sizeCase) => {
      const size = await measureBundle(project, sizeCase, bundler)
      const budget = budgets[name]![bundler]
      // On failure, say where the bytes are, so the fix starts at the right module.
      expect(
        size.gzip,
        `${name} (${bundler}) is ${size.gzip} B, over its budget of ${budget} B; ${describeParts(size)}`,
      ).toBeLessThanOrEqual(budget)
    },
  )
})

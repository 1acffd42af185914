// Size budgets: each entry, bundled as a user's app would bundle it (jose and zod included,
// minified, gzipped), must stay within its budget in bench/budgets.json. Built by the same code
// as `npm run bench` (W5), so the test and the table never disagree. Bytes only: no test here
// asserts a duration.
import { describe, expect, it } from 'vitest'
import { BUNDLE_ENTRIES, measureBundle, readBudgets } from '../../bench/bundle-size.ts'

const budgets = readBudgets()
const entries = BUNDLE_ENTRIES.filter((entry) => !entry.anchor)

describe('bundle size budgets (min+gzip bytes)', () => {
  it('gives every project entry a budget, and budgets only entries that exist', () => {
    expect(Object.keys(budgets).sort()).toEqual(entries.map((e) => e.name).sort())
  })

  it.each(entries.map((entry) => [entry.name, entry] as const))('%s stays within its budget', async (name, entry) => {
    const { gzip, groups } = await measureBundle(entry)
    const budget = budgets[name]!
    // On failure, say where the bytes are, so the fix starts at the right module.
    const parts = groups.map((g) => `${g.group} ${g.gzip}`).join(', ')
    expect(gzip, `${name} is ${gzip} B, over its budget of ${budget} B; largest parts: ${parts}`).toBeLessThanOrEqual(budget)
  })
})

/**
 * Section summaries for the reliability suite: every case is counted when it starts and again when
 * its assertions all passed, and each section prints one line, e.g.
 * `[reliability] fault matrix: 27 cases tried, 27 passed`.
 */
import { afterAll, it } from 'vitest'

/**
 * Declares a section. Use the returned `check` instead of `it`; a case that throws is counted as
 * tried but not passed, and vitest reports it as failed as usual.
 */
export function section(name: string) {
  let tried = 0
  let passed = 0
  afterAll(() => {
    console.log(`[reliability] ${name}: ${tried} cases tried, ${passed} passed`)
  })
  const check = (title: string, fn: () => Promise<void> | void, timeout?: number) =>
    it(
      title,
      async () => {
        tried++
        await fn()
        passed++
      },
      timeout,
    )
  /** Counts `count` generated cases at once (property tests), all passing only if `fn` does not throw. */
  const checkMany = (title: string, count: number, fn: () => Promise<void> | void, timeout?: number) =>
    it(
      title,
      async () => {
        tried += count
        await fn()
        passed += count
      },
      timeout,
    )
  return { check, checkMany }
}

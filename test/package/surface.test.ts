/**
 * The public surface, entry by entry, held to committed snapshots in test/package/__snapshots__/,
 * so a change to what users can import is always deliberate. Each file lists the run-time exports
 * of the installed tarball (`Object.keys(await import(entry))`) and the declarations its .d.ts
 * files give each export (printed by the TypeScript compiler, comments dropped), then the package's
 * own types those declarations mention without exporting.
 *
 * After a deliberate change, regenerate and review the diff:
 *
 *     npx vitest run test/package -u
 *
 * With CI=true vitest writes no snapshot, so a surface that differs from the committed files fails.
 */
import { describe, expect, inject, it } from 'vitest'
import { declaredExports, ENTRIES, formatSurface, runtimeExports } from './surface.ts'

const project = inject('packedProject')
const [runtime, declared] = await Promise.all([runtimeExports(project), declaredExports(project)])
const fileOf = (entry: string) => `./__snapshots__/surface/${entry.replace(/\//g, '+')}.md`

describe('the public surface of the packed package', () => {
  it.each(ENTRIES)('%s: every run-time export is declared as a value, and every declared value exists', (entry) => {
    const values = declared[entry]!.exports.filter((e) => e.value).map((e) => e.name)
    expect(runtime[entry]).toEqual(values.sort())
  })

  it.each(ENTRIES)('%s matches its committed surface snapshot', async (entry) => {
    await expect(formatSurface(entry, runtime[entry]!, declared[entry]!)).toMatchFileSnapshot(fileOf(entry))
  })
})

/**
 * jsr.json (the JSR publish config, `deno publish --config jsr.json`) repeats what package.json says:
 * the version, the subpaths and the dependency ranges. They must not drift apart. That the package
 * publishes is checked by `npm run test:jsr` (a `deno publish --dry-run`), part of `npm test`.
 */
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'

const read = async (file: string) => JSON.parse(await readFile(new URL(`../../${file}`, import.meta.url), 'utf8'))
const [pkg, jsr] = await Promise.all([read('package.json'), read('jsr.json')])

describe('jsr.json', () => {
  it('has the version of package.json', () => {
    expect(jsr.version).toBe(pkg.version)
  })

  it("exports package.json's subpaths, each from the source file its dist file is built from", () => {
    const subpaths = Object.entries(pkg.exports as Record<string, { default: string } | string>)
      .filter(([subpath]) => subpath !== './package.json')
      .map(([subpath, target]) => [subpath, (target as { default: string }).default.replace(/^\.\/dist\/(.+)\.js$/, './src/$1.ts')])
    expect(jsr.exports).toEqual(Object.fromEntries(subpaths))
  })

  it("maps every dependency to npm: with package.json's range", () => {
    const ranges = Object.entries(jsr.imports as Record<string, string>).map(([specifier, target]) => {
      const [, name, range] = /^npm:((?:@[^/]+\/)?[^@/]+)@([^/]+)/.exec(target)!
      expect(specifier === name || specifier.startsWith(`${name}/`), `${specifier} → ${target}`).toBe(true)
      return [name, range]
    })
    expect(Object.fromEntries(ranges)).toEqual(pkg.dependencies)
  })
})

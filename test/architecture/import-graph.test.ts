/**
 * The layout's rules, checked on the source: no import cycle anywhere in src/, types.ts a leaf,
 * and Node built-ins only in Node-only files: named node.ts, the *-node.ts entries, and the files of
 * src/node/ (the file store: every file there is Node-only, and tsconfig.node.json checks them).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))
const IMPORT = /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  )
}

const files = sourceFiles(SRC)
// Comments are dropped first: a TSDoc example's import is not an import.
const code = (file: string) =>
  readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
const specifiers = new Map(files.map((file) => [file, [...code(file).matchAll(IMPORT)].map((m) => m[1]!)]))
const graph = new Map(
  files.map((file) => [
    file,
    specifiers
      .get(file)!
      .filter((s) => s.startsWith('.'))
      .map((s) => normalize(join(dirname(file), s))),
  ]),
)
const name = (file: string) => relative(SRC, file)

/** Every cycle in the import graph, each as the list of files on it (Tarjan's strongly connected components). */
function cycles(): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const found: string[][] = []
  const visit = (file: string) => {
    index.set(file, index.size)
    low.set(file, index.get(file)!)
    stack.push(file)
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(file, Math.min(low.get(file)!, low.get(next)!))
      } else if (stack.includes(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!))
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        component.push(name(member))
      } while (member !== file)
      if (component.length > 1) found.push(component)
    }
  }
  for (const file of files) if (!index.has(file)) visit(file)
  return found
}

describe('the import graph of src/', () => {
  it('has no cycle', () => {
    expect(files.length).toBeGreaterThan(50)
    expect(cycles()).toEqual([])
  })

  it('has types.ts as a leaf: it imports nothing', () => {
    expect(specifiers.get(join(SRC, 'types.ts'))).toEqual([])
  })

  it('imports Node built-ins only in Node-only files', () => {
    const nodeOnly = (file: string) => /(^|\/)node\.ts$|-node\.ts$|^node\//.test(name(file))
    const offenders = files.filter((file) => !nodeOnly(file) && specifiers.get(file)!.some((s) => s.startsWith('node:')))
    expect(offenders.map(name)).toEqual([])
  })

  it('resolves every relative import to a file that exists', () => {
    const missing = [...graph].flatMap(([file, deps]) => deps.filter((dep) => !files.includes(dep)).map((dep) => `${name(file)} → ${dep}`))
    expect(missing).toEqual([])
  })
})

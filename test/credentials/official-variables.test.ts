/**
 * The README's table of the official clients' variables against the clients themselves: every
 * variable `@camunda8/sdk` and `@camunda8/orchestration-cluster-api` define (read from the installed
 * packages) has its row, and what a row says is read or mapped is a variable parseCredentials
 * recognises, while what it says is ignored is not. A devDependency upgrade that adds a variable
 * fails here until the table says what happens to it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isVariableName } from '../../src/credentials/variables.ts'

const require = createRequire(import.meta.url)

/** The keys of `@camunda8/sdk`'s typed-env schema (lib/Configuration.js), nested settings included. */
function sdkVariables(): string[] {
  const source = readFileSync(join(dirname(require.resolve('@camunda8/sdk/package.json')), 'dist/lib/Configuration.js'), 'utf8')
  return [...source.matchAll(/^ {4}([A-Z][A-Z0-9_]+): \{/gm)].map((m) => m[1]!)
}

/** The keys of `@camunda8/orchestration-cluster-api`'s configuration SCHEMA, from its bundled chunk. */
function ocaVariables(): string[] {
  // Its exports hide package.json; the main entry sits in dist/ beside the chunks.
  const dist = dirname(require.resolve('@camunda8/orchestration-cluster-api'))
  const source = readdirSync(dist)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(dist, file), 'utf8'))
    .find((text) => text.includes('var SCHEMA = {'))
  if (!source) throw new Error('orchestration-cluster-api no longer has a SCHEMA object: read its configuration anew')
  const start = source.indexOf('var SCHEMA = {')
  return [...source.slice(start, source.indexOf('\n};', start)).matchAll(/^ {2}([A-Z][A-Z0-9_]+): \{/gm)].map((m) => m[1]!)
}

/** Each row of the README table (padded or not, as the formatter leaves it): its variables, clients and verdict. */
function readmeRows(): { names: string[]; clients: string; here: string }[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const lines = readme.slice(readme.indexOf("### Variables of Camunda's own clients")).split('\n')
  const first = lines.findIndex((line) => line.startsWith('|'))
  const end = lines.findIndex((line, i) => i > first && !line.startsWith('|'))
  return lines.slice(first + 2, end).map((line) => {
    const [names = '', clients = '', here = ''] = line
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim())
    return { names: [...names.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!), clients, here }
  })
}

describe("the README's table of the official clients' variables", () => {
  const sdk = sdkVariables()
  const oca = ocaVariables()
  const rows = readmeRows()
  const inTable = rows.flatMap((row) => row.names)

  it('reads both clients (dozens of variables each, the strategy among them) and the README table', () => {
    expect(rows.length).toBeGreaterThan(30)
    expect(sdk.length).toBeGreaterThan(50)
    expect(oca.length).toBeGreaterThan(30)
    expect(sdk).toContain('CAMUNDA_AUTH_STRATEGY')
    expect(oca).toContain('CAMUNDA_AUTH_STRATEGY')
  })

  it('has a row for every variable of either client, and each only once', () => {
    expect([...new Set([...sdk, ...oca])].filter((name) => !inTable.includes(name))).toEqual([])
    expect(inTable.length).toBe(new Set(inTable).size)
  })

  it('names in each row a client that defines each of its variables', () => {
    for (const { names, clients } of rows) {
      for (const name of names) {
        const defined = (sdk.includes(name) && clients.includes('sdk')) || (oca.includes(name) && clients.includes('oca'))
        expect([name, defined]).toEqual([name, true])
      }
    }
  })

  it('says "read" or "mapped" only of variables parseCredentials recognises, and "ignored" only of others', () => {
    for (const { names, here } of rows) {
      const used = /^(?:read|mapped)\b/.test(here)
      for (const name of names) expect([name, isVariableName(name)]).toEqual([name, used])
    }
  })
})

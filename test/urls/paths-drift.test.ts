/**
 * KnownZeebePath against the installed official client, @camunda8/orchestration-cluster-api: its
 * routes are read from the package itself (its bundle, cross-checked with its declarations), never
 * from a copy. A devDependency upgrade that adds, removes or renames a route fails here until
 * `npm run gen:paths` has rewritten src/urls/paths.ts.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  CLIENT_PACKAGE,
  type ClientRoutes,
  HAND_MAINTAINED_MARKER,
  pathDrift,
  readClientDeclaredUrls,
  readClientRoutes,
  readPathUnion,
  renderPathsFile,
  ZEEBE_PATH_PREFIX,
  zeebePaths,
} from '../../scripts/zeebe-routes.ts'

const PATHS_FILE = fileURLToPath(new URL('../../src/urls/paths.ts', import.meta.url))
const committed = readFileSync(PATHS_FILE, 'utf8')
const client = readClientRoutes()
const clientPaths = zeebePaths(client.operations).map(({ path }) => path)
const typedPaths = readPathUnion(PATHS_FILE, 'KnownZeebePath')
const REGENERATE = 'run `npm run gen:paths` and commit src/urls/paths.ts'

describe('the installed @camunda8/orchestration-cluster-api, read from its bundle', () => {
  it('yields every operation of its generated SDK, each with a method and a URL template', () => {
    expect(client.version).toMatch(/^\d+\.\d+\.\d+/)
    // 8.8.4 has 146 operations on 120 paths. A reader that found few or none would make the checks
    // below pass vacuously, or pass with a list cut short.
    expect(client.operations.length).toBeGreaterThanOrEqual(100)
    expect(new Set(client.operations.map(({ name }) => name)).size).toBe(client.operations.length)
    for (const { method, url } of client.operations) {
      expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).toContain(method)
      expect(url).toMatch(/^\/[a-z]/)
      expect(url.startsWith(ZEEBE_PATH_PREFIX)).toBe(false)
    }
    expect(client.operations).toContainEqual({ name: 'completeUserTask', method: 'POST', url: '/user-tasks/{userTaskKey}/completion' })
  })

  it('agrees with the URL templates its declarations give each request type (…Data)', () => {
    const declared = readClientDeclaredUrls()
    expect(declared.length).toBeGreaterThanOrEqual(100)
    expect(
      pathDrift(
        declared,
        client.operations.map(({ url }) => url),
      ),
    ).toEqual({ missing: [], extra: [] })
  })
})

describe('KnownZeebePath against the installed client', () => {
  it('has every route of the client, with its parameter names', () => {
    const { missing } = pathDrift(clientPaths, typedPaths)
    expect(missing, `routes of ${CLIENT_PACKAGE} ${client.version} that KnownZeebePath lacks: ${REGENERATE}`).toEqual([])
  })

  it('has no route the client lacks', () => {
    const { extra } = pathDrift(clientPaths, typedPaths)
    expect(extra, `KnownZeebePath routes that ${CLIENT_PACKAGE} ${client.version} does not have: ${REGENERATE}`).toEqual([])
  })

  it('is exactly what `npm run gen:paths` writes from the installed client (header and version included)', () => {
    expect(renderPathsFile(client, committed) === committed, REGENERATE).toBe(true)
  })
})

describe('the drift check and the generator', () => {
  const withRoute = (url: string): ClientRoutes => ({
    version: client.version,
    operations: [...client.operations, { name: 'newRoute', method: 'POST', url }],
  })

  it('fails on a client upgrade that adds a route the types lack', () => {
    const upgraded = zeebePaths(withRoute('/widgets/{widgetKey}/activation').operations).map(({ path }) => path)
    expect(pathDrift(upgraded, typedPaths)).toEqual({ missing: ['/v2/widgets/{widgetKey}/activation'], extra: [] })
  })

  it('fails on a typed route the client does not have', () => {
    expect(pathDrift(clientPaths, [...typedPaths, '/v2/forms/{formKey}'])).toEqual({ missing: [], extra: ['/v2/forms/{formKey}'] })
  })

  it('fails on a hand edit to the generated list', () => {
    const edited = committed.replace(/^ {2}\| '\/v2\/topology'.*\n/m, '')
    expect(edited).not.toBe(committed)
    expect(renderPathsFile(client, edited)).toBe(committed)
  })

  it('writes a new route of the client into KnownZeebePath, with its method and operation', () => {
    const text = renderPathsFile(withRoute('/widgets/{widgetKey}/activation'), committed)
    expect(text).toContain("  | '/v2/widgets/{widgetKey}/activation' // POST newRoute\n")
  })

  it('keeps the hand-maintained part byte for byte', () => {
    const hand = committed.slice(committed.indexOf(HAND_MAINTAINED_MARKER))
    expect(hand).toContain('export type KnownOperatePath')
    expect(hand).toContain('export type KnownTasklistPath')
    expect(hand).toContain('export type KnownOptimizePath')
    const touched = `${committed}\n// a note someone added by hand\n`
    expect(renderPathsFile(client, touched).endsWith(`${hand}\n// a note someone added by hand\n`)).toBe(true)
  })

  it('writes the same file whatever order the client defines its operations in', () => {
    const reversed: ClientRoutes = { version: client.version, operations: [...client.operations].reverse() }
    expect(renderPathsFile(reversed, committed)).toBe(renderPathsFile(client, committed))
  })

  it('says which package version it read, in the header', () => {
    expect(renderPathsFile({ ...client, version: '9.9.9' }, committed)).toContain('@camunda8/orchestration-cluster-api 9.9.9')
  })

  it('refuses a paths.ts without the hand-maintained marker, saying what to restore', () => {
    expect(() => renderPathsFile(client, committed.replace(HAND_MAINTAINED_MARKER, '// moved'))).toThrow(/Hand-maintained below/)
  })
})

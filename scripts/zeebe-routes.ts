/**
 * The routes of the Orchestration Cluster REST API, read from the installed
 * `@camunda8/orchestration-cluster-api` (the official client), and the text of `src/urls/paths.ts`
 * built from them. `npm run gen:paths` writes that text; `test/urls/paths-drift.test.ts` checks the
 * committed file against the installed client, both ways.
 *
 * Node-only (a script and a test read it, never src/): it reads files and uses the TypeScript
 * compiler to parse them.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import ts from 'typescript'

/** The client this module reads. */
export const CLIENT_PACKAGE = '@camunda8/orchestration-cluster-api'

/**
 * The client sends every route under its base URL, which ends in `/v2` (it appends `/v2` to a REST
 * address without it); this package's Zeebe paths carry the version, as the API docs write them.
 */
export const ZEEBE_PATH_PREFIX = '/v2'

/** One operation of the client: the function the generated SDK calls it by, its method, its URL template. */
export interface ClientOperation {
  readonly name: string
  readonly method: string
  readonly url: string
}

/** What the installed client says: its version and every operation of its generated SDK. */
export interface ClientRoutes {
  readonly version: string
  readonly operations: readonly ClientOperation[]
}

interface ClientManifest {
  name: string
  version: string
  exports: Record<string, { require?: string; types?: string } | string>
}

// The package's exports map has no ./package.json, so the manifest is found from the entry's own path.
function clientPackage(): { dir: string; manifest: ClientManifest } {
  let dir = dirname(createRequire(import.meta.url).resolve(CLIENT_PACKAGE))
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as ClientManifest
      if (manifest.name === CLIENT_PACKAGE) return { dir, manifest }
    } catch {}
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`${CLIENT_PACKAGE} is not installed with its package.json: run npm ci`)
    dir = parent
  }
}

// The file a condition of the package's root export points at: where its code and its types are.
function entry(manifest: ClientManifest, condition: 'require' | 'types'): string {
  const root = manifest.exports['.']
  const file = typeof root === 'object' ? root[condition] : undefined
  if (!file)
    throw new Error(`${CLIENT_PACKAGE} ${manifest.version} has no "${condition}" entry in its exports: update scripts/zeebe-routes.ts`)
  return file
}

// The request methods of hey-api's client: a call of one of them with a `url` is an SDK request.
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

/**
 * Every operation of the installed client, in the order its bundle defines them.
 *
 * Read from the CommonJS build (one self-contained file), parsed with the TypeScript parser: each
 * function of the generated SDK (hey-api's `sdk.gen.ts`) is `const name = (options) =>
 * client.<method>({ …, url: '/…', … })`. A call of that shape is an operation; nothing else is.
 */
export function readClientRoutes(): ClientRoutes {
  const { dir, manifest } = clientPackage()
  const file = join(dir, entry(manifest, 'require'))
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
  const operations: ClientOperation[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && HTTP_METHODS.has(node.expression.name.text)) {
      const [options] = node.arguments
      const url =
        options && ts.isObjectLiteralExpression(options)
          ? options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === 'url')
          : undefined
      if (url && ts.isStringLiteralLike(url.initializer)) {
        const declaration = enclosingVariable(node)
        if (!declaration)
          throw new Error(`${file}: a request to ${url.initializer.text} outside a named SDK function; update scripts/zeebe-routes.ts`)
        operations.push({ name: declaration, method: node.expression.name.text.toUpperCase(), url: url.initializer.text })
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return { version: manifest.version, operations }
}

// The SDK function a request belongs to, which is the operation's name in the client.
function enclosingVariable(node: ts.Node): string | undefined {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isVariableDeclaration(at) && ts.isIdentifier(at.name)) return at.name.text
    if (ts.isFunctionDeclaration(at) && at.name) return at.name.text
  }
  return undefined
}

/**
 * The URL templates the client's declarations name: the `url` of every exported `…Data` type (the
 * request shape hey-api generates for each operation). A second reading of the same client, from
 * its types instead of its code, so a change in the bundle's shape that the code reader missed
 * shows up as a difference between the two.
 */
export function readClientDeclaredUrls(): string[] {
  const { dir, manifest } = clientPackage()
  const { checker, exports } = exportsOf(join(dir, entry(manifest, 'types')))
  const urls = new Set<string>()
  for (const exported of exports) {
    if (!exported.name.endsWith('Data')) continue
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
    if (!(symbol.flags & ts.SymbolFlags.TypeAlias)) continue
    const url = checker.getDeclaredTypeOfSymbol(symbol).getProperty('url')
    const type = url && checker.getTypeOfSymbol(url)
    if (type?.isStringLiteral()) urls.add(type.value)
  }
  return [...urls]
}

// What one module exports, with the checker that reads their types: both readers of types need the two.
function exportsOf(file: string): { checker: ts.TypeChecker; exports: ts.Symbol[] } {
  const program = ts.createProgram([file], { noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, types: [] })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(file)
  const module = source && checker.getSymbolAtLocation(source)
  if (!module) throw new Error(`${file} is not a module the TypeScript compiler can read`)
  return { checker, exports: checker.getExportsOfModule(module) }
}

/** The members of the string-literal union `name` exported by `file`, as the type checker sees them. */
export function readPathUnion(file: string, name: string): string[] {
  const { checker, exports } = exportsOf(file)
  const symbol = exports.find((s) => s.name === name)
  if (!symbol) throw new Error(`${file} exports no ${name}`)
  const type = checker.getDeclaredTypeOfSymbol(symbol)
  return (type.isUnion() ? type.types : [type]).map((member) => {
    if (!member.isStringLiteral()) throw new Error(`${name} has a member that is not a string literal: ${checker.typeToString(member)}`)
    return member.value
  })
}

/** One path of `KnownZeebePath` with the operations the client sends to it. */
export interface ZeebePath {
  readonly path: string
  readonly operations: readonly ClientOperation[]
}

// Operations on one path listed read-first, the way API docs list them.
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
const byMethod = (a: ClientOperation, b: ClientOperation) =>
  METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/**
 * The client's operations as this package's paths: `/v2` + the URL template, one entry per path,
 * sorted by code unit (not by locale, so every machine writes the same file).
 */
export function zeebePaths(operations: readonly ClientOperation[]): ZeebePath[] {
  const grouped = new Map<string, ClientOperation[]>()
  for (const operation of operations) {
    const path = ZEEBE_PATH_PREFIX + operation.url
    grouped.set(path, [...(grouped.get(path) ?? []), operation])
  }
  return [...grouped.keys()].sort().map((path) => ({ path, operations: grouped.get(path)!.sort(byMethod) }))
}

/**
 * How the typed paths and the client's differ, both ways: `missing` are the client's paths the
 * types lack (a client upgrade added a route), `extra` the typed paths the client does not have
 * (a route it removed or renamed, or one typed by hand).
 */
export function pathDrift(clientPaths: Iterable<string>, typedPaths: Iterable<string>): { missing: string[]; extra: string[] } {
  const client = new Set(clientPaths)
  const typed = new Set(typedPaths)
  return { missing: [...client].filter((p) => !typed.has(p)).sort(), extra: [...typed].filter((p) => !client.has(p)).sort() }
}

/** Where the hand-maintained part of paths.ts starts; the generator keeps it, and what follows it, as it is. */
export const HAND_MAINTAINED_MARKER = '// ── Hand-maintained below'

/** paths.ts as the generator writes it: the generated Zeebe list, then the file's hand-maintained part unchanged. */
export function renderPathsFile(client: ClientRoutes, current: string): string {
  const at = current.indexOf(HAND_MAINTAINED_MARKER)
  if (at === -1) throw new Error(`src/urls/paths.ts has no line starting "${HAND_MAINTAINED_MARKER}": restore it above the Operate paths`)
  const paths = zeebePaths(client.operations)
  const members = paths.map(({ path, operations }) => `  | '${path}' // ${operations.map((o) => `${o.method} ${o.name}`).join(', ')}`)
  return `/**
 * The REST paths of each Camunda 8 API, as string-literal types, so that editors autocomplete them.
 * Other paths are still accepted: these lists only help, they never restrict.
 *
 * Every path carries its API version (\`/v2/...\`, \`/v1/...\`) or, for Optimize, its \`/api\` prefix,
 * exactly as the API documentation writes it; \`{name}\` marks a path parameter.
 * @module
 */

// Generated by \`npm run gen:paths\` (scripts/gen-paths.ts) from the routes of
// ${CLIENT_PACKAGE} ${client.version}, down to the hand-maintained part: edit the script, not
// this section. test/urls/paths-drift.test.ts fails when the installed client and this list differ.

/**
 * Paths of the Orchestration Cluster (Zeebe) REST API v2: every route of the official client,
 * \`${CLIENT_PACKAGE}\` ${client.version}, with that client's parameter names.
 * ${paths.length} paths, ${client.operations.length} operations; each line names the client's operations on it.
 *
 * @example
 * \`\`\`ts
 * const path: KnownZeebePath = '/v2/process-instances/{processInstanceKey}/cancellation'
 * \`\`\`
 */
export type KnownZeebePath =
${members.join('\n')}

${current.slice(at)}`
}

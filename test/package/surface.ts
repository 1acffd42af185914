/**
 * The public surface of the installed package, entry by entry: what `import()` returns at run time,
 * and what the `.d.ts` files declare, read with the TypeScript compiler API the way a user's
 * compiler sees it (`moduleResolution: nodenext` through the exports map).
 */
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import ts from 'typescript'

const run = promisify(execFile)

/** Every subpath of the exports map that holds code (not `./package.json`), as users import it. */
export const ENTRIES = [
  'camunda-edge-auth',
  'camunda-edge-auth/browser',
  'camunda-edge-auth/workers',
  'camunda-edge-auth/deno',
  'camunda-edge-auth/dev-server',
  'camunda-edge-auth/dev-server/node',
  'camunda-edge-auth/redis',
  'camunda-edge-auth/node',
] as const

/**
 * `Object.keys(await import(entry))` for every entry, sorted, in a Node process started inside
 * `project` (so the exports map, not a path, decides what is loaded).
 */
export async function runtimeExports(project: string): Promise<Record<string, string[]>> {
  const script = `const out = {}
for (const entry of ${JSON.stringify(ENTRIES)}) out[entry] = Object.keys(await import(entry)).sort()
process.stdout.write(JSON.stringify(out))`
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project })
  return JSON.parse(stdout) as Record<string, string[]>
}

/** One exported name and what it is. */
export interface DeclaredExport {
  readonly name: string
  /** `function`, `class`, `const`, `interface`, `type`, `enum` or `namespace`, joined by `+` when merged. */
  readonly kind: string
  /** Whether it exists at run time (a function, class, variable or enum). */
  readonly value: boolean
  /** Its declarations, printed without comments. */
  readonly text: string
}

/** What one entry declares: its exports, and the package's own types they mention but the entry does not export. */
export interface DeclaredSurface {
  readonly exports: readonly DeclaredExport[]
  readonly referenced: readonly DeclaredExport[]
}

const KINDS: readonly [ts.SymbolFlags, string][] = [
  [ts.SymbolFlags.Function, 'function'],
  [ts.SymbolFlags.Class, 'class'],
  [ts.SymbolFlags.Variable, 'const'],
  [ts.SymbolFlags.Enum, 'enum'],
  [ts.SymbolFlags.Interface, 'interface'],
  [ts.SymbolFlags.TypeAlias, 'type'],
  [ts.SymbolFlags.Module, 'namespace'],
]

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed })

/** The node to print for a declaration: a variable's whole statement (`declare const X: T`), else itself. */
function printable(declaration: ts.Declaration): ts.Node {
  return ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration
}

/** Printed without comments, `export` and `declare`, so that how a bundler lays out files does not show. */
function print(node: ts.Node): string {
  return printer
    .printNode(ts.EmitHint.Unspecified, node, node.getSourceFile())
    .replace(/^(export )?(default )?(declare )?/, '')
    .trim()
}

/**
 * The declared surface of every entry, from the `.d.ts` files installed in `project`.
 *
 * @example
 * ```ts
 * const surface = await declaredExports(project)
 * surface['camunda-edge-auth'].exports.find((e) => e.name === 'createAuth')?.kind // 'function'
 * ```
 */
export async function declaredExports(project: string): Promise<Record<string, DeclaredSurface>> {
  const probe = join(project, 'surface-probe.ts')
  await writeFile(probe, ENTRIES.map((entry, i) => `import * as entry${i} from '${entry}'\nvoid entry${i}\n`).join(''))
  const program = ts.createProgram([probe], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    strict: true,
    noEmit: true,
    // dev-server/node's declarations name node:http types; the temp project has no @types/node.
    typeRoots: [fileURLToPath(new URL('../../node_modules/@types', import.meta.url))],
    types: ['node'],
  })
  const ownFile = (file: ts.SourceFile) => /\/node_modules\/camunda-edge-auth\//.test(file.fileName)
  const own = (declaration: ts.Declaration) => ownFile(declaration.getSourceFile())
  // A strict consumer's compiler, without skipLibCheck, must read the package's declarations
  // without an error (only its own files are checked: the dependencies' are theirs to keep).
  const checked = program.getSourceFiles().filter((file) => ownFile(file) || file.fileName === probe)
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...checked.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
  ]
  if (diagnostics.length > 0) throw new Error(ts.formatDiagnostics(diagnostics, ts.createCompilerHost({})))
  const checker = program.getTypeChecker()
  const probeFile = program.getSourceFile(probe)!
  const resolve = (symbol: ts.Symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol)
  const describeSymbol = (name: string, symbol: ts.Symbol): DeclaredExport => {
    const declarations = symbol.declarations ?? []
    return {
      name,
      kind: KINDS.filter(([flag]) => symbol.flags & flag)
        .map(([, kind]) => kind)
        .join('+'),
      value: (symbol.flags & ts.SymbolFlags.Value) !== 0,
      text: declarations.map((d) => print(printable(d))).join('\n'),
    }
  }

  const surface: Record<string, DeclaredSurface> = {}
  // The probe imports the entries in ENTRIES' order, one statement each.
  const imports = probeFile.statements.filter(ts.isImportDeclaration)
  ENTRIES.forEach((entry, i) => {
    const moduleSymbol = checker.getSymbolAtLocation(imports[i]!.moduleSpecifier)
    if (!moduleSymbol) throw new Error(`${entry}: TypeScript resolves no declarations`)
    const exported = checker.getExportsOfModule(moduleSymbol).map((symbol) => [symbol.name, resolve(symbol)] as const)
    const exportedSymbols = new Set(exported.map(([, symbol]) => symbol))

    // The package's own declarations that the exports mention by name, followed transitively.
    const referenced = new Map<ts.Symbol, DeclaredExport>()
    const queue = exported.map(([, symbol]) => symbol)
    while (queue.length > 0) {
      const symbol = queue.pop()!
      for (const declaration of symbol.declarations ?? []) {
        const visit = (node: ts.Node): void => {
          const name = ts.isTypeReferenceNode(node)
            ? node.typeName
            : ts.isExpressionWithTypeArguments(node)
              ? node.expression
              : ts.isTypeQueryNode(node)
                ? node.exprName
                : undefined
          const target = name && checker.getSymbolAtLocation(name)
          if (target) {
            const resolved = resolve(target)
            const isOwn = (resolved.declarations ?? []).some(own)
            if (isOwn && !exportedSymbols.has(resolved) && !referenced.has(resolved) && !(resolved.flags & ts.SymbolFlags.TypeParameter)) {
              referenced.set(resolved, describeSymbol(resolved.name, resolved))
              queue.push(resolved)
            }
          }
          ts.forEachChild(node, visit)
        }
        visit(declaration)
      }
    }
    const byName = (a: DeclaredExport, b: DeclaredExport) => a.name.localeCompare(b.name)
    surface[entry] = {
      exports: exported.map(([name, symbol]) => describeSymbol(name, symbol)).sort(byName),
      referenced: [...referenced.values()].sort(byName),
    }
  })
  return surface
}

/**
 * One entry's surface as the text of its snapshot file.
 *
 * @example
 * ```ts
 * formatSurface('camunda-edge-auth', runtime['camunda-edge-auth'], declared['camunda-edge-auth'])
 * ```
 */
export function formatSurface(entry: string, runtime: readonly string[], declared: DeclaredSurface): string {
  const block = ({ name, kind, text }: DeclaredExport) => `### ${name} (${kind})\n\n\`\`\`ts\n${text}\n\`\`\`\n`
  return [
    `# ${entry}`,
    '',
    `## Run time: Object.keys(await import('${entry}'))`,
    '',
    ...runtime.map((name) => `- ${name}`),
    '',
    '## Declared exports',
    '',
    ...declared.exports.map(block),
    '## Referenced, not exported from this entry',
    '',
    ...(declared.referenced.length ? declared.referenced.map(block) : ['(none)', '']),
  ].join('\n')
}

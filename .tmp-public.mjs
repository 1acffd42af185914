// Prints the public export names of every entry, using TypeScript's checker.
import ts from 'typescript'
const entries = ['index', 'browser', 'workers', 'deno', 'dev-server', 'dev-server-node'].map((e) => `/work/main/src/${e}.ts`)
const program = ts.createProgram(entries, {
  allowImportingTsExtensions: true,
  noEmit: true,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  types: ['node'],
})
const checker = program.getTypeChecker()
const pub = new Set()
for (const e of entries) {
  const sym = checker.getSymbolAtLocation(program.getSourceFile(e))
  for (const ex of checker.getExportsOfModule(sym)) {
    const target = ex.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(ex) : ex
    for (const d of target.declarations ?? []) pub.add(`${d.getSourceFile().fileName.replace('/work/main/', '')}:${target.name}`)
  }
}
console.log(JSON.stringify([...pub].sort()))

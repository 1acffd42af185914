/**
 * `npm run gen:paths`: rewrites src/urls/paths.ts from the installed
 * `@camunda8/orchestration-cluster-api`. `KnownZeebePath` becomes every route of that client; the
 * hand-maintained Operate, Tasklist and Optimize lists below it stay as they are.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CLIENT_PACKAGE, readClientRoutes, renderPathsFile, zeebePaths } from './zeebe-routes.ts'

const file = fileURLToPath(new URL('../src/urls/paths.ts', import.meta.url))
const client = readClientRoutes()
const before = readFileSync(file, 'utf8')
const after = renderPathsFile(client, before)
if (after === before) console.log(`src/urls/paths.ts is up to date with ${CLIENT_PACKAGE} ${client.version}`)
else {
  writeFileSync(file, after)
  console.log(`src/urls/paths.ts: ${zeebePaths(client.operations).length} Zeebe paths from ${CLIENT_PACKAGE} ${client.version}`)
}

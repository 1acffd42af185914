/**
 * A script as cron would run it under Deno: one token through `fileStore` + `fileLockCoordinator`
 * in the folder named by its first argument, the bundle from the environment. Prints the token,
 * then each store_error or coordinator_error on its own line. Run by file-store.test.ts.
 */
import { createAuth, parseCredentials } from '../../src/index.ts'
import { fileLockCoordinator, fileStore } from '../../src/node.ts'

const dir = Deno.args[0]!
const credentials = parseCredentials(Deno.env.toObject())
const problems: string[] = []
const auth = createAuth({
  credentials,
  store: fileStore(dir, { credentials }),
  coordinator: fileLockCoordinator(dir),
  onEvent: (event) => {
    if (event.type === 'store_error' || event.type === 'coordinator_error') problems.push(`${event.type}: ${event.message}`)
  },
})
console.log(await auth.getToken())
for (const problem of problems) console.log(problem)

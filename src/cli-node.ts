/**
 * The `camunda-edge-auth` bin (Node, and Deno through `npm:`): hands the command line its
 * arguments, the environment, file reading, `fetch` and the standard streams, and exits with its
 * code. Everything else is in `src/cli/`, on web APIs alone.
 * @module
 */

import { readFile } from 'node:fs/promises'
import process from 'node:process'
import { runCli } from './cli/main.ts'
import { sleep } from './lib/sleep.ts'

process.exitCode = await runCli({
  args: process.argv.slice(2),
  env: process.env,
  readText: (path) => readFile(path, 'utf8'),
  fetch: globalThis.fetch,
  now: Date.now,
  sleep,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
})

/**
 * The Deno examples, run the way their headers say, as child processes of the same Deno binary:
 * topology.ts against a dev server on loopback, offline.ts on its own.
 */

import { GATEWAY_VERSION } from '../../src/dev-server/api-routes.ts'
import { assert } from 'chai'
import { assertExcludes } from '../helpers/leaks.ts'
import { deno, type Outcome } from './deno-command.ts'
import { serveDevServer } from './dev-server.ts'

const ROOT = new URL('../../', import.meta.url)
const EXAMPLE = 'examples/deno/topology.ts'
const OFFLINE = 'examples/deno/offline.ts'
const runExample = (args: readonly string[], env?: Record<string, string>) =>
  deno(['run', '--allow-net', '--allow-env', '--allow-read', EXAMPLE, ...args], env)

/** The bundle as the Camunda Console writes it: `export KEY='value'` lines. */
function consoleFile(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([key, value]) => `export ${key}='${value}'\n`)
    .join('')
}

function assertTopology(outcome: Outcome): void {
  assert.strictEqual(outcome.code, 0, `exit code (stderr: ${outcome.stderr})`)
  const topology = JSON.parse(outcome.stdout)
  assert.strictEqual(topology.gatewayVersion, GATEWAY_VERSION)
  assert(Array.isArray(topology.brokers) && topology.brokers.length > 0, 'the topology lists brokers')
}

Deno.test('topology.ts prints the topology, reading the bundle from the environment', async () => {
  await using dev = serveDevServer()
  assertTopology(await runExample([], dev.env()))
  assert.strictEqual(dev.server.requests(), 1)
  assert.strictEqual(dev.server.apiRequests('zeebe'), 1)
})

Deno.test('topology.ts prints the topology, reading the Console file named by its first argument', async () => {
  await using dev = serveDevServer()
  // Written under the repo's git-ignored .tmp/, the one place the test command may write.
  const dir = new URL('.tmp/', ROOT)
  await Deno.mkdir(dir, { recursive: true })
  const file = await Deno.makeTempFile({ dir: decodeURIComponent(dir.pathname), prefix: 'deno-credentials-', suffix: '.txt' })
  try {
    await Deno.writeTextFile(file, consoleFile(dev.env()))
    assertTopology(await runExample([file]))
    assert.strictEqual(dev.server.requests(), 1)
  } finally {
    await Deno.remove(file)
  }
})

Deno.test('topology.ts with a refused secret exits 1 naming ERR_INVALID_CLIENT, and prints no secret', async () => {
  await using dev = serveDevServer()
  const secret = 'refused-secret-Hv6Tq1Wz8Ks'
  const outcome = await runExample([], dev.env({ clientId: 'dev-client', clientSecret: secret }))
  assert.strictEqual(outcome.code, 1)
  assert.include(outcome.stderr, 'ERR_INVALID_CLIENT')
  assertExcludes(outcome.stdout + outcome.stderr, secret, "the example's output")
  assert.strictEqual(dev.server.requests(), 1)
  assert.strictEqual(dev.server.apiRequests(), 0)
})

Deno.test('topology.ts without a bundle exits 1 naming the missing variables', async () => {
  const outcome = await runExample([])
  assert.strictEqual(outcome.code, 1)
  for (const name of ['ZEEBE_CLIENT_ID', 'ZEEBE_CLIENT_SECRET', 'ZEEBE_AUTHORIZATION_SERVER_URL']) assert.include(outcome.stderr, name)
})

Deno.test('offline.ts gets a topology and one token for 100 callers, then exits on its own', async () => {
  const outcome = await deno(['run', '--allow-net', OFFLINE])
  assert.strictEqual(outcome.code, 0, `exit code (stderr: ${outcome.stderr})`)
  assert(outcome.stdout.startsWith('200 {'), `a 200 and the topology first: ${outcome.stdout}`)
  assert.include(outcome.stdout, '1 token, 1 request for 100 callers')
})

Deno.test('the Deno examples type-check', async () => {
  const outcome = await deno(['check', EXAMPLE, OFFLINE])
  assert.strictEqual(outcome.code, 0, `deno check: ${outcome.stderr}`)
})

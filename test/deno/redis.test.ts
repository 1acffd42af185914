/**
 * camunda-edge-auth/redis under Deno with `npm:redis`: the same entry, on a real redis-server this
 * test starts (Debian's package) on a free loopback port and stops. Several auth objects on their
 * own connections stand for several Deno processes.
 */

import { createClient } from 'npm:redis'
import { assert } from 'chai'
import type { AuthEvent } from '../../src/index.ts'
import { redisCoordinator, redisStore } from '../../src/redis.ts'
import { serveDevServer } from './dev-server.ts'

const INSTALL_HINT = 'redis-server is missing: apt-get install -y redis-server'

interface DenoRedis extends AsyncDisposable {
  readonly url: string
  stop(): Promise<void>
  start(): Promise<void>
}

function freePort(): number {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 })
  const { port } = listener.addr as Deno.NetAddr
  listener.close()
  return port
}

async function startRedis(): Promise<DenoRedis> {
  const port = freePort()
  const url = `redis://127.0.0.1:${port}`
  let child: Deno.ChildProcess | undefined
  const start = async () => {
    try {
      child = new Deno.Command('redis-server', {
        args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
        stdin: 'null',
        stdout: 'null',
        stderr: 'null',
      }).spawn()
    } catch (error) {
      throw new Error(`${INSTALL_HINT} (${error})`)
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const connection = await Deno.connect({ hostname: '127.0.0.1', port })
        connection.close()
        return
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    throw new Error(`redis-server on ${port} did not start`)
  }
  const stop = async () => {
    if (!child) return
    child.kill('SIGTERM')
    await child.status
    child = undefined
  }
  await start()
  return { url, stop, start, [Symbol.asyncDispose]: stop }
}

async function connect(url: string) {
  const client = createClient({ url })
  client.on('error', () => {})
  await client.connect()
  return Object.assign(client, { [Symbol.asyncDispose]: async () => void client.destroy() })
}

Deno.test('under Deno with npm:redis, 4 auth objects on their own connections cold-start with 1 token request, sealed in Redis', async () => {
  await using redis = await startRedis()
  await using dev = serveDevServer({ rateLimit: false })
  const credentials = dev.credentials()
  const clients = await Promise.all(Array.from({ length: 4 }, () => connect(redis.url)))
  const subscribers = await Promise.all(Array.from({ length: 4 }, () => connect(redis.url)))
  try {
    dev.server.inject({ delayMs: 100 })
    const auths = clients.map((client, i) =>
      dev.auth({
        store: redisStore(client, { credentials }),
        coordinator: redisCoordinator(client, { subscriber: subscribers[i]!, credentials }),
      }),
    )
    const tokens = await Promise.all(auths.map((auth) => auth.getToken()))
    assert.strictEqual(new Set(tokens).size, 1)
    assert.strictEqual(dev.server.requests(), 1)
    const keys = await clients[0]!.keys('camunda-edge-auth:*')
    assert.deepEqual(
      keys.map((key) => key.replace(/[0-9a-f]{64}$/, '<hash>')),
      ['camunda-edge-auth:token:camunda-edge-auth:v2:<hash>'],
    )
    const value = (await clients[0]!.get(keys[0]!)) as string
    assert.deepEqual(Object.keys(JSON.parse(value)), ['sealed'])
    assert.notInclude(value, tokens[0]!)
    for (const auth of auths) auth.close()
  } finally {
    for (const client of [...clients, ...subscribers]) await client[Symbol.asyncDispose]()
  }
})

Deno.test('under Deno, Redis stopped: getToken still answers, with store_error and coordinator_error', async () => {
  await using redis = await startRedis()
  await using dev = serveDevServer({ rateLimit: false })
  const credentials = dev.credentials()
  await using client = await connect(redis.url)
  await redis.stop()
  const events: AuthEvent[] = []
  const auth = dev.auth({
    store: redisStore(client, { credentials, commandTimeoutMs: 300 }),
    coordinator: redisCoordinator(client, { commandTimeoutMs: 300 }),
    onEvent: (event) => events.push(event),
  })
  const started = Date.now()
  const token = await auth.getToken()
  assert.match(token, /^eyJ/)
  assert.isBelow(Date.now() - started, 3_000)
  const types = new Set(events.map((e) => e.type))
  assert.isTrue(types.has('store_error') && types.has('coordinator_error'), [...types].join(', '))
  auth.close()
})

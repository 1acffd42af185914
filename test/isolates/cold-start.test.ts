/**
 * Several isolates cold-start together against one dev server on loopback: how many token
 * requests reach it without coordination, with the KV lease, and with the Durable Object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { devCredentials } from '../../src/dev-server.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server/node.ts'
import { bundleWorker, separateProcesses, workersInOneRuntime, type Isolates } from './isolates.ts'

const N = 6
let dev: ListeningDevAuthServer
let script: string
const measured: Record<string, { tokenRequests: number; storeErrors: number; coordinatorErrors: number }> = {}

beforeAll(async () => {
  ;[dev, script] = await Promise.all([listenDevAuthServer({ rateLimit: false }), bundleWorker()])
})

afterAll(async () => {
  await dev?.close()
  console.info(`${N} isolates cold-starting together:\n${JSON.stringify(measured, null, 2)}`)
})

async function measure(label: string, start: () => Promise<Isolates>): Promise<{ requests: number; tokens: number }> {
  dev.server.reset()
  const isolates = await start()
  try {
    const answers = await isolates.coldStart()
    for (const answer of answers) expect(answer.token.split('.')).toHaveLength(3)
    const requests = dev.server.requests()
    const count = (type: string) => answers.flatMap((a) => a.events).filter((event) => event === type).length
    measured[label] = { tokenRequests: requests, storeErrors: count('store_error'), coordinatorErrors: count('coordinator_error') }
    return { requests, tokens: new Set(answers.map((a) => a.token)).size }
  } finally {
    await isolates.dispose()
  }
}

describe(`${N} isolates cold-starting together`, () => {
  it(`send up to ${N} token requests without coordination (separate workerd processes, shared KV)`, async () => {
    const { requests } = await measure('separate processes, no coordination', () =>
      separateProcesses(script, N, 'none', devCredentials(dev.url)),
    )
    expect(requests).toBeGreaterThanOrEqual(1)
    expect(requests).toBeLessThanOrEqual(N)
  })

  it(`send at most ${N} token requests with the KV lease, and each gets a token (separate workerd processes, shared KV)`, async () => {
    const { requests } = await measure('separate processes, KV lease', () => separateProcesses(script, N, 'lease', devCredentials(dev.url)))
    expect(requests).toBeGreaterThanOrEqual(1)
    expect(requests).toBeLessThanOrEqual(N)
  })

  it(`send ${N} token requests without coordination (${N} Workers in one workerd)`, async () => {
    const { requests } = await measure('one runtime, no coordination', () =>
      workersInOneRuntime(script, N, 'none', devCredentials(dev.url)),
    )
    expect(requests).toBeLessThanOrEqual(N)
  })

  it(`send at most ${N} token requests with the KV lease, and each gets a token (${N} Workers in one workerd)`, async () => {
    const { requests } = await measure('one runtime, KV lease', () => workersInOneRuntime(script, N, 'lease', devCredentials(dev.url)))
    expect(requests).toBeGreaterThanOrEqual(1)
    expect(requests).toBeLessThanOrEqual(N)
  })

  it(`send exactly 1 token request with the Durable Object (${N} Workers in one workerd), all getting the same token`, async () => {
    const { requests, tokens } = await measure('one runtime, Durable Object', () =>
      workersInOneRuntime(script, N, 'durable-object', devCredentials(dev.url)),
    )
    expect(requests).toBe(1)
    expect(tokens).toBe(1)
  })
})

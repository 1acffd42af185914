/**
 * Dev authorization servers living inside the test isolate, one per test run, each with its own
 * client: the Durable Object keeps records per credential set, so runs must not share one.
 */
import { parseCredentials, type Credentials } from '../../src/index.ts'
import { createDevAuthServer, devCredentials, type DevAuthServer, type DevAuthServerOptions } from '../../src/dev-server.ts'

export const ORIGIN = 'http://127.0.0.1:9'

export interface Run {
  readonly server: DevAuthServer
  readonly credentials: Credentials
}

const runs = new Map<string, Run>()

/** The run named `id`, made on first use: a dev server and credentials for a client of its own. */
export function run(id: string, options: DevAuthServerOptions = {}): Run {
  let found = runs.get(id)
  if (!found) {
    const client = { clientId: `client-${id}`, clientSecret: `secret-${id}-0123456789` }
    const server = createDevAuthServer({ rateLimit: false, clients: [client], ...options })
    runs.set(id, (found = { server, credentials: parseCredentials(devCredentials(ORIGIN, client)) }))
  }
  return found
}

/** A fresh run id. */
export function newRunId(): string {
  return crypto.randomUUID()
}

/**
 * Offline quick start for Deno: the dev authorization server, served by `Deno.serve` on a free
 * loopback port, stands in for Camunda SaaS.
 *
 *   deno run --allow-net examples/deno/offline.ts
 */
import { createAuth, parseCredentials } from 'camunda-edge-auth'
import { createDevAuthServer, devCredentials } from 'camunda-edge-auth/dev-server'

const dev = createDevAuthServer()
const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, (request) => dev.fetch(request))
const auth = createAuth({ credentials: parseCredentials(devCredentials(`http://127.0.0.1:${server.addr.port}`)) })

const response = await auth.fetch('zeebe', '/v2/topology')
console.log(response.status, await response.json())

const tokens = await Promise.all(Array.from({ length: 100 }, () => auth.getToken('operate')))
console.log(`${new Set(tokens).size} token, ${dev.requests({ audience: 'operate.camunda.io' })} request for 100 callers`)

// Deno has Web Locks, so the auth object listens for peers on a BroadcastChannel: close it, or
// the process keeps running.
auth.close()
await server.shutdown()

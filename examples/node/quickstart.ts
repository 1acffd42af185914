// Offline quick start: the dev authorization server stands in for Camunda SaaS.
import { createAuth, parseCredentials } from 'camunda-edge-auth'
import { devCredentials } from 'camunda-edge-auth/dev-server'
import { listenDevAuthServer } from 'camunda-edge-auth/dev-server/node'

const dev = await listenDevAuthServer() // http://127.0.0.1:<random port>
const auth = createAuth({ credentials: parseCredentials(devCredentials(dev.url)) })

const response = await auth.fetch('zeebe', '/v2/topology')
console.log(response.status, await response.json())

const tokens = await Promise.all(Array.from({ length: 100 }, () => auth.getToken('operate')))
console.log(`${new Set(tokens).size} token, ${dev.server.requests({ audience: 'operate.camunda.io' })} request for 100 callers`)
console.log(auth.urls.operate('/v1/process-instances/{key}', { key: '2251799813685249' }))

await dev.close()

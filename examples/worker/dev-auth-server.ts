/**
 * The offline counterpart of Camunda SaaS for `npx wrangler dev`: the dev authorization server
 * (token endpoint, JWKS, fake Zeebe/Operate/Tasklist/Optimize APIs that verify the token) on
 * http://127.0.0.1:8788, which is where .dev.vars.example points the Worker.
 *
 *   npx tsx --tsconfig examples/tsconfig.json examples/worker/dev-auth-server.ts [port]
 */
import { listenDevAuthServer } from 'camunda-edge-auth/dev-server/node'

const port = Number(process.argv[2] ?? process.env.PORT ?? 8788)
const dev = await listenDevAuthServer({}, { port })
console.log(`dev authorization server on ${dev.url} (token endpoint ${dev.tokenUrl}, client dev-client / dev-secret)`)
console.log('Ctrl-C to stop')

const stop = () => {
  console.log(`token requests served: ${dev.server.requests()}, API requests: ${dev.server.apiRequests()}`)
  void dev.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

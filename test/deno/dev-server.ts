/**
 * The dev authorization server served by `Deno.serve` on 127.0.0.1 (a free port), and auth
 * objects pointed at it, all released by `await using`, so Deno's sanitizers see nothing left open.
 * @module
 */

import { createAuth, parseCredentials, type Auth, type AuthOptions, type Credentials } from '../../src/index.ts'
import { createDevAuthServer, devCredentials, type DevAuthServer, type DevAuthServerOptions, type DevClient } from '../../src/dev-server.ts'

/** A dev server listening on loopback, and what a client needs to reach it. */
export interface ServedDevServer extends AsyncDisposable {
  /** The dev server itself: request counters, fault injection. */
  readonly server: DevAuthServer
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  /** The credential bundle for this server, as environment variables. */
  env(client?: Pick<DevClient, 'clientId' | 'clientSecret'>): Record<string, string>
  /** The parsed bundle for this server. */
  credentials(client?: Pick<DevClient, 'clientId' | 'clientSecret'>): Credentials
  /** An auth object for this server (default credentials), closed when the server is disposed. */
  auth(options?: Partial<AuthOptions>): Auth
}

/** Serve a new dev server on 127.0.0.1, port 0. */
export function serveDevServer(options?: DevAuthServerOptions): ServedDevServer {
  const server = createDevAuthServer(options)
  // `Deno.serve` passes connection info as the second argument: only the request is forwarded.
  const http = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, (request) => server.fetch(request))
  const origin = `http://127.0.0.1:${http.addr.port}`
  const auths: Auth[] = []
  const env = (client?: Pick<DevClient, 'clientId' | 'clientSecret'>) => devCredentials(origin, client)
  const credentials = (client?: Pick<DevClient, 'clientId' | 'clientSecret'>) => parseCredentials(env(client))
  return {
    server,
    origin,
    env,
    credentials,
    auth(authOptions) {
      const auth = createAuth({ credentials: credentials(), ...authOptions })
      auths.push(auth)
      return auth
    },
    async [Symbol.asyncDispose]() {
      for (const auth of auths) auth.close()
      await http.shutdown()
    },
  }
}

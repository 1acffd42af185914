/**
 * A dev authorization server in-process, a controllable clock shared by the server and the auth
 * object, and an event log: enough to test every timing rule without sleeping. Web APIs only: the
 * behaviour suite (test/behaviour/) uses it under Node, Deno, workerd and Chromium.
 */
import { decodeJwt } from 'jose'
import { createAuth, parseCredentials, type AuthEvent, type AuthOptions } from '../../src/index.ts'
import { createDevAuthServer, devCredentials, type DevAuthServerOptions } from '../../src/dev-server.ts'

export const T0 = Date.parse('2026-06-01T12:00:00Z')
export const ORIGIN = 'http://127.0.0.1:9'

export function harness(
  serverOptions: DevAuthServerOptions = {},
  authOptions: Partial<AuthOptions> = {},
  env: Record<string, string> = {},
) {
  const clock = { now: T0 }
  const now = () => clock.now
  const server = createDevAuthServer({ rateLimit: false, now, ...serverOptions })
  const credentials = parseCredentials({ ...devCredentials(ORIGIN), ...env })
  const events: AuthEvent[] = []
  const make = (extra: Partial<AuthOptions> = {}) =>
    createAuth({
      credentials,
      fetch: server.fetch,
      now,
      onEvent: (event) => events.push(event),
      ...authOptions,
      ...extra,
    })
  const auth = make()
  return {
    auth,
    make,
    server,
    credentials,
    events,
    clock,
    /** Moves the shared clock forward. */
    advance(ms: number) {
      clock.now += ms
    },
    /** Lets background work (a refresh ahead) finish. */
    async settle() {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 1))
    },
    eventTypes: () => events.map((event) => event.type),
  }
}

/** The payload of a JWT, decoded without verification (with jose: web APIs only, so every runtime can use it). */
export function claimsOf(token: string): Record<string, unknown> {
  return decodeJwt(token)
}

export { rejectionOf } from './thrown.ts'

/**
 * `npm start`: the whole package in one run, offline. Starts the dev authorization server on a
 * random loopback port, writes a Console-style credentials file into a temp directory, and shows
 * tokens, a cache hit, a herd of 100 callers causing one request, a refresh ahead of expiry, the
 * typed URLs and an API call. Writes nothing outside the temp directory; exits 0.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAuth, parseCredentials, type AuthEvent } from 'camunda-edge-auth'
import { devCredentials } from 'camunda-edge-auth/dev-server'
import { listenDevAuthServer } from 'camunda-edge-auth/dev-server/node'

const started = performance.now()
const log = (text = '') => console.log(text)
const ms = (value: number) => `${Math.round(value)} ms`
const short = (token: string) => `${token.slice(0, 16)}… (${token.length} chars)`
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>
const describeEvent = (event: AuthEvent) => {
  const { type, ...rest } = event
  return `${type} ${JSON.stringify(rest)}`
}

const dev = await listenDevAuthServer({ tokenLifetimeSeconds: 3600 })
const temp = await mkdtemp(join(tmpdir(), 'camunda-edge-auth-demo-'))
try {
  log(`Dev authorization server on ${dev.url} (tokens: ES256 JWTs, JWKS at ${dev.url}/.well-known/jwks.json)`)

  // 1. A credentials file as the Camunda Console downloads it: `export KEY='value'` lines.
  const file = join(temp, 'credentials.txt')
  const env = devCredentials(dev.url)
  await writeFile(
    file,
    `${Object.entries(env)
      .map(([key, value]) => `export ${key}='${value}'`)
      .join('\n')}\n`,
  )
  const credentials = parseCredentials(await readFile(file, 'utf8'))
  log(`\n1. Credentials parsed from ${file}`)
  log(`   ${JSON.stringify(credentials)}`)

  // 2. Typed URLs.
  const events: AuthEvent[] = []
  const auth = createAuth({ credentials, onEvent: (event) => events.push(event) })
  log('\n2. Typed URLs')
  log(`   zeebe    ${auth.urls.zeebe('/v2/process-instances/{processInstanceKey}', { processInstanceKey: '2251799813685249' })}`)
  log(`   operate  ${auth.urls.operate('/v1/process-instances/{key}', { key: 42 })}`)
  log(`   tasklist ${auth.urls.tasklist('/v1/tasks/{taskId}/complete', { taskId: 'a/b c' })}`)
  log(`   optimize ${auth.urls.optimize('/api/public/dashboard/{dashboardId}', { dashboardId: 'd1' })}`)

  // 3. Tokens for zeebe and operate.
  log('\n3. Tokens')
  for (const api of ['zeebe', 'operate'] as const) {
    const t = performance.now()
    const token = await auth.getToken(api)
    const { aud, exp } = claims(token)
    log(
      `   ${api.padEnd(8)} ${short(token)} aud=${String(aud)} expires ${new Date(Number(exp) * 1000).toISOString()}, fetched in ${ms(performance.now() - t)}`,
    )
  }
  log(`   token requests so far: ${dev.server.requests()}`)

  // 4. A cache hit.
  events.length = 0
  const t4 = performance.now()
  await auth.getToken('zeebe')
  log(
    `\n4. Cache hit: ${describeEvent(events[0]!)} in ${((performance.now() - t4) * 1000).toFixed(0)} µs; token requests still ${dev.server.requests()}`,
  )

  // 5. 100 concurrent callers on a cold API.
  const before = dev.server.requests()
  const t5 = performance.now()
  const herd = await Promise.all(Array.from({ length: 100 }, () => auth.getToken('tasklist')))
  log(
    `\n5. 100 concurrent getToken('tasklist'): ${new Set(herd).size} distinct token, ${dev.server.requests() - before} token request, all served in ${ms(performance.now() - t5)}`,
  )

  // 6. Refresh ahead with 4 s tokens: callers never wait after the first token.
  const shortLived = await listenDevAuthServer({ tokenLifetimeSeconds: 4 })
  try {
    const shortEvents: string[] = []
    // A call waits on the network only for a request it cannot be served around: a cold start or
    // an expired token. A refresh ahead runs in the background while callers get the valid token.
    let waited = 0
    let started = false
    const quick = createAuth({
      credentials: parseCredentials(devCredentials(shortLived.url)),
      onEvent: (event) => {
        if (event.type === 'refresh_ahead' || event.type === 'token_received')
          shortEvents.push(`${ms(performance.now() - t6)} ${describeEvent(event)}`)
        if (started && event.type === 'token_requested' && event.reason !== 'refresh_ahead') waited++
      },
    })
    log('\n6. Refresh ahead: 4 s tokens, one call every 100 ms for 6 s')
    const t6 = performance.now()
    let slowest = 0
    const seen = new Set<string>()
    await quick.getToken()
    started = true
    while (performance.now() - t6 < 6_000) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      const t = performance.now()
      seen.add(await quick.getToken())
      slowest = Math.max(slowest, performance.now() - t)
    }
    for (const line of shortEvents) log(`   ${line}`)
    log(
      `   ${seen.size} tokens over 6 s, ${shortLived.server.requests()} token requests, calls that waited on the network after the first: ${waited}, slowest call ${slowest.toFixed(2)} ms`,
    )
  } finally {
    await shortLived.close()
  }

  // 7. An API call through auth.fetch.
  const response = await auth.fetch('zeebe', '/v2/topology')
  log(`\n7. auth.fetch('zeebe', '/v2/topology') → ${response.status} ${JSON.stringify(await response.json())}`)

  log(`\nDone in ${ms(performance.now() - started)}. Token requests to the dev server: ${dev.server.requests()}.`)
} finally {
  await dev.close()
  await rm(temp, { recursive: true, force: true })
}

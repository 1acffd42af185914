/**
 * The Camunda API proxy in workerd, against the dev server's fake APIs (which verify the JWT):
 * the token is attached, the browser's credentials stay behind, hostile paths never leave the
 * API's base URL, and method, query and body arrive as sent. The auth object's `fetch` is the dev
 * server's handler, wrapped to record what goes upstream.
 */
import { describe, expect, it } from 'vitest'
import { createAuth, parseCredentials, type Api } from '../../src/index.ts'
import { createDevAuthServer, devCredentials } from '../../src/dev-server.ts'
import { createCamundaProxy, type CamundaProxyOptions } from '../../src/workers.ts'
import { unsafePathReason, upstreamUrl } from '../../src/proxy/proxy-path.ts'
import { InvalidArgumentError } from '../../src/errors.ts'

const ORIGIN = 'http://127.0.0.1:9'
const WORKER = 'https://worker.example'
const SECRET = 'proxy-test-secret-0123456789-abcdef'
const CLIENT = { clientId: 'proxy-client', clientSecret: SECRET }

interface Sent {
  readonly url: string
  readonly method: string
  readonly headers: Headers
  readonly body: string
}

function setup(
  proxyOptions: Partial<CamundaProxyOptions> = {},
  env: Record<string, string> = {},
  alter: (request: Request, response: Response) => Response | Promise<Response> = (_, response) => response,
) {
  const server = createDevAuthServer({ rateLimit: false, clients: [CLIENT] })
  const credentials = parseCredentials({ ...devCredentials(ORIGIN, CLIENT), ...env })
  const upstream: Sent[] = []
  const auth = createAuth({
    credentials,
    fetch: async (input, init) => {
      const request = new Request(input, init)
      if (!request.url.endsWith(server.tokenPath)) {
        const body = request.body ? await request.clone().text() : ''
        upstream.push({ url: request.url, method: request.method, headers: new Headers(request.headers), body })
      }
      return alter(request, await server.fetch(request))
    },
  })
  const proxy = createCamundaProxy({ auth, authorize: (request) => request.headers.get('x-session') === 'valid', ...proxyOptions })
  const call = (path: string, init: RequestInit = {}) =>
    proxy(new Request(`${WORKER}${path}`, { ...init, headers: { 'x-session': 'valid', ...(init.headers as Record<string, string>) } }))
  return { server, auth, proxy, call, upstream }
}

describe('proxy: forwarding with the server token', () => {
  it('GET /zeebe/v2/topology reaches the Zeebe API with a bearer token the API accepts', async () => {
    const t = setup()
    const response = await t.call('/zeebe/v2/topology')
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ gatewayVersion: '8.8.0-dev' })
    expect(t.upstream.map((s) => s.url)).toEqual([`${ORIGIN}/zeebe/v2/topology`])
    expect(t.upstream[0]!.headers.get('authorization')).toBe(`Bearer ${await t.auth.getToken('zeebe')}`)
    expect(t.server.apiRequestLog.at(-1)).toMatchObject({ api: 'zeebe', status: 200 })
  })

  it("each API prefix goes to that API's base URL with a token for its audience", async () => {
    const t = setup()
    for (const api of ['operate', 'tasklist', 'optimize'] as Api[]) {
      const response = await t.call(`/${api}/v1/thing`)
      expect(response.status, api).toBe(200)
      expect(await response.json()).toMatchObject({ api, path: '/v1/thing' })
    }
    expect(t.server.requests()).toBe(3)
  })

  it('the upstream sees only the bearer token: the browser Authorization, Cookie, Cf-Access and other headers stay behind', async () => {
    const t = setup({ allowOrigin: ['https://app.example'] })
    const response = await t.call('/zeebe/v2/topology', {
      headers: {
        authorization: 'Bearer the-browsers-own-token',
        cookie: 'session=abc; theme=dark',
        'cf-access-jwt-assertion': 'eyJhbGciOiJSUzI1NiJ9.e30.sig',
        'x-api-key': 'app-key',
        connection: 'keep-alive, x-session',
        origin: 'https://app.example',
        referer: 'https://app.example/page',
        accept: 'application/json',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    })
    expect(response.status).toBe(200)
    const sent = t.upstream[0]!.headers
    const token = await t.auth.getToken('zeebe')
    expect([...sent.keys()].sort()).toEqual(['accept', 'authorization', 'traceparent'])
    expect(sent.get('authorization')).toBe(`Bearer ${token}`)
  })

  it('forwardHeaders adds headers to forward, and refuses credentials and hop-by-hop headers', async () => {
    const t = setup({ forwardHeaders: ['X-Correlation-Id'] })
    await t.call('/zeebe/v2/topology', { headers: { 'x-correlation-id': 'c-1', 'x-other': 'no' } })
    expect(t.upstream[0]!.headers.get('x-correlation-id')).toBe('c-1')
    expect(t.upstream[0]!.headers.has('x-other')).toBe(false)
    for (const name of ['Authorization', 'cookie', 'Transfer-Encoding', 'cf-access-jwt-assertion']) {
      expect(() => createCamundaProxy({ auth: t.auth, authorize: () => true, forwardHeaders: [name] }), name).toThrow(/never forwarded/)
    }
  })

  it('method, query and body arrive as sent, with their content type', async () => {
    const t = setup()
    const body = JSON.stringify({ filter: { state: 'ACTIVE' }, size: 5, note: 'ünïcode ✓' })
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const response = await t.call('/operate/v1/process-instances/search?size=5&q=a%20b&q2=%2F', {
        method,
        body,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      })
      expect(response.status, method).toBe(200)
      expect(await response.json()).toMatchObject({
        api: 'operate',
        method,
        path: '/v1/process-instances/search',
        query: { size: '5', q: 'a b', q2: '/' },
      })
      const sent = t.upstream.at(-1)!
      expect(sent.body).toBe(body)
      expect(sent.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(sent.url).toBe(`${ORIGIN}/operate/v1/process-instances/search?size=5&q=a%20b&q2=%2F`)
    }
  })

  it('a large body (1 MiB) arrives intact', async () => {
    const t = setup()
    const body = 'x'.repeat(1 << 20)
    const response = await t.call('/zeebe/v2/resources', { method: 'POST', body, headers: { 'content-type': 'text/plain' } })
    expect(response.status).toBe(200)
    expect(t.upstream[0]!.body.length).toBe(1 << 20)
  })

  it('a base URL ending in /v2 is not given a second /v2, as auth.urls joins it', async () => {
    const t = setup({}, { ZEEBE_REST_ADDRESS: `${ORIGIN}/zeebe/v2` })
    expect((await t.call('/zeebe/v2/topology')).status).toBe(200)
    expect(t.upstream[0]!.url).toBe(`${ORIGIN}/zeebe/v2/topology`)
  })
})

describe('proxy: what comes back', () => {
  it('Set-Cookie, the API’s CORS headers and unlisted headers are dropped; the status passes; no-store when the API sets no caching', async () => {
    const t = setup({}, {}, (_, response) => {
      const headers = new Headers(response.headers)
      headers.delete('cache-control')
      headers.append('set-cookie', 'AWSALB=sticky; Path=/')
      headers.append('set-cookie', 'other=1')
      headers.set('access-control-allow-origin', '*')
      headers.set('x-camunda-trace', 't-1')
      return new Response(response.body, { status: 201, headers })
    })
    const response = await t.call('/tasklist/v1/tasks/search', { method: 'POST', body: '{}' })
    expect(response.status).toBe(201)
    expect(response.headers.getSetCookie()).toEqual([])
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(response.headers.get('x-camunda-trace')).toBeNull() // not on the allowlist (see returnHeaders)
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('an upstream sending HSTS, Clear-Site-Data, Refresh, Link, WWW-Authenticate, Authorization, Connection-named, Set-Cookie and unknown headers reaches the browser with none of them', async () => {
    const t = setup({}, {}, (_, response) => {
      const headers = new Headers(response.headers)
      headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains')
      headers.set('clear-site-data', '"*"')
      headers.set('refresh', '0;url=https://evil.example')
      headers.set('link', '<https://evil.example/x.js>; rel=preload; as=script')
      headers.set('www-authenticate', 'Basic realm="Sign in to app.example"')
      headers.set('authorization', 'Bearer upstream-token')
      headers.set('connection', 'x-secret-hop')
      headers.set('x-secret-hop', '1')
      headers.append('set-cookie', 'AWSALB=sticky; Path=/')
      headers.set('x-evil', 'yes')
      headers.set('nel', '{"report_to":"evil","max_age":86400}')
      headers.set('report-to', '{"group":"evil","endpoints":[{"url":"https://evil.example/r"}]}')
      headers.set('alt-svc', 'h3=":443"; ma=86400')
      headers.set('content-security-policy', "script-src 'unsafe-inline'")
      headers.set('access-control-allow-origin', '*')
      headers.set('content-type', 'application/json')
      headers.set('etag', '"v1"')
      headers.set('last-modified', 'Mon, 01 Jun 2026 12:00:00 GMT')
      headers.set('retry-after', '5')
      headers.set('x-request-id', 'req-1')
      headers.set('content-language', 'en')
      headers.set('vary', 'Accept')
      headers.set('cache-control', 'private, max-age=10')
      return new Response(response.body, { status: 200, headers })
    })
    const response = await t.call('/zeebe/v2/topology')
    expect(response.status).toBe(200)
    const names = [...response.headers.keys()]
    for (const name of [
      'strict-transport-security',
      'clear-site-data',
      'refresh',
      'link',
      'www-authenticate',
      'authorization',
      'connection',
      'x-secret-hop',
      'set-cookie',
      'x-evil',
      'nel',
      'report-to',
      'alt-svc',
      'access-control-allow-origin',
    ]) {
      expect(names, name).not.toContain(name)
    }
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'application/json',
      etag: '"v1"',
      'last-modified': 'Mon, 01 Jun 2026 12:00:00 GMT',
      'retry-after': '5',
      'x-request-id': 'req-1',
      'content-language': 'en',
      vary: 'Accept',
      'cache-control': 'private, max-age=10',
      'x-content-type-options': 'nosniff',
    })
    expect(await response.json()).toMatchObject({ gatewayVersion: '8.8.0-dev' })
  })

  it('an allowlisted header the upstream names in Connection is hop-by-hop and is dropped too', async () => {
    const t = setup({}, {}, (_, response) => {
      const headers = new Headers(response.headers)
      headers.set('connection', 'close, X-Request-Id')
      headers.set('x-request-id', 'hop-only')
      return new Response(response.body, { headers })
    })
    const response = await t.call('/zeebe/v2/topology')
    expect(response.headers.has('x-request-id')).toBe(false)
    expect(response.headers.get('content-type')).toMatch(/json/)
  })

  it('range answers keep Accept-Ranges, Content-Range and Content-Length; a compressed body loses Content-Encoding and its encoded Content-Length', async () => {
    const t = setup({}, {}, (request, response) => {
      if (request.url.includes('/partial')) {
        return new Response('abcd', {
          status: 206,
          headers: {
            'content-type': 'application/octet-stream',
            'accept-ranges': 'bytes',
            'content-range': 'bytes 0-3/10',
            'content-length': '4',
            'content-disposition': 'attachment; filename="a.bin"',
          },
        })
      }
      // What a runtime hands over for a gzip answer: the body already decoded, the headers as sent.
      if (request.url.includes('/gzipped'))
        return new Response('{"a":1}', {
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': '3' },
        })
      return response
    })
    const partial = await t.call('/zeebe/v2/documents/partial', { headers: { range: 'bytes=0-3' } })
    expect(partial.status).toBe(206)
    expect(Object.fromEntries(partial.headers)).toMatchObject({
      'accept-ranges': 'bytes',
      'content-range': 'bytes 0-3/10',
      'content-length': '4',
      'content-disposition': 'attachment; filename="a.bin"',
    })
    expect(await partial.text()).toBe('abcd')
    const gzipped = await t.call('/zeebe/v2/gzipped')
    expect(gzipped.headers.has('content-encoding')).toBe(false)
    expect(gzipped.headers.get('content-length')).not.toBe('3')
    expect(await gzipped.json()).toEqual({ a: 1 })
  })

  it('returnHeaders adds response headers to pass, and refuses the ones that act on the app origin', async () => {
    const t = setup({ returnHeaders: ['X-Camunda-Trace'] }, {}, (_, response) => {
      const headers = new Headers(response.headers)
      headers.set('x-camunda-trace', 't-1')
      headers.set('x-other', 'no')
      return new Response(response.body, { headers })
    })
    const response = await t.call('/zeebe/v2/topology')
    expect(response.headers.get('x-camunda-trace')).toBe('t-1')
    expect(response.headers.has('x-other')).toBe(false)
    for (const name of [
      'Set-Cookie',
      'strict-transport-security',
      'clear-site-data',
      'refresh',
      'link',
      'www-authenticate',
      'authorization',
      'connection',
      'content-encoding',
      'access-control-allow-origin',
      'content-security-policy',
      'nel',
      'report-to',
      'alt-svc',
    ]) {
      expect(() => createCamundaProxy({ auth: t.auth, authorize: () => true, returnHeaders: [name] }), name).toThrow(/never returned/)
    }
  })

  it('a redirect from the API is passed back, not followed', async () => {
    const t = setup({}, {}, (request, response) =>
      request.url.includes('/moved') ? new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } }) : response,
    )
    const response = await t.call('/zeebe/v2/moved')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('https://elsewhere.example/')
    expect(t.upstream).toHaveLength(1)
  })

  it('an API that cannot be reached is 502 bad_gateway, and onError hears why', async () => {
    const heard: unknown[] = []
    const t = setup({ onError: (error) => heard.push(error) }, {}, (request, response) => {
      if (request.url.includes('/zeebe/')) throw new TypeError('connection refused')
      return response
    })
    const response = await t.call('/zeebe/v2/topology')
    expect(response.status).toBe(502)
    expect(await response.json()).toMatchObject({ error: 'bad_gateway' })
    expect(heard).toHaveLength(1)
  })

  it('a rate-limited token endpoint gives 429 with Retry-After and nothing reaches the API', async () => {
    const t = setup()
    t.server.inject({ status: 429, headers: { 'retry-after': '9' } })
    const response = await t.call('/zeebe/v2/topology')
    expect(response.status).toBe(429)
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(8)
    expect(t.upstream).toHaveLength(0)
    expect(JSON.stringify([...response.headers]) + (await response.text())).not.toContain(SECRET)
  })
})

describe('proxy: refusals', () => {
  it('a request that authorize refuses is 403, sends nothing upstream and fetches no token', async () => {
    const t = setup()
    const response = await t.proxy(new Request(`${WORKER}/zeebe/v2/topology`, { headers: { authorization: 'Bearer x' } }))
    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({ error: 'access_denied' })
    expect(t.upstream).toHaveLength(0)
    expect(t.server.requests()).toBe(0)
  })

  it('an authorize check that throws is 500 without its message', async () => {
    const t = setup({
      authorize: () => {
        throw new Error('db password hunter2')
      },
    })
    const response = await t.call('/zeebe/v2/topology')
    expect(response.status).toBe(500)
    expect(await response.text()).not.toContain('hunter2')
  })

  it('paths outside the API prefixes are 404, as are APIs left out of apis', async () => {
    const t = setup({ apis: ['zeebe'] })
    for (const path of ['/', '/zeebe2/v2/topology', '/operate/v1/x', '/admin', '/zeebeX', '/auth/token']) {
      expect((await t.call(path)).status, path).toBe(404)
    }
    expect(t.upstream).toHaveLength(0)
  })

  it('with a prefix, only /prefix/{api}/… is served', async () => {
    const t = setup({ prefix: '/api/' })
    expect((await t.call('/api/zeebe/v2/topology')).status).toBe(200)
    expect((await t.call('/zeebe/v2/topology')).status).toBe(404)
    expect((await t.call('/apizeebe/v2/topology')).status).toBe(404)
    expect(t.upstream.map((s) => s.url)).toEqual([`${ORIGIN}/zeebe/v2/topology`])
  })

  // Paths that survive URL parsing with something that could walk out of the base URL.
  const HOSTILE = [
    '/zeebe/v2/..%2f..%2fadmin',
    '/zeebe/v2/%2e%2e%2fadmin',
    '/zeebe/v2/%2E%2E%2Fadmin',
    '/zeebe/%2e%2e%5c%2e%2e%5cadmin',
    '/zeebe/v2%5c..%5cadmin',
    '/zeebe/%2F%2Fevil.example/x',
    '/zeebe//evil.example/x',
    '/zeebe///evil.example',
    '/zeebe/http://evil.example/x',
    '/zeebe/https:%2F%2Fevil.example',
    '/zeebe/v2/%252e%252e/admin',
    '/zeebe/v2/%252F/admin',
    '/zeebe/v2/%00/x',
    '/zeebe/v2/%0d%0aX-Injected:%201',
    '/zeebe/v2/%zz',
    '/zeebe/v2/%C0%AE%C0%AE/admin',
    // `..;` is `..` to servers that drop path parameters (Tomcat): the cluster next door.
    '/zeebe/v2/..;/..;/cluster-other/v2/topology',
    '/zeebe/v2/..%3B/admin',
    '/zeebe/v2/%2e%2e;x/admin',
    '/zeebe/v2/.;/topology',
    // Full-width dots, folded to `.` by some servers.
    '/zeebe/v2/%EF%BC%8E%EF%BC%8E/admin',
  ]
  it.each(HOSTILE)('hostile path %s is refused with 400 and nothing is sent upstream', async (path) => {
    const t = setup()
    const response = await t.call(path)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_request' })
    expect(t.upstream).toHaveLength(0)
  })

  // Paths the URL parser itself resolves (literal and encoded dot segments, backslashes): whatever
  // route they end up on, nothing may leave the base URL of the API that route names.
  const NORMALISED = [
    '/zeebe/../operate/v1/x',
    '/zeebe/%2e%2e/%2e%2e/etc/passwd',
    '/zeebe/.%2e/operate/v1/x',
    '/zeebe/v2/./topology',
    '/zeebe/v2/../../../../admin',
    '/zeebe\\..\\..\\admin',
    '/zeebe/v2\\..\\topology',
  ]
  it.each(NORMALISED)('path %s, normalised by URL parsing, stays under one API base URL or is not served', async (path) => {
    const t = setup()
    const response = await t.call(path)
    expect([200, 400, 404]).toContain(response.status)
    for (const sent of t.upstream) {
      expect(sent.url).toMatch(/^http:\/\/127\.0\.0\.1:9\/(zeebe|operate|tasklist|optimize)\//)
    }
  })

  it('the path check itself refuses literal dot segments, should a runtime hand them over unparsed', () => {
    for (const path of ['/..', '/../admin', '/v2/../..', '/./x', '/v2/.', '/a\\b', '//x', '/%2e%2e/x', '/.%2E/x']) {
      expect(unsafePathReason(path), path).toBeDefined()
    }
    for (const path of ['', '/', '/v2/topology', '/v2/topology/', '/v1/tasks/2251799813685249', '/v1/a.b/c..d', '/v1/%20x']) {
      expect(unsafePathReason(path), path).toBeUndefined()
    }
  })

  it('the last check refuses any joined URL that leaves the base origin or path', () => {
    const base = 'https://bru-2.zeebe.camunda.io/cluster-1'
    expect(upstreamUrl(base, '/v2/topology', '?a=1')?.href).toBe('https://bru-2.zeebe.camunda.io/cluster-1/v2/topology?a=1')
    expect(upstreamUrl(`${base}/v2`, '/v2/topology', '')?.href).toBe('https://bru-2.zeebe.camunda.io/cluster-1/v2/topology')
    expect(upstreamUrl(base, '', '')?.href).toBe('https://bru-2.zeebe.camunda.io/cluster-1')
    for (const path of ['/../other/v2', '/..', '/%2e%2e/x', '/./../x']) expect(upstreamUrl(base, path, ''), path).toBeUndefined()
    expect(upstreamUrl(base, '/x', '?@evil.example')?.host).toBe('bru-2.zeebe.camunda.io')
  })

  it('naming an API without a base URL throws at construction; by default such APIs are simply not served', () => {
    const server = createDevAuthServer({ rateLimit: false })
    const env = devCredentials(ORIGIN)
    delete env.CAMUNDA_OPTIMIZE_BASE_URL
    const auth = createAuth({ credentials: parseCredentials(env), fetch: server.fetch })
    expect(() => createCamundaProxy({ auth, authorize: () => true, apis: ['optimize'] })).toThrow(/CAMUNDA_OPTIMIZE_BASE_URL/)
    const proxy = createCamundaProxy({ auth, authorize: () => true })
    return proxy(new Request(`${WORKER}/optimize/api/x`)).then((response) => expect(response.status).toBe(404))
  })
})

describe('proxy: requests from other sites (CSRF)', () => {
  const post = { method: 'POST', body: 'x', headers: { 'content-type': 'multipart/form-data; boundary=x' } }
  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Origin null (a sandboxed or file page)', { origin: 'null' }],
    ['no Origin but Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['a sibling subdomain’s POST: no Origin, Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
  ])('%s is refused with 403 before authorize, and nothing is sent upstream', async (_, headers) => {
    let authorized = 0
    const t = setup({ authorize: () => ((authorized += 1), true) })
    const response = await t.call('/zeebe/v2/deployments', { ...post, headers: { ...post.headers, ...headers } })
    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({ error: 'access_denied' })
    expect(authorized).toBe(0)
    expect(t.upstream).toHaveLength(0)
    expect(t.server.requests()).toBe(0)
  })

  it.each([
    ['its own origin', { origin: WORKER, 'sec-fetch-site': 'same-origin' }],
    ['a listed origin', { origin: 'https://app.example', 'sec-fetch-site': 'same-site' }],
    ['a non-browser client (no Origin, no Sec-Fetch-Site)', {}],
    ['a same-site GET without Origin (a link or download from a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
  ])('%s is forwarded', async (_, headers) => {
    const t = setup({ allowOrigin: ['https://app.example'] })
    const response = await t.call('/zeebe/v2/topology', { headers })
    expect(response.status).toBe(200)
    expect(t.upstream).toHaveLength(1)
  })
})

describe('proxy: a sibling subdomain (Sec-Fetch-Site: same-site, no Origin)', () => {
  it.each(['PUT', 'PATCH', 'DELETE'])('a sibling subdomain’s %s without Origin is refused with 403 before authorize', async (method) => {
    let authorized = 0
    const t = setup({ authorize: () => ((authorized += 1), true) })
    const response = await t.call('/zeebe/v2/process-instances/1', {
      method,
      body: method === 'DELETE' ? null : '{}',
      headers: { 'sec-fetch-site': 'same-site' },
    })
    expect(response.status).toBe(403)
    expect(authorized).toBe(0)
    expect(t.upstream).toHaveLength(0)
  })

  it('a same-site HEAD without Origin is forwarded, as GET is: neither changes anything in Camunda', async () => {
    const t = setup()
    const response = await t.call('/zeebe/v2/topology', { method: 'HEAD', headers: { 'sec-fetch-site': 'same-site' } })
    expect(response.status).toBe(200)
    expect(t.upstream.map((sent) => sent.method)).toEqual(['HEAD'])
  })
})

describe('proxy: allowOrigin is checked as the broker checks it', () => {
  it.each([['https://app.example/'], ['*'], ['app.example']])('allowOrigin %s throws at construction', (origin) => {
    expect(() => setup({ allowOrigin: [origin] })).toThrow(InvalidArgumentError)
  })
})

describe('proxy: nothing it returns runs as a page of the app origin', () => {
  it('adds nosniff and a sandboxing Content-Security-Policy to every answer, HTML included', async () => {
    const t = setup({}, {}, (request, response) =>
      request.url.includes('/documents/')
        ? new Response('<script>alert(1)</script>', { headers: { 'content-type': 'text/html' } })
        : response,
    )
    const response = await t.call('/zeebe/v2/documents/1')
    expect(response.headers.get('content-type')).toBe('text/html')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
  })
})

import { describe, expect, it } from 'vitest'
import { parseCredentials } from '../../src/credentials/index.ts'
import { MINIMAL } from './fixtures.ts'
import { issuesOf } from './helpers.ts'

const URL_ = 'https://idp.example.com/token'

describe('env objects', () => {
  it('reads the recognised variables of an env object and ignores everything else', () => {
    const env = { ...MINIMAL, PATH: '/usr/bin', MY_KV: { get() {} }, CAMUNDA_CREDENTIALS_SCOPES: ' Zeebe, ,Operate ,' }
    const c = parseCredentials(env)
    expect(c.clientId).toBe('my-client')
    expect(c.clientSecret).toBe('my-very-secret-value')
    expect(c.grantedScopes).toEqual(['Zeebe', 'Operate'])
  })

  it('reads process.env itself', () => {
    const saved = { ...process.env }
    try {
      Object.assign(process.env, { CAMUNDA_CLIENT_ID: 'env-id', CAMUNDA_CLIENT_SECRET: 'env-secret', CAMUNDA_OAUTH_URL: URL_ })
      expect(parseCredentials(process.env).clientId).toBe('env-id')
    } finally {
      for (const k of ['CAMUNDA_CLIENT_ID', 'CAMUNDA_CLIENT_SECRET', 'CAMUNDA_OAUTH_URL']) {
        if (saved[k] === undefined) delete process.env[k]
        else process.env[k] = saved[k]
      }
    }
  })

  it('reads only own properties: inherited values are not credentials', () => {
    const env = Object.create({ ZEEBE_CLIENT_SECRET: 'inherited' }) as Record<string, string>
    Object.assign(env, { ZEEBE_CLIENT_ID: 'id', ZEEBE_AUTHORIZATION_SERVER_URL: URL_ })
    expect(issuesOf(() => parseCredentials(env)).map((i) => i.variable)).toEqual(['ZEEBE_CLIENT_SECRET'])
  })

  it('accepts a null-prototype env object', () => {
    const env = Object.assign(Object.create(null), MINIMAL)
    expect(parseCredentials(env).clientId).toBe('my-client')
  })

  it('reports a recognised variable whose value is not a string', () => {
    const issues = issuesOf(() => parseCredentials({ ...MINIMAL, ZEEBE_CLIENT_ID: 42, CAMUNDA_CLUSTER_ID: { a: 1 } }))
    expect(issues).toEqual([
      { variable: 'ZEEBE_CLIENT_ID', message: 'must be a string' },
      { variable: 'CAMUNDA_CLUSTER_ID', message: 'must be a string' },
    ])
  })

  it('treats undefined and empty or blank values as absent', () => {
    const c = parseCredentials({ ...MINIMAL, CAMUNDA_TOKEN_SCOPE: undefined, CAMUNDA_OAUTH_SCOPE: '   ', CAMUNDA_OPERATE_BASE_URL: '' })
    expect(c.scope).toBeUndefined()
    expect(c.baseUrls).toEqual({})
    const issues = issuesOf(() => parseCredentials({ ...MINIMAL, ZEEBE_CLIENT_SECRET: '  ' }))
    expect(issues.map((i) => i.variable)).toEqual(['ZEEBE_CLIENT_SECRET'])
  })

  it('trims values', () => {
    const c = parseCredentials({ ...MINIMAL, ZEEBE_CLIENT_ID: '  padded\t', CAMUNDA_TOKEN_SCOPE: ' read ' })
    expect(c.clientId).toBe('padded')
    expect(c.scope).toBe('read')
  })
})

describe('credential file text', () => {
  const file = (...lines: string[]) => lines.join('\n')

  it("reads the Console format: export KEY='value'", () => {
    const c = parseCredentials(
      file(`export ZEEBE_CLIENT_ID='id'`, `export ZEEBE_CLIENT_SECRET='s#cret "x" \\n'`, `export CAMUNDA_OAUTH_URL='${URL_}'`),
    )
    expect(c.clientId).toBe('id')
    // Single quotes are literal: no escapes, no comments.
    expect(c.clientSecret).toBe('s#cret "x" \\n')
  })

  it('reads plain KEY=value lines, with spaces around "="', () => {
    const c = parseCredentials(file('ZEEBE_CLIENT_ID = id', 'ZEEBE_CLIENT_SECRET=secret', `CAMUNDA_OAUTH_URL=${URL_}`))
    expect(c.clientId).toBe('id')
    expect(c.clientSecret).toBe('secret')
  })

  it('understands \\" \\\\ and \\n inside double quotes', () => {
    const c = parseCredentials(
      file('ZEEBE_CLIENT_ID="a \\"quoted\\" \\\\ id"', 'ZEEBE_CLIENT_SECRET="s \\t"', `CAMUNDA_OAUTH_URL="${URL_}"`),
    )
    expect(c.clientId).toBe('a "quoted" \\ id')
    // Other backslashes are kept as written.
    expect(c.clientSecret).toBe('s \\t')
  })

  it('skips over a quoted value that spans several lines', () => {
    const c = parseCredentials(
      file(
        `OTHER_PEM="-----BEGIN`,
        `ZEEBE_CLIENT_ID=not-me`,
        `-----END"`,
        'ZEEBE_CLIENT_ID=id',
        'ZEEBE_CLIENT_SECRET=s',
        `CAMUNDA_OAUTH_URL=${URL_}`,
      ),
    )
    expect(c.clientId).toBe('id')
  })

  it('refuses a line break inside a recognised value', () => {
    const issues = issuesOf(() => parseCredentials(file(`ZEEBE_CLIENT_ID='a`, `b'`, 'ZEEBE_CLIENT_SECRET=s', `CAMUNDA_OAUTH_URL=${URL_}`)))
    expect(issues).toEqual([{ variable: 'ZEEBE_CLIENT_ID', message: 'must not contain control characters or line breaks' }])
  })

  it('skips comment lines, blank lines, and " #" comments after values', () => {
    const c = parseCredentials(
      file(
        '# Camunda credentials',
        '',
        '   ',
        '  # indented comment',
        'ZEEBE_CLIENT_ID=id # a comment',
        "ZEEBE_CLIENT_SECRET='se#cret' # after quotes",
        `CAMUNDA_OAUTH_URL=${URL_}#not-a-comment`,
      ),
    )
    expect(c.clientId).toBe('id')
    expect(c.clientSecret).toBe('se#cret')
    expect(c.tokenUrl).toBe(`${URL_}#not-a-comment`)
  })

  it('handles CRLF line ends', () => {
    const c = parseCredentials(
      `export ZEEBE_CLIENT_ID='id'\r\nexport ZEEBE_CLIENT_SECRET='secret'\r\nexport CAMUNDA_OAUTH_URL='${URL_}'\r\n`,
    )
    expect(c.clientId).toBe('id')
    expect(c.clientSecret).toBe('secret')
    expect(c.tokenUrl).toBe(URL_)
  })

  it('handles lone CR line ends (classic Mac)', () => {
    const c = parseCredentials(`ZEEBE_CLIENT_ID=id\rZEEBE_CLIENT_SECRET=secret\rCAMUNDA_OAUTH_URL=${URL_}`)
    expect(c.clientSecret).toBe('secret')
    expect(c.tokenUrl).toBe(URL_)
  })

  it('ignores a UTF-8 byte order mark', () => {
    expect(parseCredentials(`\uFEFFZEEBE_CLIENT_ID=id\nZEEBE_CLIENT_SECRET=s\nCAMUNDA_OAUTH_URL=${URL_}`).clientId).toBe('id')
  })

  it('lets the last of duplicate keys win', () => {
    const c = parseCredentials(
      file('ZEEBE_CLIENT_ID=first', 'ZEEBE_CLIENT_SECRET=s', `CAMUNDA_OAUTH_URL=${URL_}`, 'ZEEBE_CLIENT_ID=second'),
    )
    expect(c.clientId).toBe('second')
  })

  it('ignores unknown keys, including Java-style dotted ones', () => {
    const c = parseCredentials(
      file('spring.app.name=x', 'OTHER="y"', 'ZEEBE_CLIENT_ID=id', 'ZEEBE_CLIENT_SECRET=s', `CAMUNDA_OAUTH_URL=${URL_}`),
    )
    expect(c.clientId).toBe('id')
  })

  it('reports a line without "=" by its variable name', () => {
    const issues = issuesOf(() => parseCredentials(file('ZEEBE_CLIENT_ID=id', 'export ZEEBE_CLIENT_SECRET', `CAMUNDA_OAUTH_URL=${URL_}`)))
    expect(issues).toEqual([{ variable: 'ZEEBE_CLIENT_SECRET', message: 'line 2 has no "=": expected KEY=value' }])
  })

  it('reports a line without a variable name as "line N", without echoing it', () => {
    const issues = issuesOf(() =>
      parseCredentials(file('ZEEBE_CLIENT_ID=id', 'ZEEBE_CLIENT_SECRET=s', `CAMUNDA_OAUTH_URL=${URL_}`, 'pastedSecretValue123')),
    )
    expect(issues).toEqual([{ variable: 'line 4', message: 'line 4 has no "=": expected KEY=value' }])
    expect(JSON.stringify(issues)).not.toContain('pastedSecretValue123')
  })

  it('reports a quote that is never closed, naming the variable', () => {
    const issues = issuesOf(() =>
      parseCredentials(file('ZEEBE_CLIENT_ID=id', `CAMUNDA_OAUTH_URL=${URL_}`, "ZEEBE_CLIENT_SECRET='unterminated-secret")),
    )
    expect(issues).toEqual([{ variable: 'ZEEBE_CLIENT_SECRET', message: 'the single quote opened on line 3 is never closed' }])
    expect(JSON.stringify(issues)).not.toContain('unterminated-secret')
  })

  it('reports an unclosed double quote, which swallows the rest of the file', () => {
    const issues = issuesOf(() => parseCredentials(file('ZEEBE_CLIENT_ID="id', 'ZEEBE_CLIENT_SECRET=s')))
    expect(issues.map((i) => i.variable)).toEqual(['ZEEBE_CLIENT_ID', 'ZEEBE_CLIENT_SECRET', 'ZEEBE_AUTHORIZATION_SERVER_URL'])
    expect(issues[0]?.message).toBe('the double quote opened on line 1 is never closed')
  })

  it('reports text after a closing quote', () => {
    const issues = issuesOf(() => parseCredentials(file("ZEEBE_CLIENT_ID='id'junk", 'ZEEBE_CLIENT_SECRET=s', `CAMUNDA_OAUTH_URL=${URL_}`)))
    expect(issues).toEqual([{ variable: 'ZEEBE_CLIENT_ID', message: 'line 1 has unexpected text after the closing quote' }])
  })

  it('counts lines across CRLF and multi-line values when reporting', () => {
    const issues = issuesOf(() => parseCredentials(`A='x\r\ny'\r\n\r\nbroken line\r\n`))
    expect(issues[0]).toEqual({ variable: 'line 4', message: 'line 4 has no "=": expected KEY=value' })
  })
})

describe('JSON text', () => {
  it('reads a JSON object with the same keys, even with leading whitespace', () => {
    const c = parseCredentials(`  \n${JSON.stringify({ ...MINIMAL, OTHER: 1 })}`)
    expect(c.clientId).toBe('my-client')
  })

  it('reports a non-string value by variable name', () => {
    const issues = issuesOf(() => parseCredentials(JSON.stringify({ ...MINIMAL, CAMUNDA_CLUSTER_REGION: ['bru-2'] })))
    expect(issues).toEqual([{ variable: 'CAMUNDA_CLUSTER_REGION', message: 'must be a string' }])
  })

  it('reports invalid JSON without quoting it', () => {
    const issues = issuesOf(() => parseCredentials('{"ZEEBE_CLIENT_SECRET": "do-not-print-me",'))
    expect(issues).toEqual([{ variable: '(source)', message: 'is not valid JSON' }])
  })
})

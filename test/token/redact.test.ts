import { describe, expect, it } from 'vitest'
import { credentialsRedactor, redact, redactor } from '../../src/token/redact.ts'
import { parseCredentials } from '../../src/index.ts'
import { devCredentials } from '../../src/dev-server.ts'
import { basicPart, formBodyValue, leakedRunAt, RUN, secretRuns, textForms, wireForms } from '../helpers/secret-forms.ts'

// Every character class whose encodings differ from the literal: `~`, space, `+`, `/`, `"`, `\`, non-ASCII.
const SECRET = 'q7Rt~kLm2x Vb9N+w/Pz"4Hs\\Jd_Tg8é€😀Fc~Ye3Ua6Qo~Wi5Ml1Kn~Xr0Bv7Cs.Dh2Ej~Fk'
const ID = 'my-client'
const pieces = redactor([{ value: SECRET, id: ID }])
const runs = secretRuns([{ value: SECRET, id: ID }])
const BODY = `grant_type=client_credentials&client_id=${ID}&client_secret=${formBodyValue(SECRET)}&audience=zeebe.camunda.io`

/** Fails with where the run starts, never with the run itself. */
function expectNoRun(text: string): void {
  expect(leakedRunAt(text, runs), 'a 12-character run of a form of the secret survived at this index').toBe(-1)
}

describe('redact', () => {
  it('removes the given secrets', () => {
    expect(redact('bad secret s3cr3t-value here', redactor([{ value: 's3cr3t-value' }]))).toBe('bad secret [redacted] here')
  })
  it('removes anything JWT-shaped', () => {
    expect(redact('token eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl expired')).toBe('token [redacted] expired')
  })
  it('removes long opaque token-like runs that contain a digit', () => {
    expect(redact('last token SENTINELTOKEN-a1b2c3d4e5f6a7b8c9d0 refused')).toBe('last token [redacted] refused')
  })
  it('keeps prose, error codes and plain URLs readable', () => {
    const text = 'invalid_client: Client authentication failed at https://login.cloud.camunda.io/oauth/token'
    expect(redact(text, pieces)).toBe(text)
  })
  it('ignores secrets too short to search for safely', () => {
    expect(redact('a b c', redactor([{ value: 'a' }, { value: 'abc' }]))).toBe('a b c')
  })
  it('cuts long text', () => {
    expect(redact('x '.repeat(400), undefined, 10)).toBe('x x x x x …')
  })
})

describe('redact: a server that echoes what it was sent', () => {
  it('a 401 echoing the form body leaves no 12-character run of the secret', () => {
    expect(BODY).not.toContain(SECRET) // the literal search alone found nothing here
    const out = redact(`invalid client for ${BODY}`, pieces, 300)
    expectNoRun(out)
    expect(out).toBe(`invalid client for grant_type=client_credentials&client_id=${ID}&client_secret=[redacted]&audience=zeebe.camunda.io`)
  })

  it.each(Object.entries(textForms(SECRET)))('an echo of the %s form leaves no 12-character run', (_name, form) => {
    const out = redact(`bad credentials <${form}> refused`, pieces, 300)
    expectNoRun(out)
    expect(out).toBe('bad credentials <[redacted]> refused')
  })

  it('an echo of the HTTP Basic header (base64 of id:secret, both parts form-encoded) leaves no 12-character run', () => {
    const header = `Basic ${btoa(`${basicPart(ID)}:${basicPart(SECRET)}`)}`
    const out = redact(`refused authorization: ${header}.`, pieces, 300)
    expectNoRun(out)
    expect(out).toBe('refused authorization: Basic [redacted].')
  })

  it('an echo of base64 of the raw id:secret (UTF-8, not form-encoded) leaves no 12-character run', () => {
    const out = redact(`refused ${Buffer.from(`${ID}:${SECRET}`).toString('base64')}`, pieces, 300)
    expectNoRun(out)
    expect(out).toBe('refused [redacted]')
  })

  it('the secret base64-encoded inside other base64, at each of the three byte alignments, leaves no 12-character run', () => {
    for (const prefix of ['', 'x', 'xy', 'other-client', 'other-client:']) {
      expectNoRun(redact(Buffer.from(`${prefix}${SECRET}`).toString('base64'), pieces, 300))
      expectNoRun(redact(Buffer.from(`${prefix}${basicPart(SECRET)}`).toString('base64'), pieces, 300))
    }
  })

  it('a truncated or partial echo of any form (any piece of 12 or more characters) leaves no 12-character run', () => {
    const forms = wireForms({ value: SECRET, id: ID }).filter((form) => form.length >= RUN)
    let echoes = 0
    for (const form of forms) {
      for (let from = 0; from + RUN <= form.length; from += 3) {
        for (const length of [RUN, RUN + 1, 17, 30, form.length]) {
          const piece = form.slice(from, from + length)
          if (piece.length < RUN) continue
          expectNoRun(redact(`echo: ${piece}&audience=zeebe`, pieces, 300))
          echoes++
        }
      }
    }
    expect(echoes).toBeGreaterThan(1000)
  })

  it('a form cut at the read limit (4 · max + 12) shows no character of it, and no 12-character run', () => {
    const form = formBodyValue(SECRET)
    // The limit, 812 for max 200, falls at every offset of some copy of the form.
    for (let pad = 0; pad <= form.length; pad++) {
      const out = redact(`${'y'.repeat(pad)}${`${form} `.repeat(20)}`, pieces, 200)
      expectNoRun(out)
      expect(out).toMatch(/^y*(\[redacted\] ?)*…$/)
    }
  })

  it('the secret is removed before the text is cut short: no piece is left at the cut', () => {
    for (let pad = 280; pad < 300; pad++) {
      const out = redact(`${'-'.repeat(pad)}${formBodyValue(SECRET)}`, pieces, 300)
      expect(out).toBe(`${'-'.repeat(pad)}[redacted]`.slice(0, 300) + (pad + 10 > 300 ? '…' : ''))
    }
  })

  it('a secret shorter than 12 characters is matched whole, in each form', () => {
    const short = redactor([{ value: 'a~b c+d', id: 'id' }])
    expect(redact('x a~b c+d y a~b%20c%2Bd z a%7Eb+c%2Bd w a~b+c%2Bd', short)).toBe('x [redacted] y [redacted] z [redacted] w [redacted]')
    expect(redact('a~b c is a piece, not the secret', short)).toBe('a~b c is a piece, not the secret')
  })

  it('a secret with a lone surrogate (which encodeURIComponent refuses) is still redacted, as sent', () => {
    const odd = 'lone-\ud800-surrogate-secret'
    const oddPieces = redactor([{ value: odd, id: ID }])
    expect(redact(`a ${odd} b ${new URLSearchParams({ s: odd }).toString().slice(2)} c`, oddPieces)).toBe('a [redacted] b [redacted] c')
  })

  it('takes a list of secrets, each with its own identifier', () => {
    const two = redactor([
      { value: SECRET, id: ID },
      { value: 'basic-password-Zq8Xv2Lm', id: 'basic-user' },
    ])
    const text = `a ${formBodyValue(SECRET)} b basic-password-Zq8Xv2Lm c ${btoa('basic-user:basic-password-Zq8Xv2Lm')}`
    expect(redact(text, two)).toBe('a [redacted] b [redacted] c [redacted]')
  })

  it('a Basic header of a short password (under 4 characters) is still redacted: base64 of user:password is long', () => {
    const short = redactor([{ value: 'pw1', id: 'bob' }])
    expect(redact(`Authorization: Basic ${btoa('bob:pw1')}`, short)).toBe('Authorization: Basic [redacted]')
    expect(redact('the word pw1 alone stays, as too short to search for', short)).toContain('pw1')
  })

  it("builds a credential bundle's redactor once, with its client id for HTTP Basic", () => {
    const credentials = parseCredentials(devCredentials('http://127.0.0.1:9', { clientId: ID, clientSecret: SECRET }))
    expect(credentialsRedactor(credentials)).toBe(credentialsRedactor(credentials))
    expect(redact(`Basic ${btoa(`${ID}:${basicPart(SECRET)}`)}`, credentialsRedactor(credentials))).toBe('Basic [redacted]')
  })
})

describe('redact: text the token endpoint controls costs linear time', () => {
  const hostile: Record<string, (size: number) => string> = {
    "'eyJ' repeated": (size) => 'eyJ'.repeat(size / 3),
    "'eyJ-' repeated": (size) => 'eyJ-'.repeat(size / 4),
    "'eyJ.' then 'eyJ' repeated": (size) => `eyJ.${'eyJ'.repeat(size / 3)}`,
    '23-character runs with a digit': (size) => `${'a'.repeat(22)}1 `.repeat(size / 24),
    'the form body echoed': (size) => `${BODY} `.repeat(size / (BODY.length + 1)),
  }

  it('a hostile 64 KiB answer is read only to 4 · max + 12 characters: what follows changes nothing', () => {
    for (const build of Object.values(hostile)) {
      const text = build(65_536)
      const head = text.slice(0, 4 * 300 + RUN)
      expect(redact(text, pieces, 300)).toBe(redact(`${head}and then something else entirely`, pieces, 300))
    }
  })

  // A ratio of two timings in one run, never an absolute time: 16 texts of 4 KiB against one of
  // 64 KiB, the same number of characters, with max high enough that nothing is cut. Linear work
  // gives about 1, quadratic about 16 (the original redact: 14 to 18 on the 'eyJ' inputs). Best of
  // 5 on each side, so one GC pause does not decide it.
  it.each(Object.entries(hostile))('%s: 64 KiB at once costs about what 16 × 4 KiB cost', (_name, build) => {
    const small = build(4_096)
    const large = build(65_536)
    const best = (work: () => void) => {
      let min = Infinity
      for (let run = 0; run < 5; run++) {
        const start = performance.now()
        work()
        min = Math.min(min, performance.now() - start)
      }
      return min
    }
    const ratio =
      best(() => redact(large, pieces, 1 << 20)) /
      best(() => {
        for (let i = 0; i < 16; i++) redact(small, pieces, 1 << 20)
      })
    expect(ratio).toBeLessThan(4)
  })
})

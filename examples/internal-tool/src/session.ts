/**
 * The tool's sign-in: a person types their name and the team's shared key (`APP_KEY`) once; the
 * Worker answers with a session cookie (a JWT signed with `SESSION_SECRET`, HS256, 8 hours) that is
 * `HttpOnly` (no script of the page can read it) and `SameSite=Strict` (no other site's page can
 * send it). `authorize` then accepts a request that carries a valid session cookie, or, for scripts
 * and curl, the shared key itself in an `x-app-key` header.
 *
 * Behind Cloudflare Access, replace both with a check of the `Cf-Access-Jwt-Assertion` header (see
 * README.md): Access has already signed the person in.
 */
import { jwtVerify, SignJWT } from 'jose'

/** The cookie's name: `__Host-` pins it to this origin (Secure, Path=/, no Domain) where the page is served over https. */
const COOKIE = 'tool_session'
const SECURE_COOKIE = `__Host-${COOKIE}`
const AUDIENCE = 'camunda-internal-tool'
const LIFETIME_SECONDS = 8 * 3600

/** A name a person may sign in with: what the tool assigns tasks to. */
const USER_NAME = /^[\p{L}\p{N} ._@-]{1,40}$/u

const encoder = new TextEncoder()

/** The secrets the session needs, checked once: a Worker without them lets nobody in. */
export interface SessionSecrets {
  readonly appKey: string
  readonly signingKey: Uint8Array<ArrayBuffer>
}

/**
 * The session secrets from the Worker's env, or the name of the one that is missing. No default:
 * a forgotten secret must close the tool, not open it.
 */
export function sessionSecrets(env: { readonly APP_KEY?: unknown; readonly SESSION_SECRET?: unknown }): SessionSecrets | string {
  if (typeof env.APP_KEY !== 'string' || env.APP_KEY.length < 8) return 'APP_KEY (the team key, at least 8 characters)'
  if (typeof env.SESSION_SECRET !== 'string' || env.SESSION_SECRET.length < 32) return 'SESSION_SECRET (at least 32 random characters)'
  return { appKey: env.APP_KEY, signingKey: encoder.encode(env.SESSION_SECRET) }
}

/** Whether `given` is the team key, compared by HMAC so the time taken does not depend on where they differ. */
export async function isTeamKey(secrets: SessionSecrets, given: string | null): Promise<boolean> {
  if (given === null) return false
  const key = await crypto.subtle.importKey('raw', secrets.signingKey, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
  const expected = await crypto.subtle.sign('HMAC', key, encoder.encode(secrets.appKey))
  return crypto.subtle.verify('HMAC', key, expected, encoder.encode(given))
}

/** The `Set-Cookie` value that signs `user` in on `url`'s origin. */
export async function sessionCookie(secrets: SessionSecrets, user: string, url: URL): Promise<string> {
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(secrets.signingKey)
  return `${cookieName(url)}=${jwt}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${LIFETIME_SECONDS}${url.protocol === 'https:' ? '; Secure' : ''}`
}

/** The `Set-Cookie` value that signs the person out. */
export function endedSessionCookie(url: URL): string {
  return `${cookieName(url)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${url.protocol === 'https:' ? '; Secure' : ''}`
}

/** The signed-in user of `request`, from its session cookie; `undefined` without a valid one. */
export async function sessionUser(secrets: SessionSecrets, request: Request): Promise<string | undefined> {
  const name = cookieName(new URL(request.url))
  const cookie = (request.headers.get('cookie') ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`))
  if (!cookie) return undefined
  try {
    const { payload } = await jwtVerify(cookie.slice(name.length + 1), secrets.signingKey, { audience: AUDIENCE, algorithms: ['HS256'] })
    return typeof payload.sub === 'string' && USER_NAME.test(payload.sub) ? payload.sub : undefined
  } catch {
    return undefined
  }
}

/** A name fit to sign in with, trimmed, or `undefined`. */
export function userName(value: FormDataEntryValue | null): string | undefined {
  const name = typeof value === 'string' ? value.trim() : ''
  return USER_NAME.test(name) ? name : undefined
}

function cookieName(url: URL): string {
  return url.protocol === 'https:' ? SECURE_COOKIE : COOKIE
}

/**
 * The Worker example builds from a clean clone: `wrangler deploy --dry-run` bundles
 * examples/worker (the aliases in its wrangler.jsonc point at this repository's sources), with no
 * login and no Cloudflare account, and the bundle holds no secret and no dev-only code.
 */
import { execFile } from 'node:child_process'
import { access, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = new URL('../../', import.meta.url).pathname
const wrangler = join(root, 'node_modules/wrangler/bin/wrangler.js')
/** Where wrangler keeps its scratch files next to the config; removed afterwards unless it was there before. */
const scratch = join(root, 'examples/worker/.wrangler')

/** The environment of a machine that never logged in to Cloudflare. */
function offlineEnv(temp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('CLOUDFLARE_') && !name.startsWith('CF_')) env[name] = value
  return {
    ...env,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_LOG_PATH: join(temp, 'logs'),
    XDG_CONFIG_HOME: join(temp, 'config'),
    NO_COLOR: '1',
  }
}

describe('examples/worker', () => {
  let temp = ''
  let build: { stdout: string; stderr: string }
  let bundle = ''
  let scratchExisted = true

  beforeAll(async () => {
    scratchExisted = await access(scratch).then(
      () => true,
      () => false,
    )
    temp = await mkdtemp(join(tmpdir(), 'camunda-edge-auth-worker-'))
    const outdir = join(temp, 'out')
    build = await run(
      process.execPath,
      [wrangler, 'deploy', '--dry-run', '--outdir', outdir, '--config', 'examples/worker/wrangler.jsonc'],
      {
        cwd: root,
        env: offlineEnv(temp),
        timeout: 60_000,
      },
    )
    bundle = await readFile(join(outdir, 'index.js'), 'utf8')
  }, 90_000)

  afterAll(async () => {
    if (temp) await rm(temp, { recursive: true, force: true })
    if (!scratchExisted) await rm(scratch, { recursive: true, force: true })
  })

  it('wrangler deploy --dry-run builds it without a login, with the KV and Durable Object bindings', async () => {
    expect(build.stdout).toContain('--dry-run: exiting now.')
    expect(build.stdout).toMatch(/env\.TOKEN_LOCK \(TokenLockObject\)\s+Durable Object/)
    expect(build.stdout).toMatch(/env\.TOKENS \(\w+\)\s+KV Namespace/)
    expect((await stat(join(temp, 'out', 'index.js'))).size).toBeGreaterThan(10_000)
  })

  it('the bundle is the broker, the proxy and the TokenLockObject class, built from this repository', () => {
    expect(bundle).toMatch(/export\s*\{[^}]*TokenLockObject/)
    expect(bundle).toContain('function createTokenBroker')
    expect(bundle).toContain('function createCamundaProxy')
    expect(bundle).toContain('/auth/token')
  })

  it('the bundle holds no secret and no dev-only code', () => {
    for (const text of ['dev-secret', 'dev-app-key', 'createDevAuthServer', 'node:http']) expect(bundle, text).not.toContain(text)
    expect(bundle).not.toMatch(/eyJ[\w-]+\.[\w-]+\./)
  })
})

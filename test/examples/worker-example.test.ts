/**
 * The Worker examples build from a clean clone: `wrangler deploy --dry-run` bundles examples/worker
 * and examples/internal-tool (the aliases in their wrangler.jsonc point at this repository's
 * sources), with no login and no Cloudflare account, and the bundles hold no secret and no dev-only
 * code. The inbox's bundle is also built minified, as its size is reported (README).
 */
import { execFile } from 'node:child_process'
import { access, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPage } from '../../examples/internal-tool/start.ts'

const run = promisify(execFile)
const root = new URL('../../', import.meta.url).pathname
const wrangler = join(root, 'node_modules/wrangler/bin/wrangler.js')

/** What each example's Worker is: its folder, the handlers it bundles, and what it must not. */
const EXAMPLES = [
  { folder: 'examples/worker', handlers: ['createTokenBroker', 'createCamundaProxy'], absent: [] as string[] },
  { folder: 'examples/internal-tool', handlers: ['createCamundaProxy'], absent: ['createTokenBroker', 'dev-team-key'] },
]

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

describe.each(EXAMPLES)('$folder', ({ folder, handlers, absent }) => {
  /** Where wrangler keeps its scratch files next to the config; removed afterwards unless it was there before. */
  const scratch = join(root, folder, '.wrangler')
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
    // The inbox's wrangler.jsonc names the built page as its assets directory.
    if (folder === 'examples/internal-tool') await buildPage()
    const dryRun = (outdir: string, ...flags: string[]) =>
      run(process.execPath, [wrangler, 'deploy', '--dry-run', ...flags, '--outdir', outdir, '--config', `${folder}/wrangler.jsonc`], {
        cwd: root,
        env: offlineEnv(temp),
        timeout: 60_000,
      })
    build = await dryRun(join(temp, 'out'))
    bundle = await readFile(join(temp, 'out', folder === 'examples/worker' ? 'index.js' : 'worker.js'), 'utf8')
    if (folder === 'examples/internal-tool') {
      await dryRun(join(temp, 'min'), '--minify')
      const minified = await readFile(join(temp, 'min', 'worker.js'))
      console.info(`[size] ${folder} Worker, wrangler --minify: ${minified.length} B, gzip ${gzipSync(minified, { level: 9 }).length} B`)
    }
  }, 90_000)

  afterAll(async () => {
    if (temp) await rm(temp, { recursive: true, force: true })
    // The inbox's end-to-end test may be running its Worker from that folder's scratch right now.
    if (!scratchExisted && folder === 'examples/worker') await rm(scratch, { recursive: true, force: true })
  })

  it('wrangler deploy --dry-run builds it without a login, with the KV and Durable Object bindings', async () => {
    expect(build.stdout).toContain('--dry-run: exiting now.')
    expect(build.stdout).toMatch(/env\.TOKEN_LOCK \(TokenLockObject\)\s+Durable Object/)
    expect(build.stdout).toMatch(/env\.TOKENS \(\w+\)\s+KV Namespace/)
    expect(bundle.length).toBeGreaterThan(10_000)
  })

  it('the bundle is its handlers and the TokenLockObject class, built from this repository', () => {
    expect(bundle).toMatch(/export\s*\{[^}]*TokenLockObject/)
    for (const handler of handlers) expect(bundle).toContain(`function ${handler}`)
    for (const text of absent) expect(bundle).not.toContain(text)
  })

  it('the bundle holds no secret and no dev-only code', () => {
    for (const text of ['dev-secret', 'dev-app-key', 'createDevAuthServer', 'node:http']) expect(bundle, text).not.toContain(text)
    expect(bundle).not.toMatch(/eyJ[\w-]+\.[\w-]+\./)
  })
})

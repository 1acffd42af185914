/**
 * The `camunda-edge-auth` bin as the packed tarball installs it (test/package/global-setup.ts):
 * `npx camunda-edge-auth check` under Node, and `deno run -A npm:camunda-edge-auth check` under the
 * deno binary, both against the dev server over loopback.
 */
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { devCredentials } from '../../src/dev-server.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'

const project = inject('packedProject')
const DENO = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url))
const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url))

function run(command: string, args: readonly string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      command,
      args,
      { cwd: project, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    )
  })
}

let dev: ListeningDevAuthServer
let bundle = ''
beforeAll(async () => {
  dev = await listenDevAuthServer()
  bundle = join(project, 'dev-credentials.env')
  await writeFile(
    bundle,
    `${Object.entries(devCredentials(dev.url))
      .map(([key, value]) => `${key}=${value}`)
      .join('\n')}\n`,
  )
  // Deno takes npm: packages from this project's node_modules, as npm installed them.
  await writeFile(join(project, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }))
})
afterAll(() => dev.close())

describe('the packed bin', () => {
  it('is dist/cli-node.js with a node shebang, named by package.json bin and by no export', async () => {
    const manifest = JSON.parse(await readFile(join(project, 'node_modules/camunda-edge-auth/package.json'), 'utf8'))
    expect(manifest.bin).toEqual({ 'camunda-edge-auth': './dist/cli-node.js' })
    expect(JSON.stringify(manifest.exports)).not.toContain('cli')
    const bin = await readFile(join(project, 'node_modules/camunda-edge-auth/dist/cli-node.js'), 'utf8')
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true)
  })

  it('npx camunda-edge-auth check FILE: tokens and API calls against the dev server, exit 0', async () => {
    dev.server.reset()
    const { code, stdout } = await run('npx', ['--no-install', 'camunda-edge-auth', 'check', bundle])
    expect(stdout).toContain('Everything checked works.')
    expect(code).toBe(0)
    expect(dev.server.requests()).toBe(4)
    expect(dev.server.apiRequests()).toBe(4)
  })

  it('deno run -A npm:camunda-edge-auth check FILE: the same check under Deno, exit 0', async () => {
    dev.server.reset()
    const { code, stdout, stderr } = await run(DENO, ['run', '-A', '--cached-only', 'npm:camunda-edge-auth', 'check', bundle])
    expect(stderr).toBe('')
    expect(stdout).toMatch(/ok\s+zeebe\s+GET \/v2\/topology → 200, gateway 8\.8\.0-dev/)
    expect(stdout).toContain('Everything checked works.')
    expect(code).toBe(0)
    expect(dev.server.requests()).toBe(4)
    expect(dev.server.apiRequests()).toBe(4)
  })

  it('under Deno a broken bundle exits 2 naming both missing variables', async () => {
    const { code, stdout } = await run(DENO, [
      'run',
      '-A',
      '--cached-only',
      'npm:camunda-edge-auth',
      'check',
      join(FIXTURES, 'broken-missing-secret.txt'),
    ])
    expect(code).toBe(2)
    expect(stdout).toContain('ZEEBE_CLIENT_SECRET: is missing')
    expect(stdout).toContain('ZEEBE_AUTHORIZATION_SERVER_URL: is missing')
  })
})

/**
 * The examples are part of the product: the README's offline quick start is the file
 * examples/node/quickstart.ts, verbatim, and both it and the `npm start` demo run to a clean exit;
 * `npm run example:tool` prints the inbox's URL on a line of its own and serves it.
 */
import { execFile, spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = new URL('../../', import.meta.url)
const tsx = (file: string) =>
  run(process.execPath, ['--import', 'tsx', file], {
    cwd: root.pathname,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'examples/tsconfig.json' },
    timeout: 30_000,
  })

describe('examples', () => {
  it('the README shows examples/node/quickstart.ts verbatim', async () => {
    const [readme, quickstart] = await Promise.all([
      readFile(new URL('README.md', root), 'utf8'),
      readFile(new URL('examples/node/quickstart.ts', root), 'utf8'),
    ])
    expect(readme).toContain(quickstart.trim())
  })

  it('the quick start gets a topology and one token for 100 callers', async () => {
    const { stdout } = await tsx('examples/node/quickstart.ts')
    expect(stdout).toMatch(/^200 \{/)
    expect(stdout).toContain('1 token, 1 request for 100 callers')
    expect(stdout).toMatch(/\/operate\/v1\/process-instances\/2251799813685249$/m)
  })

  it('npm start (the demo) shows every step and exits 0 within 30 s', async () => {
    const { stdout } = await tsx('examples/node/demo.ts')
    expect(stdout).toMatch(/4\. Cache hit: cache_hit .* token requests still 2/)
    expect(stdout).toMatch(/5\. 100 concurrent getToken\('tasklist'\): 1 distinct token, 1 token request/)
    expect(stdout).toMatch(/calls that waited on the network after the first: 0/)
    expect(stdout).toMatch(/7\. auth\.fetch\('zeebe', '\/v2\/topology'\) → 200/)
    expect(stdout).not.toContain('dev-secret')
  }, 40_000)

  it('npm run example:tool prints the page URL on a line of its own, serves the page there, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/internal-tool/serve.ts'], {
      cwd: root.pathname,
      env: { ...process.env, PORT: '0', TSX_TSCONFIG_PATH: 'examples/tsconfig.json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      const deadline = Date.now() + 45_000
      let url: string | undefined
      while (!url && Date.now() < deadline) {
        url = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output)?.[1]
        if (!url) await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(url, output).toBeDefined()
      const page = await fetch(url!)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<title>Task inbox')
      expect(output).toContain('team key dev-team-key')
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
    expect(output).toMatch(/token requests for zeebe\.camunda\.io: 0; API requests: 0/)
  }, 60_000)
})

/**
 * The examples are part of the product: the README's offline quick start is the file
 * examples/node/quickstart.ts, verbatim, and both it and the `npm start` demo run to a clean exit.
 */
import { execFile } from 'node:child_process'
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
})

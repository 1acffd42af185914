/**
 * The README's offline quick start, run against the package as users get it: the packed tarball
 * installed into an empty project (test/package/global-setup.ts). examples/node/quickstart.ts is the
 * README's text verbatim and plain JavaScript, so it is saved as quickstart.mjs and run with node.
 */
import { execFile } from 'node:child_process'
import { copyFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, inject, it } from 'vitest'

const run = promisify(execFile)
const project = inject('packedProject')

describe('the packed package', () => {
  it('ships dist/ with every entry the exports map names', async () => {
    const dist = join(project, 'node_modules/camunda-edge-auth/dist')
    const files = await readdir(dist)
    for (const entry of ['index', 'browser', 'workers', 'deno', 'dev-server', 'dev-server-node']) {
      expect(files).toContain(`${entry}.js`)
      expect(files).toContain(`${entry}.d.ts`)
    }
  })

  it('runs the README quick start as quickstart.mjs: a topology, and one token for 100 callers', async () => {
    const script = join(project, 'quickstart.mjs')
    await copyFile(new URL('../../examples/node/quickstart.ts', import.meta.url), script)
    const { stdout } = await run(process.execPath, [script], { cwd: project, timeout: 30_000 })
    expect(stdout).toMatch(/^200 \{/)
    expect(stdout).toContain('1 token, 1 request for 100 callers')
    expect(stdout).toMatch(/\/operate\/v1\/process-instances\/2251799813685249$/m)
  })
})

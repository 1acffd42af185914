/**
 * camunda-edge-auth/node's fileStore under Deno (its `node:` modules): a script run 5 times in a
 * row, each a fresh `deno run`, makes one token request; its files are 0600 in a 0700 folder;
 * without `--allow-sys=uid` the folder's owner cannot be checked, so the store degrades, saying so.
 */

import { assert } from 'chai'
import { deno } from './deno-command.ts'
import { serveDevServer } from './dev-server.ts'

const ROOT = new URL('../../', import.meta.url)
const SCRIPT = 'test/deno/file-store-script.ts'
async function runScript(dir: string, env: Record<string, string>, sys = true): Promise<string[]> {
  const permissions = ['--allow-net=127.0.0.1', '--allow-env', '--allow-read', `--allow-write=${dir}`, ...(sys ? ['--allow-sys=uid'] : [])]
  const { code, stdout, stderr } = await deno(['run', '--no-prompt', ...permissions, SCRIPT, dir], env)
  assert.strictEqual(code, 0, `exit code (stderr: ${stderr})`)
  return stdout.trim().split('\n')
}

async function scratch(): Promise<string> {
  const base = decodeURIComponent(new URL('.tmp/', ROOT).pathname)
  await Deno.mkdir(base, { recursive: true })
  return `${await Deno.makeTempDir({ dir: base, prefix: 'deno-file-store-' })}/tokens`
}

Deno.test('under Deno, a script run 5 times in a row with fileStore makes 1 token request; files 0600 in a 0700 folder', async () => {
  await using dev = serveDevServer({ rateLimit: false })
  const dir = await scratch()
  try {
    const tokens: string[] = []
    for (let run = 0; run < 5; run++) {
      const [token, ...problems] = await runScript(dir, dev.env())
      assert.deepEqual(problems, [])
      tokens.push(token!)
    }
    assert.strictEqual(new Set(tokens).size, 1)
    assert.strictEqual(dev.server.requests(), 1)
    assert.strictEqual((await Deno.stat(dir)).mode! & 0o777, 0o700)
    const files = await Array.fromAsync(Deno.readDir(dir))
    assert.strictEqual(files.length, 1)
    assert.match(files[0]!.name, /^camunda-edge-auth_v2_[0-9a-f]{64}\.json$/)
    assert.strictEqual((await Deno.stat(`${dir}/${files[0]!.name}`)).mode! & 0o777, 0o600)
    assert.notInclude(await Deno.readTextFile(`${dir}/${files[0]!.name}`), tokens[0]!)
  } finally {
    await Deno.remove(dir.replace(/\/tokens$/, ''), { recursive: true })
  }
})

Deno.test('under Deno without --allow-sys=uid the folder owner cannot be checked: store_error naming the flag, the token still served', async () => {
  await using dev = serveDevServer({ rateLimit: false })
  const dir = await scratch()
  try {
    const [token, ...problems] = await runScript(dir, dev.env(), false)
    assert.match(token!, /^eyJ/)
    assert.isTrue(
      problems.some((p) => p.startsWith('store_error') && p.includes('--allow-sys')),
      problems.join('\n'),
    )
    assert.strictEqual(dev.server.requests(), 1)
  } finally {
    await Deno.remove(dir.replace(/\/tokens$/, ''), { recursive: true })
  }
})

/**
 * What only Deno itself can show: its own `navigator.locks` serialising two auth objects, with
 * Deno's `fetch` to the dev server on loopback, and a script that never calls `close()` still
 * exiting. The core behaviours run here too, from the shared suite (test/behaviour/suite.deno.test.ts).
 */

import { assert } from 'chai'
import { memoryStore } from '../../src/index.ts'
import { webLocksCoordinator } from '../../src/browser/web-locks.ts'
import { serveDevServer } from './dev-server.ts'

Deno.test("two auth objects sharing a store send one token request under Deno's navigator.locks", async () => {
  assert('locks' in navigator, 'Deno provides navigator.locks')
  await using dev = serveDevServer()
  const store = memoryStore()
  // Given explicitly: the default in Deno is in-process, since an open BroadcastChannel would keep a
  // script from exiting.
  const a = dev.auth({ store, coordinator: webLocksCoordinator() })
  const b = dev.auth({ store, coordinator: webLocksCoordinator() })
  const [tokenA, tokenB] = await Promise.all([a.getToken('tasklist'), b.getToken('tasklist')])
  assert.strictEqual(tokenB, tokenA)
  assert.strictEqual(dev.server.requests(), 1)
  a.close()
  b.close()
})

Deno.test('a script that never calls close() still exits: the default coordinator holds nothing open', async () => {
  const script = `
    import { createAuth, parseCredentials } from '${new URL('../../src/index.ts', import.meta.url).href}'
    import { createDevAuthServer, devCredentials } from '${new URL('../../src/dev-server.ts', import.meta.url).href}'
    const server = createDevAuthServer()
    const auth = createAuth({ credentials: parseCredentials(devCredentials('http://127.0.0.1')), fetch: server.fetch })
    console.log((await auth.getToken()).slice(0, 3))
  `
  const child = new Deno.Command(Deno.execPath(), { args: ['eval', '--no-lock', script], stdout: 'piped', stderr: 'piped' }).spawn()
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  const { code, stdout, stderr } = await child.output()
  clearTimeout(timer)
  assert.strictEqual(new TextDecoder().decode(stdout).trim(), 'eyJ', new TextDecoder().decode(stderr))
  assert.strictEqual(code, 0, 'the script exited by itself')
})

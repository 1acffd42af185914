import { fileURLToPath } from 'node:url'
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { loadFixtures } from '../behaviour/case.ts'
import { readFixture } from '../credentials/fixtures.ts'

// The Workers adapters run inside workerd. `worker.ts` is the main module: it exports the
// TokenLockObject Durable Object and a handler that gets tokens through createAuth. Bindings:
// KV namespace `TOKENS`, Durable Object namespace `TOKEN_LOCK` (class TokenLockObject).
// workerd reads no files: the behaviour suite's fixtures are read here and handed in with `provide`.
export default defineConfig({
  plugins: [
    cloudflareTest({
      main: fileURLToPath(new URL('./worker.ts', import.meta.url)),
      miniflare: {
        compatibilityDate: '2026-03-01',
        kvNamespaces: ['TOKENS'],
        durableObjects: { TOKEN_LOCK: 'TokenLockObject' },
      },
    }),
  ],
  test: {
    name: 'workers',
    // Every test named *.workerd.test.ts, wherever its concept folder is, runs inside workerd.
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/**/*.workerd.test.ts'],
    provide: { behaviourFixtures: await loadFixtures(readFixture) },
  },
})

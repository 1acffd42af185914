import { defineConfig } from 'vitest/config'

// Two projects: Node (unit, integration, real Chromium, reliability) and workerd (the Workers
// adapters, run inside the Workers runtime by @cloudflare/vitest-pool-workers). Deno tests
// (test/deno/ and *.deno.test.ts) run under the Deno binary itself: `npm run test:deno`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.workerd.test.ts', 'test/**/*.deno.test.ts', 'test/deno/**', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
          typecheck: {
            enabled: true,
            include: ['test/**/*.test-d.ts'],
            tsconfig: './test/tsconfig.json',
          },
        },
      },
      './test/workerd/vitest.config.ts',
    ],
  },
})

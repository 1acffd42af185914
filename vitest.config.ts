import { defineConfig } from 'vitest/config'

// Three projects: Node (unit, integration, real Chromium, reliability), package (the packed
// tarball installed into an empty project once per run by its globalSetup: quick start, sizes,
// boundaries, surface) and workerd (the Workers adapters, run inside the Workers runtime by
// @cloudflare/vitest-pool-workers). Deno tests (test/deno/ and *.deno.test.ts) run under the Deno
// binary itself: `npm run test:deno`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.workerd.test.ts', 'test/**/*.deno.test.ts', 'test/deno/**', 'test/package/**', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
          typecheck: {
            enabled: true,
            include: ['test/**/*.test-d.ts'],
            tsconfig: './test/tsconfig.json',
          },
        },
      },
      {
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          environment: 'node',
          // Runs only when a package test is selected: `npm pack` (which builds dist/) and one install.
          globalSetup: ['test/package/global-setup.ts'],
          testTimeout: 60_000,
        },
      },
      './test/workerd/vitest.config.ts',
    ],
  },
})

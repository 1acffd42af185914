import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [
    cloudflareTest({
      miniflare: {
        compatibilityDate: '2026-03-01',
        kvNamespaces: ['TOKENS'],
      },
    }),
  ],
  test: {
    name: 'workers',
    include: ['**/*.test.ts'],
  },
})

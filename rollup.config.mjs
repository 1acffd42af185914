// One ESM file and one .d.ts per source module, at the module's own path under dist/
// (src/auth/create-auth.ts → dist/auth/create-auth.js and .d.ts), no hashes, no shared chunks.
// With `sideEffects: false` a user's bundler then drops every module the app does not import:
// zod, used only by credentials/schema.js, stays out of a bundle that never parses credentials.
// jose, zod and idb-keyval stay external: they are dependencies, and the user's bundler dedupes them.
import esbuild from 'rollup-plugin-esbuild'
import { dts } from 'rollup-plugin-dts'
import { rmSync } from 'node:fs'

// A clean dist/ each build: `prepack` runs this, and a file left over from an older layout would be packed.
rmSync('dist', { recursive: true, force: true })

const input = {
  index: 'src/index.ts',
  browser: 'src/browser.ts',
  workers: 'src/workers.ts',
  deno: 'src/deno.ts',
  'dev-server': 'src/dev-server.ts',
  'dev-server-node': 'src/dev-server-node.ts',
  redis: 'src/redis.ts',
  node: 'src/node.ts',
}
// The `camunda-edge-auth` bin: built beside the entries, but no subpath of `exports`, so it adds
// nothing to what an app imports. No .d.ts: nothing imports it.
const bin = { 'cli-node': 'src/cli-node.ts' }
const external = (id) => /^(jose|zod|idb-keyval)(\/|$)/.test(id) || id.startsWith('node:') || id.startsWith('cloudflare:')
const output = (extension) => ({
  dir: 'dist',
  format: 'esm',
  preserveModules: true,
  preserveModulesRoot: 'src',
  entryFileNames: `[name]${extension}`,
})

export default [
  {
    input: { ...input, ...bin },
    external,
    plugins: [esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' })],
    output: { ...output('.js'), banner: (chunk) => (chunk.name === 'cli-node' ? '#!/usr/bin/env node' : '') },
  },
  {
    input,
    external,
    plugins: [dts({ tsconfig: 'tsconfig.json', compilerOptions: { types: ['node'] } })],
    output: output('.d.ts'),
  },
]

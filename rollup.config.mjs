// One ESM file per entry (shared code split into chunks) and one bundled .d.ts per entry.
// jose and zod stay external: they are dependencies, and the user's bundler dedupes them.
import esbuild from 'rollup-plugin-esbuild'
import { dts } from 'rollup-plugin-dts'
import { rmSync } from 'node:fs'

const input = {
  index: 'src/index.ts',
  browser: 'src/browser.ts',
  workers: 'src/workers.ts',
  deno: 'src/deno.ts',
  'dev-server': 'src/dev-server.ts',
  'dev-server-node': 'src/dev-server-node.ts',
}
// A clean dist/ each build: `prepack` runs this, and a file left over from an older layout would be packed.
rmSync('dist', { recursive: true, force: true })

const external = (id) => /^(jose|zod|idb-keyval)(\/|$)/.test(id) || id.startsWith('node:') || id.startsWith('cloudflare:')

export default [
  {
    input,
    external,
    plugins: [esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' })],
    output: { dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  },
  {
    input,
    external,
    plugins: [dts({ tsconfig: 'tsconfig.json', compilerOptions: { types: ['node'] } })],
    output: { dir: 'dist', format: 'esm', entryFileNames: '[name].d.ts', chunkFileNames: 'chunks/[name]-[hash].d.ts' },
  },
]

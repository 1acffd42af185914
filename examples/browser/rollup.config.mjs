// Bundles the browser example (main.ts) into dist/app.js, with jose, zod and idb-keyval included.
// `camunda-edge-auth` and `camunda-edge-auth/browser` resolve to the package's TypeScript source,
// so the example builds on a fresh clone before `npm run build` has made dist/. In your own app
// drop `sourceAliases`: the package's exports resolve on their own.
//
//   npx rollup -c examples/browser/rollup.config.mjs
import { fileURLToPath } from 'node:url'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import esbuild from 'rollup-plugin-esbuild'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

const ALIASES = {
  'camunda-edge-auth': here('../../src/index.ts'),
  'camunda-edge-auth/browser': here('../../src/browser.ts'),
}

/** Resolves the package's own name to its source. */
const sourceAliases = {
  name: 'camunda-edge-auth-source',
  resolveId: (id) => ALIASES[id] ?? null,
}

/** zod's sources trip two harmless rollup warnings (comment placement, an internal cycle); keep the rest. */
const QUIET_IN_DEPENDENCIES = new Set(['INVALID_ANNOTATION', 'CIRCULAR_DEPENDENCY'])

export default {
  input: here('./main.ts'),
  onwarn(warning, warn) {
    const inDependency = [warning.id, ...(warning.ids ?? [])].some((id) => id?.includes('/node_modules/'))
    if (!(inDependency && QUIET_IN_DEPENDENCIES.has(warning.code))) warn(warning)
  },
  plugins: [sourceAliases, nodeResolve({ browser: true }), esbuild({ target: 'es2022', tsconfig: here('../../tsconfig.json') })],
  // One file for the page: camunda-edge-auth loads private_key_jwt's signing code with import(),
  // which rollup would otherwise put in a chunk of its own (and refuse with output.file).
  output: { file: here('./dist/app.js'), format: 'esm', sourcemap: true, inlineDynamicImports: true },
}

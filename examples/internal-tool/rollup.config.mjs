// Builds the inbox page into page/dist/: app.js (main.ts with the one helper it imports from the
// package, createUrls), plus index.html and app.css as they are. The Worker serves that directory
// (wrangler.jsonc `assets`). `camunda-edge-auth` resolves to the package's TypeScript source, so
// the example builds on a fresh clone; in your own app drop `sourceAliases`.
//
//   npx rollup -c examples/internal-tool/rollup.config.mjs
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import esbuild from 'rollup-plugin-esbuild'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

/** Resolves the package's own name to its source. */
const sourceAliases = {
  name: 'camunda-edge-auth-source',
  resolveId: (id) => (id === 'camunda-edge-auth' ? here('../../src/index.ts') : null),
}

/** Puts the page's static files next to the bundle. */
const staticFiles = {
  name: 'page-files',
  generateBundle() {
    for (const fileName of ['index.html', 'app.css']) {
      this.emitFile({ type: 'asset', fileName, source: readFileSync(here(`./page/${fileName}`), 'utf8') })
    }
  },
}

const source = here('../../src/')

export default {
  input: here('./page/main.ts'),
  // zod's sources (parsed, then dropped: createUrls does not use zod) trip two harmless warnings.
  onwarn(warning, warn) {
    const inDependency = [warning.id, ...(warning.ids ?? [])].some((id) => id?.includes('/node_modules/'))
    if (!(inDependency && ['INVALID_ANNOTATION', 'CIRCULAR_DEPENDENCY'].includes(warning.code))) warn(warning)
  },
  // The package says `"sideEffects": false`; its sources, reached through the alias, are the same
  // modules, so the page keeps only createUrls and what it imports.
  treeshake: { moduleSideEffects: (id) => !id.startsWith(source) },
  plugins: [
    sourceAliases,
    nodeResolve({ browser: true }),
    esbuild({ target: 'es2022', tsconfig: here('../../tsconfig.json') }),
    staticFiles,
  ],
  output: { dir: here('./page/dist'), entryFileNames: 'app.js', format: 'esm', sourcemap: false, plugins: [terser()] },
}

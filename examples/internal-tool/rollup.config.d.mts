// Types of rollup.config.mjs, for start.ts.
import type { OutputOptions, RollupOptions } from 'rollup'

declare const config: RollupOptions & { output: OutputOptions & { dir: string } }
export default config

// Types of rollup.config.mjs, for serve.ts.
import type { OutputOptions, RollupOptions } from 'rollup'

declare const config: RollupOptions & { output: OutputOptions & { file: string } }
export default config

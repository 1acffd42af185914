/**
 * `npx tsx bench/sizes.ts`: W5 alone, the packed-package sizes in both bundlers, without the
 * timing workloads. What a change to src/ costs, in the numbers the budgets use (what loads up
 * front), with what a dynamic import loads later after a `+`.
 */
import { BUNDLERS, measureBundle, SIZE_CASES } from './bundle-size.ts'
import { installPackedPackage } from './packed-package.ts'

const project = await installPackedPackage()
try {
  for (const bundler of BUNDLERS) {
    for (const sizeCase of SIZE_CASES) {
      const { gzip, lazyGzip } = await measureBundle(project.dir, sizeCase, bundler)
      const lazy = lazyGzip > 0 ? `  + ${lazyGzip} lazy` : ''
      console.log(`${bundler.padEnd(8)} ${sizeCase.name.padEnd(36)} ${String(gzip).padStart(7)}${lazy}`)
    }
  }
} finally {
  await project.remove()
}

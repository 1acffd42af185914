/**
 * `npx tsx bench/sizes.ts`: W5 alone, the packed-package sizes in both bundlers, without the
 * timing workloads. What a change to src/ costs, in the numbers the budgets use.
 */
import { BUNDLERS, measureBundle, SIZE_CASES } from './bundle-size.ts'
import { installPackedPackage } from './packed-package.ts'

const project = await installPackedPackage()
try {
  for (const bundler of BUNDLERS) {
    for (const sizeCase of SIZE_CASES) {
      const { gzip } = await measureBundle(project.dir, sizeCase, bundler)
      console.log(`${bundler.padEnd(8)} ${sizeCase.name.padEnd(36)} ${String(gzip).padStart(7)}`)
    }
  }
} finally {
  await project.remove()
}

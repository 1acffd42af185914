/**
 * One `npm pack` + `npm install <tarball>` per test run, shared by every file in test/package
 * (the packed quick start, the size budgets, the boundaries, the surface). Each reads the
 * project's directory with `inject('packedProject')`.
 */
import type { TestProject } from 'vitest/node'
import { installPackedPackage } from '../../bench/packed-package.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A temp project with the packed tarball installed: `node_modules/camunda-edge-auth`. */
    packedProject: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const packed = await installPackedPackage()
  project.provide('packedProject', packed.dir)
  return () => packed.remove()
}

/**
 * What the numbers were measured on: they only mean something next to this.
 * @module
 */

import { cpus, totalmem, type as osType, release } from 'node:os'

/**
 * A description of the machine and runtime.
 *
 * @example
 * ```ts
 * const info = machineInfo() // { node: 'v20.…', cpu: 'AMD EPYC …', cores: 2, … }
 * ```
 */
export function machineInfo() {
  const cpu = cpus()
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    os: `${osType()} ${release()}`,
    arch: process.arch,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  }
}

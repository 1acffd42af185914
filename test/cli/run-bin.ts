/**
 * The `camunda-edge-auth` bin as a child process: `node src/cli-node.ts` through tsx (the same
 * source rollup builds into dist/cli-node.js; test/package/cli.test.ts runs the packed bin itself),
 * with an environment made of only what a test hands in, so the runner's own variables never mix in.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'src/cli-node.ts')

/** What the bin printed, and its exit code. */
export interface BinResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Run the bin with `args` (after the program name) and exactly `env` (plus PATH and HOME). */
export function runBin(
  args: readonly string[],
  env: Record<string, string> = {},
  command: readonly string[] = [process.execPath, '--import', 'tsx', BIN],
): Promise<BinResult> {
  return new Promise((resolve) => {
    execFile(
      command[0]!,
      [...command.slice(1), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1
        resolve({ code, stdout, stderr })
      },
    )
  })
}

/** A bundle written as a `.env` file in a temp directory, and its removal. */
export async function bundleFile(
  values: Record<string, string>,
  name = 'bundle.env',
): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'camunda-edge-auth-check-'))
  const path = join(dir, name)
  await writeFile(
    path,
    `${Object.entries(values)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n')}\n`,
  )
  return { path, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** The path of a shared fixture. */
export function fixturePath(name: string): string {
  return join(ROOT, '../shared/fixtures', name)
}

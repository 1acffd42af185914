/**
 * Running the same Deno binary as a child process, the way a user runs a script: a clean
 * environment (only what Deno needs to find its cache), no stdin, output collected, killed after
 * 60 s so a child that hangs fails its test instead of the run.
 * @module
 */

const ROOT = new URL('../../', import.meta.url)
/** Variables the child needs to find Deno's cache; everything else, and any ambient bundle, is left out. */
const PASSTHROUGH = ['DENO_DIR', 'HOME', 'PATH', 'TMPDIR', 'XDG_CACHE_HOME']

/** What a child left: its exit code and its output. */
export interface Outcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** `deno <args>` in the repository root, with `env` on top of the passthrough variables. */
export async function deno(args: readonly string[], env: Record<string, string> = {}): Promise<Outcome> {
  const inherited = Object.fromEntries(
    PASSTHROUGH.flatMap((name) => {
      const value = Deno.env.get(name)
      return value === undefined ? [] : [[name, value]]
    }),
  )
  // A child that hangs (an example that never exits) is killed, and the test fails on its exit code.
  const killer = new AbortController()
  const timer = setTimeout(() => killer.abort(), 60_000)
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [...args],
    signal: killer.signal,
    cwd: ROOT,
    clearEnv: true,
    env: { ...inherited, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', ...env },
    stdin: 'null',
    stdout: 'piped',
    stderr: 'piped',
  })
    .output()
    .finally(() => clearTimeout(timer))
  const decoder = new TextDecoder()
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) }
}

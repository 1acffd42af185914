/**
 * The command line of `camunda-edge-auth`: arguments in, a report on stdout, an exit code out.
 * The runtime's file reading, environment, `fetch` and output are handed in (`src/cli-node.ts`
 * hands in Node's), so this file uses web APIs only.
 * @module
 */

import { type CheckDeps, runCheck } from './check.ts'
import { renderReport } from './render.ts'

/** What the command line reaches the runtime through. */
export interface CliIo extends CheckDeps {
  /** The arguments after the program name, e.g. `['check', './credentials.txt', '--json']`. */
  readonly args: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
  readonly readText: (path: string) => Promise<string>
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

/** The usage text of `--help`. */
export const USAGE = `Usage: camunda-edge-auth check [FILE] [--json] [--no-network] [--env]

Reads a Camunda 8 credential bundle as parseCredentials does and says what it understood, then asks
for one token per distinct audience/scope and makes one cheap call per API, and says what to change,
by variable name, for whatever failed. Secrets and tokens are never printed.

  FILE          the Console's download (export KEY='value'), a .env file or a JSON file;
                without FILE, the environment is checked
  --json        print one JSON document with the same findings
  --no-network  stop after reading the bundle: no token request, no API call
  --env         with FILE: variables set in the environment win over the file's (to point a
                downloaded file at a test server); without --env the environment is not read
  --help        this text

Exit codes: 0 everything checked works; 1 a check failed; 2 usage error, FILE unreadable,
or the bundle cannot be parsed.
`

interface Options {
  readonly file?: string
  readonly json: boolean
  readonly network: boolean
  readonly env: boolean
  readonly help: boolean
}

// Small enough to parse by hand, and node:util's parseArgs would make this file Node-only.
function parseArgs(args: readonly string[]): Options | string {
  const [command, ...rest] = args
  if (command === '--help' || command === '-h') return { json: false, network: true, env: false, help: true }
  if (command !== 'check') return command === undefined ? 'no command given' : `unknown command "${command}"`
  let file: string | undefined
  const flags = { json: false, network: true, env: false, help: false }
  let positional = false
  for (const arg of rest) {
    if (!positional && arg === '--') positional = true
    else if (!positional && arg.startsWith('-') && arg !== '-') {
      if (arg === '--json') flags.json = true
      else if (arg === '--no-network') flags.network = false
      else if (arg === '--env') flags.env = true
      else if (arg === '--help' || arg === '-h') flags.help = true
      else return `unknown option "${arg}"`
    } else if (file === undefined) file = arg
    else return `one FILE only (got "${file}" and "${arg}")`
  }
  return { ...flags, ...(file !== undefined && { file }) }
}

/** Run the command line; resolves to the exit code. */
export async function runCli(io: CliIo): Promise<number> {
  const options = parseArgs(io.args)
  if (typeof options === 'string') {
    io.stderr(`camunda-edge-auth: ${options}\n\n${USAGE}`)
    return 2
  }
  if (options.help) {
    io.stdout(USAGE)
    return 0
  }
  let source: string | Readonly<Record<string, string | undefined>> = io.env
  if (options.file !== undefined) {
    try {
      source = await io.readText(options.file)
    } catch (err) {
      // Node's message names the path and the reason (ENOENT, EACCES); it holds nothing else.
      const reason = err instanceof Error ? err.message : String(err)
      return usageFailure(io, options.json, `cannot read ${options.file}: ${reason}`)
    }
  } else if (options.env) {
    return usageFailure(io, options.json, '--env needs a FILE: without one the environment is what is checked')
  }
  const report = await runCheck(
    {
      source,
      ...(options.file !== undefined && options.env && { overrides: io.env }),
      from: options.file ?? 'the environment',
      network: options.network,
    },
    io,
  )
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report))
  return report.exitCode
}

function usageFailure(io: CliIo, json: boolean, message: string): number {
  if (json) io.stdout(`${JSON.stringify({ exitCode: 2, ok: false, problems: [{ message }] }, null, 2)}\n`)
  else io.stderr(`camunda-edge-auth: ${message}\n`)
  return 2
}

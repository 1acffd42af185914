/**
 * How much memory workerd needs to pass one large streamed upload through the API proxy, against
 * a Worker that forwards it with a plain `fetch` (issue "Hardening", item 6). A benchmark, not a
 * test: it is not part of `npm test`.
 *
 *   npx tsx bench/upload-memory.ts [--mib 96] [--runs 3] [--chunked]
 *
 * For each case and run it starts a fresh workerd through Miniflare with the Worker in
 * `bench/upload-memory-worker.ts` (bundled from `src/` with esbuild), warms it up with a 64 KiB
 * POST (the token is fetched from the dev server then), resets the process's peak RSS
 * (`/proc/<pid>/clear_refs`), streams the upload from this process straight to workerd's socket,
 * and reads VmHWM from `/proc/<pid>/status` (VmRSS is also sampled every 5 ms, as a check).
 * The upstream is a Node HTTP server on loopback that drains and counts the body. Linux only.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { devCredentials } from '../src/dev-server.ts'
import { listenDevAuthServer } from '../src/dev-server-node.ts'

const { values: args } = parseArgs({
  options: { mib: { type: 'string', default: '96' }, runs: { type: 'string', default: '3' }, chunked: { type: 'boolean', default: false } },
})
const UPLOAD_BYTES = Number(args.mib) * 1024 * 1024
const RUNS = Number(args.runs)
const CHUNK = Buffer.alloc(1024 * 1024, 0x61)

const CASES = [
  { name: 'direct fetch', path: '/direct/upload' },
  { name: 'createCamundaProxy + createAuth', path: '/zeebe/v2/upload' },
  { name: 'createCamundaProxy, auth.fetch without clone (reference)', path: '/noclone/zeebe/v2/upload' },
] as const

/** The upstream: drains each body and answers with the byte count. */
async function listenUpstream() {
  const received: number[] = []
  const server = createServer((req, res) => {
    let bytes = 0
    req.on('data', (chunk: Buffer) => (bytes += chunk.length))
    req.on('end', () => {
      received.push(bytes)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** The workerd process Miniflare spawned: a child of this process named workerd. */
function workerdPids(): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (comm === 'workerd' && ppid === process.pid) pids.push(Number(entry))
    } catch {
      // The process ended while we looked.
    }
  }
  return pids
}

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`)
  return Number(match[1])
}

/** Streams `bytes` to `url` with backpressure; resolves with the answer's status and body. */
function upload(url: string, bytes: number, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' }
    if (!chunked) headers['content-length'] = String(bytes)
    const req = httpRequest(url, { method: 'POST', headers }, (res: IncomingMessage) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    void (async () => {
      for (let sent = 0; sent < bytes; sent += CHUNK.length) {
        const piece = bytes - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, bytes - sent)
        if (!req.write(piece)) await new Promise((resume) => req.once('drain', resume))
      }
      req.end()
    })().catch(reject)
  })
}

interface Measurement {
  readonly baselineMiB: number
  readonly peakMiB: number
  readonly sampledPeakMiB: number
  readonly seconds: number
}

async function measure(script: string, bindings: Record<string, string>, path: string): Promise<Measurement> {
  const before = new Set(workerdPids())
  const mf = new Miniflare({ modules: true, script, compatibilityDate: '2026-03-01', bindings })
  try {
    const base = (await mf.ready).href.replace(/\/$/, '')
    const pid = workerdPids().find((candidate) => !before.has(candidate))
    if (pid === undefined) throw new Error('no workerd child process found')
    const warm = await upload(`${base}${path}`, 64 * 1024, args.chunked)
    if (warm.status !== 200) throw new Error(`warm-up answered ${warm.status}: ${warm.body}`)
    // Drops the peak to the current RSS, so VmHWM is the upload's own peak.
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    const baseline = statusKiB(pid, 'VmRSS')
    let sampled = baseline
    const sampler = setInterval(() => (sampled = Math.max(sampled, statusKiB(pid, 'VmRSS'))), 5)
    const started = performance.now()
    const answer = await upload(`${base}${path}`, UPLOAD_BYTES, args.chunked)
    const seconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    const peak = statusKiB(pid, 'VmHWM')
    if (answer.status !== 200 || (JSON.parse(answer.body) as { bytes: number }).bytes !== UPLOAD_BYTES) {
      throw new Error(`upload answered ${answer.status}: ${answer.body.slice(0, 200)}`)
    }
    return { baselineMiB: baseline / 1024, peakMiB: peak / 1024, sampledPeakMiB: Math.max(sampled, peak) / 1024, seconds }
  } finally {
    await mf.dispose()
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const fixed = (value: number) => value.toFixed(1)

async function main(): Promise<void> {
  const { outputFiles } = await build({
    entryPoints: [fileURLToPath(new URL('./upload-memory-worker.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
  })
  const script = outputFiles[0]!.text
  const dev = await listenDevAuthServer({ rateLimit: false })
  const upstream = await listenUpstream()
  try {
    const credentials = { ...devCredentials(dev.url), ZEEBE_REST_ADDRESS: `${upstream.url}/zeebe` }
    const bindings = { CREDENTIALS: JSON.stringify(credentials), UPSTREAM: upstream.url }
    console.log(
      `upload: ${args.mib} MiB ${args.chunked ? 'chunked' : 'with Content-Length'}, ${RUNS} runs per case, fresh workerd per run; Node ${process.version}`,
    )
    console.log('| case | baseline RSS | peak RSS (VmHWM or sampled VmRSS) | peak − baseline (median) | runs (peak − baseline) | s/run |')
    console.log('| --- | ---: | ---: | ---: | --- | ---: |')
    for (const { name, path } of CASES) {
      const runs: Measurement[] = []
      for (let i = 0; i < RUNS; i++) runs.push(await measure(script, bindings, path))
      const deltas = runs.map((run) => run.sampledPeakMiB - run.baselineMiB)
      console.log(
        `| ${name} | ${fixed(median(runs.map((r) => r.baselineMiB)))} MiB | ${fixed(median(runs.map((r) => r.sampledPeakMiB)))} MiB | ` +
          `**${fixed(median(deltas))} MiB** | ${deltas.map(fixed).join(', ')} | ${median(runs.map((r) => r.seconds)).toFixed(2)} |`,
      )
    }
    console.log(`token requests to the dev server: ${dev.server.requests()} (one per proxied run, at warm-up)`)
  } finally {
    await upstream.close()
    await dev.close()
  }
}

await main()

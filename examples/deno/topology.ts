/**
 * Ask a Camunda 8 cluster for its topology from Deno, with the credential bundle the Camunda
 * Console gives you.
 *
 *   # the bundle in the environment (ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET, …)
 *   deno run --allow-net --allow-env --allow-read examples/deno/topology.ts
 *
 *   # or the file the Console downloads
 *   deno run --allow-net --allow-env --allow-read examples/deno/topology.ts credentials.txt
 *
 * 'camunda-edge-auth' resolves through the import map in deno.json; in your own project,
 * `deno add npm:camunda-edge-auth` writes the same entry.
 */
import { AuthError, CredentialsError, createAuth, parseCredentials } from 'camunda-edge-auth'

const [file] = Deno.args
try {
  const credentials = parseCredentials(file ? await Deno.readTextFile(file) : Deno.env.toObject())
  const auth = createAuth({ credentials })
  try {
    const response = await auth.fetch('zeebe', '/v2/topology')
    if (!response.ok) throw new Error(`Zeebe answered ${response.status}: ${await response.text()}`)
    console.log(JSON.stringify(await response.json(), null, 2))
  } finally {
    auth.close()
  }
} catch (error) {
  if (error instanceof CredentialsError) for (const issue of error.issues) console.error(`${issue.variable} ${issue.message}`)
  else if (error instanceof AuthError) console.error(`${error.code}: ${error.message}`)
  else console.error(error instanceof Error ? error.message : error)
  Deno.exitCode = 1
}

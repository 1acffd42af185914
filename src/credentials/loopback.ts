/**
 * Which hosts count as loopback: the only hosts a client secret may be sent to over plain http.
 * @module
 */

// 127.0.0.0/8 in the dotted-quad form `URL` normalises every IPv4 spelling to (`127.1`, `0x7f.1`…).
const LOOPBACK_V4 = /^127\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){2}$/

/**
 * Whether `hostname` is a loopback host: `localhost`, an address in 127.0.0.0/8, or `[::1]`.
 *
 * Pass a `URL`'s `hostname` (already lower-cased and normalised). Names under `.localhost` are
 * deliberately not accepted: not every resolver maps them to loopback, and a secret sent over
 * plain http must never leave the machine.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return host === 'localhost' || host === '[::1]' || host === '::1' || LOOPBACK_V4.test(host)
}

/**
 * Where a webhook may point: a public https address. The worker posts to whatever an operator
 * types, so an address inside a network (cloud metadata at 169.254.169.254, 10.x, a router at
 * 192.168.x, this machine) would turn alerts into requests against it. The URL parser has
 * already turned decimal, octal and hex IPv4 forms (`http://2130706433/`, `0x7f.1`) and
 * IPv4-mapped IPv6 into their canonical text, so checking that text covers every spelling.
 * A public name that resolves to a private address cannot be seen from here; Workers' own
 * outbound network does not reach private ranges.
 */

/** Why a URL is refused, or null when it may be used. `allowLoopback`: local development's test receivers. */
export function webhookUrlProblem(given: string, allowLoopback: boolean): string | null {
  let url: URL
  try {
    url = new URL(given)
  } catch {
    return 'must be a URL'
  }
  if (url.username || url.password) return 'must not carry a user name or password'
  const host = url.hostname.replace(/\.$/, '').toLowerCase()
  const loopback = isLoopback(host)
  if (loopback && allowLoopback) return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'must be an http(s) URL'
  if (url.protocol !== 'https:') return 'must be an https URL'
  if (loopback) return 'must not point at this machine (localhost, 127.x, [::1])'
  if (isPrivateHost(host)) return 'must point at a public address, not a private, link-local or reserved one'
  return null
}

const isLoopback = (host: string): boolean => {
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  const v4 = ipv4(host)
  if (v4) return v4[0] === 127
  const v6 = ipv6(host)
  return v6 !== null && v6.every((part, index) => part === (index === 7 ? 1 : 0))
}

/** Names that never leave a local network: single labels (`metadata`, `router`) and reserved suffixes. */
const LOCAL_SUFFIXES = ['.local', '.internal', '.lan', '.home.arpa', '.localdomain', '.intranet', '.corp']

function isPrivateHost(host: string): boolean {
  const v4 = ipv4(host)
  if (v4) return isPrivateV4(v4)
  if (host.startsWith('[')) {
    const v6 = ipv6(host)
    return v6 === null || isPrivateV6(v6)
  }
  if (!host.includes('.')) return true
  return LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix))
}

const ipv4 = (host: string): number[] | null => {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (!match) return null
  const parts = match.slice(1).map(Number)
  return parts.every((part) => part <= 255) ? parts : null
}

/** IPv4 ranges that are not the public internet (RFC 6890 and friends). */
function isPrivateV4([a, b, c]: number[]): boolean {
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF protocol assignments, TEST-NET-1
    (a === 192 && b === 88 && c === 99) || // 6to4 relay
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) ||
    a! >= 224 // multicast, reserved, broadcast
  )
}

/** The eight 16-bit groups of a bracketed IPv6 literal as the URL parser writes it, or null. */
function ipv6(host: string): number[] | null {
  if (!host.startsWith('[') || !host.endsWith(']')) return null
  let body = host.slice(1, -1)
  // The parser writes an embedded IPv4 tail as hex already; keep a dotted one working too.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(body)
  if (dotted) {
    const v4 = ipv4(dotted[2]!)
    if (!v4) return null
    body = `${dotted[1]}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`
  }
  const [head, tail, extra] = body.split('::')
  if (extra !== undefined) return null
  const groups = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : [])
  const front = groups(head)
  const back = groups(tail)
  const missing = 8 - front.length - back.length
  if (tail === undefined ? missing !== 0 : missing < 1) return null
  const all = [...front, ...Array<number>(tail === undefined ? 0 : missing).fill(0), ...back]
  return all.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? all : null
}

function isPrivateV6(groups: number[]): boolean {
  const [g0, g1, , , , g5, g6, g7] = groups as [number, number, number, number, number, number, number, number]
  const embedded = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff]
  if (groups.slice(0, 6).every((group) => group === 0)) return true // ::, ::1, IPv4-compatible
  // IPv4-mapped (::ffff:a.b.c.d): a way to spell an IPv4 address, never a real webhook's host.
  if (groups.slice(0, 5).every((group) => group === 0) && g5 === 0xffff) return true
  if (g0 === 0x64 && g1 === 0xff9b) return isPrivateV4(embedded(g6, g7)) // NAT64
  if (g0 === 0x2002) return isPrivateV4(embedded(g1, groups[2]!)) // 6to4
  return (
    (g0 & 0xfe00) === 0xfc00 || // unique local
    (g0 & 0xffc0) === 0xfe80 || // link-local
    (g0 & 0xff00) === 0xff00 || // multicast
    (g0 === 0x2001 && g1 === 0x0db8) || // documentation
    (g0 === 0x2001 && g1 < 0x0200) // Teredo, benchmarking, ORCHID and other IETF assignments
  )
}

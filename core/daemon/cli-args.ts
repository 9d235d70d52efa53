/**
 * Command line of the headless daemon, parsed strictly: an unknown flag or a bad value is a
 * usage error (exit 2), never silently ignored, since a typo in `--api-host` could otherwise
 * expose the API on a different interface than the operator meant.
 */
import { parseArgs } from 'node:util'
import { parseBleSpec, type BleSpec } from '../net/ble/spec'

export const USAGE = `usage: npm run headless -- --data DIR [options]

  --data DIR             account directory (created with mode 0700); holds the database and key file
  --api-port N           port of the UI and the WebSocket API (default: 0, any free port)
  --api-host HOST        interface to bind (default: 127.0.0.1); anything but loopback exposes the API
  --listen MULTIADDR     libp2p listen address (repeatable); none turns every IP transport off
  --ble SPEC             Bluetooth LE: sim:PATH[#LABEL] (radio simulator: npm run ble-sim) or hw
  --bootstrap MULTIADDR  peer to dial at start (repeatable)
  --token-file F         API token file: read if present, else created (mode 0600) with a new token
  --serve-rendezvous     also be a rendezvous server (/rendezvous/1.0.0) for other peers
  --relay                also be a circuit relay v2 server (needs an address others can reach)
  --rendezvous MULTIADDR rendezvous server to register on and discover from, ending in /p2p/<id> (repeatable)
  --use-relay MULTIADDR  circuit relay to reserve a slot on (reachable behind NAT), ending in /p2p/<id> (repeatable)
  -h, --help             show this help

On start, prints one JSON line on stdout:
  {"event":"ready","api":"ws://…/api","token":"…","ui":"http://…/#token=…","peerId":"…","addrs":[…]}
Logs go to stderr.`

export interface CliOptions {
  dataDir: string
  apiPort: number
  apiHost: string
  /** True when --api-host was given: binding off loopback must be explicit. */
  apiHostExplicit: boolean
  listen: string[]
  /** `--listen none`: no TCP, WebSockets, relay or WebRTC; only `--ble`. */
  noIp?: boolean
  ble?: BleSpec
  bootstrap: string[]
  /** `--use-relay`: relays to reserve a slot on (added to the Network panel's relays). */
  relays: string[]
  tokenFile?: string
  /** Issue 10 reachability flags; absent when none was given. */
  reach?: CliReach
}

export interface CliReach {
  serveRendezvous: boolean
  relay: boolean
  rendezvous: string[]
}

export type CliParse = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'error'; message: string }

const HOST_RE = /^(?:[A-Za-z0-9.-]{1,253}|\[?[0-9A-Fa-f:.]{2,45}\]?)$/

export function parseCliArgs(argv: readonly string[]): CliParse {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        'api-port': { type: 'string' },
        'api-host': { type: 'string' },
        listen: { type: 'string', multiple: true },
        ble: { type: 'string' },
        bootstrap: { type: 'string', multiple: true },
        'token-file': { type: 'string' },
        'serve-rendezvous': { type: 'boolean' },
        relay: { type: 'boolean' },
        rendezvous: { type: 'string', multiple: true },
        'use-relay': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' }
      }
    }))
  } catch (err) {
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) }
  }
  if (values.help) return { kind: 'help' }
  if (!values.data) return { kind: 'error', message: '--data DIR is required' }

  let apiPort = 0
  if (values['api-port'] !== undefined) {
    const raw = values['api-port']
    apiPort = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN
    if (!(apiPort >= 0 && apiPort <= 65535)) return { kind: 'error', message: `--api-port: expected 0..65535, got ${JSON.stringify(raw)}` }
  }
  const apiHost = values['api-host'] ?? '127.0.0.1'
  if (!HOST_RE.test(apiHost)) return { kind: 'error', message: `--api-host: not a host name or IP address: ${JSON.stringify(apiHost)}` }

  let listen = values.listen ?? []
  const noIp = listen.includes('none')
  if (noIp && listen.length > 1) return { kind: 'error', message: '--listen none excludes other --listen addresses' }
  if (noIp) listen = []
  let ble: BleSpec | undefined
  if (values.ble !== undefined) {
    const parsed = parseBleSpec(values.ble)
    if (typeof parsed === 'string') return { kind: 'error', message: `--ble: ${parsed}` }
    ble = parsed
  }
  if (noIp && ble == null) return { kind: 'error', message: '--listen none needs --ble: a node with no transport cannot reach anyone' }
  const bootstrap = values.bootstrap ?? []
  for (const [flag, list] of [['--listen', listen], ['--bootstrap', bootstrap]] as const) {
    for (const addr of list) {
      if (!addr.startsWith('/')) return { kind: 'error', message: `${flag}: a multiaddr starts with /, got ${JSON.stringify(addr)}` }
    }
  }
  if (values['token-file'] === '') return { kind: 'error', message: '--token-file: empty path' }
  const rendezvous = values.rendezvous ?? []
  for (const addr of rendezvous) {
    if (!addr.startsWith('/') || !/\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/.test(addr)) {
      return { kind: 'error', message: `--rendezvous: a multiaddr ending in /p2p/<peer id>, got ${JSON.stringify(addr)}` }
    }
  }
  const relays = values['use-relay'] ?? []
  for (const addr of relays) {
    if (!addr.startsWith('/') || !/\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/.test(addr)) {
      return { kind: 'error', message: `--use-relay: a multiaddr ending in /p2p/<peer id>, got ${JSON.stringify(addr)}` }
    }
  }
  const wantsReach = values['serve-rendezvous'] === true || values.relay === true || rendezvous.length > 0

  return {
    kind: 'run',
    options: {
      dataDir: values.data,
      apiPort,
      apiHost,
      apiHostExplicit: values['api-host'] !== undefined,
      listen,
      ...(noIp ? { noIp: true } : {}),
      ...(ble != null ? { ble } : {}),
      bootstrap,
      relays,
      tokenFile: values['token-file'],
      ...(wantsReach ? { reach: { serveRendezvous: values['serve-rendezvous'] === true, relay: values.relay === true, rendezvous } } : {})
    }
  }
}

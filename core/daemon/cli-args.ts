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
  --link URL             link this node (no account yet) to an existing account: a device-link invitation
                         (https://berty.tech/id#device-link/… or BERTY://DL/…) made on the other device
  --accept-fingerprint HEX  with --link: ask for the fingerprint challenge and accept it for this device's
                         fingerprint (API device:fingerprint) — scripted linking of a headless node
  --use-relay MULTIADDR  circuit relay to reserve a slot on (reachable behind NAT), ending in /p2p/<id> (repeatable)
  --replication-server   serve any group a member asks for with a valid token (stores, never reads)
  --replica              be a replication device of an account (with --link URL made by "device:invite role
                         replica" on a device of it): it gets no secret, stores and serves the account's
                         groups without reading them; a directory linked so stays a replica at every start
  --replica-max-bytes N  replication server: total bytes stored before eviction (default 10 GiB)
  --replica-max-group-bytes N  replication server: bytes one group may hold (default 1 GiB)
  --replica-max-groups N replication server: groups served at most (default 1000)
  -h, --help             show this help

Replication tokens (work whether or not the server runs on DIR; print one JSON line and exit):
  --issue-token [--quota-groups N] [--quota-bytes N] [--expires DURATION]
                         issue a token for this server (DURATION: 45s, 90m, 12h, 30d, 2w; default 30d)
  --revoke-token JTI|TOKEN
                         revoke a token; a running server refuses it within seconds

A damaged database (the node stopped; prints one JSON line and exits, 1 if nothing could be done):
  --repair               copy every row that still reads into a fresh file, keep the damaged one beside it
                         (berty.sqlite.damaged-TIME); the account's keys must read whole, else nothing changes

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
  /** Issue 13: `--replication-server` and its limits. */
  replicationServer?: ReplicationServerCli
  /** Issue 12: link to an existing account at start. */
  link?: { url: string; acceptFingerprint?: string }
  /** Issue 13: `--replica`, a replication device (the limits of `--replica-max-*` apply). */
  replicaDevice?: ReplicationServerCli
}

export interface CliReach {
  serveRendezvous: boolean
  relay: boolean
  rendezvous: string[]
}

export interface ReplicationServerCli {
  maxTotalBytes?: number
  maxGroupBytes?: number
  maxGroups?: number
}

export interface IssueTokenCli {
  dataDir: string
  quotaGroups?: number
  quotaBytes?: number
  expiresMs: number
}

export const DEFAULT_TOKEN_EXPIRY_MS = 30 * 86_400_000

export type CliParse =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'issue-token'; options: IssueTokenCli }
  | { kind: 'revoke-token'; options: { dataDir: string; target: string } }
  | { kind: 'repair'; options: { dataDir: string } }
  | { kind: 'help' }
  | { kind: 'error'; message: string }

const HOST_RE = /^(?:[A-Za-z0-9.-]{1,253}|\[?[0-9A-Fa-f:.]{2,45}\]?)$/

/**
 * A token id is base64url: one in 64 starts with '-', and `--revoke-token -Juj…` as printed by
 * `--issue-token` was refused ("argument is ambiguous"). The value after --revoke-token is taken as
 * its value whatever its first character, as `--revoke-token=-Juj…` would be.
 */
function joinRevokeValue(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1]
    if (argv[i] === '--revoke-token' && next !== undefined && next.startsWith('-') && !next.startsWith('--')) {
      out.push(`--revoke-token=${next}`)
      i++
    } else out.push(argv[i]!)
  }
  return out
}

export function parseCliArgs(argv: readonly string[]): CliParse {
  let values
  try {
    ;({ values } = parseArgs({
      args: joinRevokeValue(argv),
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
        link: { type: 'string' },
        'accept-fingerprint': { type: 'string' },
        'use-relay': { type: 'string', multiple: true },
        'replication-server': { type: 'boolean' },
        replica: { type: 'boolean' },
        'replica-max-bytes': { type: 'string' },
        'replica-max-group-bytes': { type: 'string' },
        'replica-max-groups': { type: 'string' },
        'issue-token': { type: 'boolean' },
        'quota-groups': { type: 'string' },
        'quota-bytes': { type: 'string' },
        expires: { type: 'string' },
        'revoke-token': { type: 'string' },
        repair: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    }))
  } catch (err) {
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) }
  }
  if (values.help) return { kind: 'help' }
  if (!values.data) return { kind: 'error', message: '--data DIR is required' }

  const count = (flag: string, raw: string | undefined): number | undefined | string => {
    if (raw === undefined) return undefined
    if (!/^\d{1,15}$/.test(raw)) return `${flag}: expected a non-negative integer, got ${JSON.stringify(raw)}`
    return Number(raw)
  }
  const tokenFlags = ['quota-groups', 'quota-bytes', 'expires'] as const
  if (values.repair === true) {
    const others = Object.keys(values).filter((k) => !['data', 'repair'].includes(k))
    if (others.length > 0) return { kind: 'error', message: `--repair takes only --data (got --${others.join(', --')})` }
    return { kind: 'repair', options: { dataDir: values.data } }
  }
  if (values['issue-token'] === true || values['revoke-token'] !== undefined) {
    if (values['issue-token'] === true && values['revoke-token'] !== undefined) return { kind: 'error', message: '--issue-token and --revoke-token exclude each other' }
    const others = Object.keys(values).filter((k) => !['data', 'issue-token', 'revoke-token', ...tokenFlags].includes(k))
    if (others.length > 0) return { kind: 'error', message: `--issue-token/--revoke-token take no node options (got --${others.join(', --')})` }
    if (values['revoke-token'] !== undefined) {
      if (tokenFlags.some((f) => values[f] !== undefined)) return { kind: 'error', message: '--revoke-token takes only --data' }
      const target = values['revoke-token'].trim()
      if (!/^[A-Za-z0-9_.-]{16,2048}$/.test(target)) return { kind: 'error', message: '--revoke-token: expected a token id (jti) or a token' }
      return { kind: 'revoke-token', options: { dataDir: values.data, target } }
    }
    const quotaGroups = count('--quota-groups', values['quota-groups'])
    const quotaBytes = count('--quota-bytes', values['quota-bytes'])
    for (const v of [quotaGroups, quotaBytes]) if (typeof v === 'string') return { kind: 'error', message: v }
    let expiresMs = DEFAULT_TOKEN_EXPIRY_MS
    if (values.expires !== undefined) {
      const m = /^(\d{1,9})([smhdw]?)$/.exec(values.expires.trim())
      const unit = m ? { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as '' | 's' | 'm' | 'h' | 'd' | 'w'] : 0
      expiresMs = m ? Number(m[1]) * unit * 1000 : 0
      if (!(expiresMs > 0)) return { kind: 'error', message: `--expires: expected a duration like 45s, 90m, 12h, 30d or 2w, got ${JSON.stringify(values.expires)}` }
    }
    return {
      kind: 'issue-token',
      options: {
        dataDir: values.data,
        expiresMs,
        ...(typeof quotaGroups === 'number' ? { quotaGroups } : {}),
        ...(typeof quotaBytes === 'number' ? { quotaBytes } : {})
      }
    }
  }
  for (const f of tokenFlags) if (values[f] !== undefined) return { kind: 'error', message: `--${f} goes with --issue-token` }
  const replicaLimits: ReplicationServerCli = {}
  for (const [flag, field] of [['replica-max-bytes', 'maxTotalBytes'], ['replica-max-group-bytes', 'maxGroupBytes'], ['replica-max-groups', 'maxGroups']] as const) {
    const v = count(`--${flag}`, values[flag])
    if (typeof v === 'string') return { kind: 'error', message: v }
    if (v !== undefined) {
      if (values['replication-server'] !== true && values.replica !== true) return { kind: 'error', message: `--${flag} goes with --replication-server or --replica` }
      replicaLimits[field] = v
    }
  }

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
  if (values.replica === true && values['replication-server'] === true) return { kind: 'error', message: '--replica and --replication-server exclude each other: a replication device serves its own account only' }
  if (values['accept-fingerprint'] !== undefined && values.link === undefined) return { kind: 'error', message: '--accept-fingerprint needs --link' }
  if (values.link !== undefined && values.link.trim() === '') return { kind: 'error', message: '--link: empty invitation' }
  if (values['accept-fingerprint'] !== undefined && !/^[0-9A-Fa-f\s-]{40,60}$/.test(values['accept-fingerprint'])) {
    return { kind: 'error', message: '--accept-fingerprint: 40 hex digits (spaces and dashes allowed)' }
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
      ...(values['replication-server'] === true ? { replicationServer: replicaLimits } : {}),
      ...(values.replica === true ? { replicaDevice: replicaLimits } : {}),
      ...(values.link !== undefined
        ? { link: { url: values.link, ...(values['accept-fingerprint'] !== undefined ? { acceptFingerprint: values['accept-fingerprint'] } : {}) } }
        : {}),
      ...(wantsReach ? { reach: { serveRendezvous: values['serve-rendezvous'] === true, relay: values.relay === true, rendezvous } } : {})
    }
  }
}

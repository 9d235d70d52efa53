/**
 * A tiny libp2p host for the network-namespace tests: `node --import tsx reach-host.ts '<json config>'`.
 * It runs our libp2p composition with the reach services (discovery drivers, rendezvous/relay server,
 * DCUtR, AutoNAT) and a one-line chat protocol, and talks to the test in JSON lines: commands on stdin,
 * events on stdout, logs on stderr.
 *
 * Commands: {cmd:'advertise'|'watch', ns} · {cmd:'send', peer, text} · {cmd:'status'} · {cmd:'ping', peer} · {cmd:'stop'}
 * Events:   ready{peerId, addrs} · found{ns, driver, peer} · connect{peer, path, addr} · disconnect{peer} ·
 *           message{from, text, path} · sent{peer, path} · status{discovery, connections} · pong{peer, ms} · error{cmd, error}
 */
import '../../core/polyfills'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import type { Connection, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from '@libp2p/utils'
import type { Logger } from '../../core/log'
import { createLibp2pNode, peerKeyFromSeed } from '../../core/net/libp2p'
import { pathOf, peerPaths } from '../../core/net/paths'
import { reachOptions, type ReachSettings } from '../../core/net/reach-config'

interface HostConfig {
  listen: string[]
  bootstrap?: string[]
  relays?: string[]
  settings: ReachSettings
  /** Relayed WebRTC (ICE with the relays' STUN) for the relayed → direct upgrade. Default false. */
  webrtc?: boolean
}

const CHAT = '/berty-test/chat/1.0.0'
const config = JSON.parse(process.argv[2] ?? '{}') as HostConfig
const out = (event: string, data: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ event, ...data })}\n`)
}
const log: Logger = (level, msg, data) => process.stderr.write(`${JSON.stringify({ level, msg, ...data })}\n`)


const node = await createLibp2pNode({
  privateKey: await peerKeyFromSeed(randomBytes(32)),
  listen: config.listen,
  ...(config.bootstrap != null ? { bootstrap: config.bootstrap } : {}),
  ...(config.relays != null ? { relays: config.relays } : {}),
  webrtc: config.webrtc === true ? { relayed: true } : false,
  log,
  reach: reachOptions(config.settings, log)
})

await node.handle(CHAT, async (stream, connection) => {
  const lp = lpStream(stream, { maxDataLength: 4096 })
  try {
    const text = new TextDecoder().decode((await lp.read({ signal: AbortSignal.timeout(10_000) })).subarray())
    out('message', { from: connection.remotePeer.toString(), text, path: pathOf(connection) })
    await stream.close()
  } catch (err) {
    stream.abort(err as Error)
  }
}, { runOnLimitedConnection: true })

node.addEventListener('connection:open', (e) => {
  out('connect', { peer: e.detail.remotePeer.toString(), path: pathOf(e.detail), addr: e.detail.remoteAddr.toString() })
})
node.addEventListener('peer:disconnect', (e) => out('disconnect', { peer: e.detail.toString() }))
node.services.discovery?.addEventListener('peer', (e) => {
  out('found', { ns: e.detail.namespace, driver: e.detail.driver, peer: e.detail.peer.id.toString() })
})

await node.start()
out('ready', { peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map((a) => a.toString()) })

// A relay reservation adds our /p2p-circuit address after start; report addresses as they change.
node.addEventListener('self:peer:update', () => out('addrs', { addrs: node.getMultiaddrs().map((a) => a.toString()) }))

async function best(peer: PeerId): Promise<Connection> {
  const conns = node.getConnections(peer)
  return conns.find((c) => pathOf(c) !== 'relayed') ?? conns[0] ?? node.dial(peer, { signal: AbortSignal.timeout(15_000) })
}

async function handle(cmd: Record<string, unknown>): Promise<void> {
  switch (cmd.cmd) {
    case 'advertise':
      node.services.discovery?.advertise(String(cmd.ns))
      return
    case 'watch':
      node.services.discovery?.watch(String(cmd.ns))
      return
    case 'send': {
      const peer = peerIdFromString(String(cmd.peer))
      // Three tries: the connection picked may close under us (DCUtR or the path upgrade replacing a
      // relayed connection by a direct one is exactly that), as an app's sync would retry.
      for (let attempt = 1; ; attempt++) {
        const conn = await best(peer)
        try {
          const stream = await conn.newStream(CHAT, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
          await lpStream(stream).write(new TextEncoder().encode(String(cmd.text)))
          await stream.close()
          out('sent', { peer: peer.toString(), path: pathOf(conn), attempt })
          return
        } catch (err) {
          log('warn', 'send failed', { path: pathOf(conn), attempt, error: String(err) })
          if (attempt >= 3) throw err
          await new Promise((r) => setTimeout(r, 500))
        }
      }
    }
    case 'ping': {
      const peer = peerIdFromString(String(cmd.peer))
      const ms = await node.services.ping.ping(peer, { signal: AbortSignal.timeout(10_000) })
      out('pong', { peer: peer.toString(), ms })
      return
    }
    case 'status':
      out('status', {
        discovery: node.services.discovery?.status(),
        connections: peerPaths(node.getConnections()),
        rendezvousServer: node.services.rendezvousServer?.stats(),
        pathUpgrade: node.services.pathUpgrade?.stats()
      })
      return
    case 'stop':
      await node.stop()
      process.exit(0)
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let cmd: Record<string, unknown>
  try {
    cmd = JSON.parse(line) as Record<string, unknown>
  } catch {
    return
  }
  handle(cmd).catch((err: unknown) => out('error', { cmd: cmd.cmd, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }))
})

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void Promise.resolve(node.stop()).finally(() => process.exit(0))
  })
}

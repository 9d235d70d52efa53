/**
 * A full Berty node (createBertyNode) for network-namespace labs: `node --import tsx node-host.ts '<json>'`.
 * The test drives its API over JSON lines — {cmd:'call', id, method, params} → {event:'result', id, value}
 * or {event:'result', id, error}; every API event comes out as {event:'api', name, payload}.
 * Config: {dataDir, listen, settings (ReachSettings)}. Used by bench/reach-contacts.ts.
 */
import '../../core/polyfills'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import type { Logger } from '../../core/log'
import { reachOptions, type ReachSettings } from '../../core/net/reach-config'
import { createBertyNode } from '../../core/node'
import { Dispatcher } from '../../core/service/dispatch'
import { staticKeyProvider } from '../../core/storage'

interface HostConfig {
  dataDir: string
  listen: string[]
  settings: ReachSettings
}

const config = JSON.parse(process.argv[2] ?? '{}') as HostConfig
const out = (event: string, data: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ event, ...data })}\n`)
}
const log: Logger = (level, msg, data) => {
  if (level !== 'debug') process.stderr.write(`${JSON.stringify({ level, msg, ...data })}\n`)
}

const node = await createBertyNode({
  dataDir: config.dataDir,
  encryptionKey: staticKeyProvider(new Uint8Array(randomBytes(32))),
  listen: config.listen,
  webrtc: false,
  reach: reachOptions(config.settings, log),
  log
})
const dispatcher = new Dispatcher(node.handlers, log)
node.onEvent((name, payload) => out('api', { name, payload }))
out('ready', { peerId: node.peerId(), addrs: node.addrs() })

createInterface({ input: process.stdin }).on('line', (line) => {
  let cmd: Record<string, unknown>
  try {
    cmd = JSON.parse(line) as Record<string, unknown>
  } catch {
    return
  }
  if (cmd.cmd === 'stop') {
    void node.stop().finally(() => process.exit(0))
    return
  }
  if (cmd.cmd !== 'call') return
  void dispatcher.call(cmd.method, cmd.params, { carrier: 'internal' }).then((res) => {
    out('result', res.ok ? { id: cmd.id, value: res.value } : { id: cmd.id, error: res.error })
  })
})

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void node.stop().finally(() => process.exit(0))
  })
}

/**
 * Runs inside a lab namespace (NetnsLab.spawn): starts the real headless daemon (core/daemon/cli.ts) in
 * this namespace and relays API calls to it over its authenticated WebSocket, one JSON line each way:
 *   stdin  {cmd: 'call', id, method, params}          stdout {event: 'result', id, ok, value | error}
 *   stdout {event: 'ready', peerId, addrs}            (once the daemon is up)
 *   stdout {event: 'message', groupPk, text, mine}    (every message:received, as the UI sees it)
 * argv[2]: JSON `{ dataDir, listen: string[], args: string[] }` (args: extra daemon flags).
 */
import { createInterface } from 'node:readline'
import WebSocket from 'ws'
import { startDaemonProcess } from './daemon-process'

const config = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; listen: string[]; args?: string[] }
const out = (msg: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(msg)}\n`)

const daemon = await startDaemonProcess(config.dataDir, { listen: config.listen, args: config.args ?? [] })
// A second socket for events, as the web UI keeps one open.
const events = new WebSocket(daemon.ready.api, { headers: { Authorization: `Bearer ${daemon.ready.token}` } })
events.on('message', (data) => {
  const msg = JSON.parse(String(data)) as { method?: string; params?: { groupPk: string; message: { text: string; mine: boolean } } }
  const p = msg.params
  if (msg.method === 'message:received' && p) out({ event: 'message', groupPk: p.groupPk, text: p.message.text, mine: p.message.mine })
})
events.on('error', () => {})
await new Promise<void>((res) => events.once('open', () => res()))
out({ event: 'ready', peerId: daemon.ready.peerId, addrs: daemon.ready.addrs })

createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line) as { cmd: string; id: number; method: string; params: unknown }
  if (cmd.cmd !== 'call') return
  daemon.call(cmd.method as never, cmd.params as never).then(
    (value) => out({ event: 'result', id: cmd.id, ok: true, value }),
    (err: Error & { code?: string }) => out({ event: 'result', id: cmd.id, ok: false, error: `${err.code ?? ''} ${err.message}` })
  )
})
process.stdin.on('end', () => {
  events.close()
  void daemon.stop().then(() => process.exit(0))
})
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => void daemon.stop().then(() => process.exit(0)))

// The receiving process of the latency bench: joins the group given on argv, dials the sender,
// and prints one JSON line per received message with its arrival time (same clock as the parent).
import '../../core/polyfills'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createBertyNode } from '../../core/node'
import { Dispatcher } from '../../core/service/dispatch'
import { staticKeyProvider } from '../../core/storage'

const [url, addr] = process.argv.slice(2)
if (!url || !addr) throw new Error('usage: latency-peer <invite url> <sender multiaddr>')
const dir = mkdtempSync(join(tmpdir(), 'berty-lat-'))
const node = await createBertyNode({
  dataDir: dir,
  encryptionKey: staticKeyProvider(new Uint8Array(randomBytes(32))),
  listen: ['/ip4/127.0.0.1/tcp/0'],
  webrtc: false,
  antiEntropyMs: 0
})
node.onEvent((event, payload) => {
  if (event !== 'message:received') return
  const at = performance.timeOrigin + performance.now()
  const { message } = payload as { message: { text: string; mine: boolean } }
  if (!message.mine) process.stdout.write(`${JSON.stringify({ text: message.text, at })}\n`)
})
const d = new Dispatcher(node.handlers)
await d.invoke('account:create', { displayName: 'B' }, { carrier: 'internal' })
await d.invoke('peer:connect', { multiaddr: addr }, { carrier: 'internal' })
await d.invoke('group:join', { url }, { carrier: 'internal' })
process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
const stop = async () => {
  await node.stop()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
process.on('SIGTERM', () => void stop())

// Idle baseline of the replication bench: the libp2p node as core/net/libp2p.ts builds it for a
// daemon (TCP, WebSockets, QUIC, noise, yamux, identify, ping, gossipsub, kad-DHT, …) with nothing
// of Berty on top: no groups, no sync, no storage, no discovery drivers, no API. Prints one JSON
// line when ready; stops on SIGTERM.
import '../../core/polyfills'
import { randomBytes } from 'node:crypto'
import { createLibp2pNode, peerKeyFromSeed } from '../../core/net/libp2p'

const libp2p = await createLibp2pNode({ privateKey: await peerKeyFromSeed(new Uint8Array(randomBytes(32))), listen: ['/ip4/127.0.0.1/tcp/0'] })
process.stdout.write(`${JSON.stringify({ ready: true, addrs: libp2p.getMultiaddrs().map(String) })}\n`)
// libp2p unrefs its sockets and timers; this keeps the process alive (a timer due in ~12 days).
const keepAlive = setInterval(() => {}, 2 ** 30)
process.on('SIGTERM', () => {
  clearInterval(keepAlive)
  void Promise.resolve(libp2p.stop()).then(() => process.exit(0))
})

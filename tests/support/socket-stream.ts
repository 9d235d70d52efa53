/**
 * A libp2p 3 `Stream` over one plain Node TCP socket, so code that speaks on a libp2p stream (our
 * contact-request requester/responder) can talk to a program that has no libp2p (the Go peer built from
 * weshnet's sources in tests/vectors/go). Bytes go through untouched: no multistream-select, no muxer.
 * Half-close maps to TCP FIN (`socket.end()`), reset to RST (`resetAndDestroy()`); a remote RST
 * (ECONNRESET) is a remote reset, as a libp2p peer's `Reset()` would be.
 */
import type { Socket } from 'node:net'
import { defaultLogger } from '@libp2p/logger'
import { AbstractStream, type SendResult } from '@libp2p/utils'
import type { AbortOptions } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

let nextId = 0

export class SocketStream extends AbstractStream {
  readonly socket: Socket

  constructor(socket: Socket, direction: 'inbound' | 'outbound', protocol = '/wesh/contact_req/1.0.0') {
    const id = `socket-${nextId++}`
    super({ id, protocol, direction, log: defaultLogger().forComponent(`test:socket-stream:${id}`) })
    this.socket = socket
    socket.on('data', (chunk: Buffer) => this.onData(Uint8Array.from(chunk)))
    socket.on('end', () => this.onRemoteCloseWrite())
    socket.on('drain', () => this.safeDispatchEvent('drain'))
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET') this.onRemoteReset()
      else this.onTransportClosed(err)
    })
    socket.on('close', () => this.onTransportClosed())
  }

  sendData(data: Uint8ArrayList): SendResult {
    let canSendMore = true
    for (const buf of data) canSendMore = this.socket.write(buf.slice())
    return { sentBytes: data.byteLength, canSendMore }
  }

  sendReset(_err: Error): void {
    this.socket.resetAndDestroy()
  }

  async sendCloseWrite(_options?: AbortOptions): Promise<void> {
    if (this.socket.writableEnded || this.socket.destroyed) return
    await new Promise<void>((resolve) => this.socket.end(resolve))
  }

  async sendCloseRead(_options?: AbortOptions): Promise<void> {
    // TCP has no "stop reading" signal; unread bytes are dropped by the abstract stream.
  }

  sendPause(): void {
    this.socket.pause()
  }

  sendResume(): void {
    this.socket.resume()
  }
}

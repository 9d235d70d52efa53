/**
 * The cross-process radio (sim-server.ts) over its Unix socket: devices attached through SimSocketBackend
 * (what `--ble sim:PATH#LABEL` does) discover each other, connect over libp2p with nothing but /ble,
 * and lose the link when the range file puts them out of range. Plus the --ble / --listen none flags.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Libp2p } from '@libp2p/interface'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../core/daemon/cli-args'
import { createBleDriver } from '../../core/net/ble/from-spec'
import { startSimServer, type SimServer } from '../../core/net/ble/sim-server'
import { FrameDecoder, encodeFrame } from '../../core/net/ble/sim-wire'
import { createLibp2pNode, peerKeyFromSeed } from '../../core/net/libp2p'

async function bleNode(socket: string, label: string): Promise<Libp2p> {
  const driver = await createBleDriver({ kind: 'sim', socket, label })
  const seed = new Uint8Array(32).map(() => Math.floor(Math.random() * 256))
  return createLibp2pNode({ privateKey: await peerKeyFromSeed(seed), ble: driver, ip: false, start: true })
}

function connected(a: Libp2p, b: Libp2p): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (a.getConnections(b.peerId).length > 0) {
        a.removeEventListener('connection:open', check)
        resolve()
      }
    }
    a.addEventListener('connection:open', check)
    check()
  })
}

describe('BLE radio simulator over a Unix socket', () => {
  let dir: string
  let sim: SimServer | undefined
  const nodes: Libp2p[] = []
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berty-ble-sim-'))
  })
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop()))
    await sim?.close()
    sim = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  it('two IP-less nodes meet over the simulated radio; a range change drops the link', async () => {
    const socket = join(dir, 'radio.sock')
    const range = join(dir, 'range.json')
    writeFileSync(range, JSON.stringify({ inRange: [['alice', 'bob']] }))
    sim = await startSimServer({ socket, range, mtu: 185, rate: 100_000, latencyMs: 5 })
    const alice = await bleNode(socket, 'alice')
    const bob = await bleNode(socket, 'bob')
    nodes.push(alice, bob)
    expect(alice.getMultiaddrs().every((ma) => ma.toString().startsWith('/ble/'))).toBe(true)
    await connected(alice, bob)
    await connected(bob, alice)
    const closed = new Promise<void>((resolve) => alice.addEventListener('connection:close', () => resolve(), { once: true }))
    writeFileSync(range, JSON.stringify({ inRange: [] }))
    sim.reloadRange()
    await closed
    expect(alice.getConnections(bob.peerId)).toHaveLength(0)
  })

  it('drops a device that sends a malformed frame and keeps serving the others', async () => {
    const socket = join(dir, 'radio.sock')
    sim = await startSimServer({ socket })
    const { connect } = await import('node:net')
    const bad = connect(socket)
    await new Promise((r) => bad.once('connect', r))
    const closed = new Promise((r) => bad.once('close', r))
    bad.write(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0]))
    await closed
    const good = connect(socket)
    await new Promise((r) => good.once('connect', r))
    const welcome = new Promise<string>((resolve) => {
      const dec = new FrameDecoder()
      good.on('data', (c: Buffer) => {
        for (const f of dec.push(c)) resolve(f.msg.t)
      })
    })
    good.write(encodeFrame({ t: 'hello', label: 'ok' }))
    expect(await welcome).toBe('welcome')
    good.destroy()
  })

  it('parses --ble and --listen none', () => {
    const ok = parseCliArgs(['--data', '/tmp/x', '--listen', 'none', '--ble', 'sim:/tmp/r.sock#alice'])
    expect(ok.kind === 'run' && ok.options.noIp === true && ok.options.ble).toEqual({ kind: 'sim', socket: '/tmp/r.sock', label: 'alice' })
    expect(parseCliArgs(['--data', '/tmp/x', '--listen', 'none']).kind).toBe('error')
    expect(parseCliArgs(['--data', '/tmp/x', '--ble', 'bluetooth']).kind).toBe('error')
    expect(parseCliArgs(['--data', '/tmp/x', '--ble', 'sim:/tmp/r.sock#bad label']).kind).toBe('error')
  })
})

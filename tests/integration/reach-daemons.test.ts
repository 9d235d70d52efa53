/**
 * The reach scenarios with whole daemons (core/daemon/cli.ts, driven through their API as the web UI
 * drives them), each in its own network namespace: a person creates a group, the other joins by the
 * invitation link alone — no `peer:connect`, no bootstrap, no address typed — and they chat both ways.
 * - LAN: two namespaces on one bridge (mDNS + local records).
 * - Rendezvous server: A and B each wired only to S, which runs `--serve-rendezvous --relay`; A and B
 *   name S with `--rendezvous` and `--use-relay` (the Network panel's servers and relays settings).
 * - Live settings: the same with no flags; A and B add S in `network:settings:set` while running.
 * - Connection loss: A's veth goes down then up; B drops A, keeps looking, reconnects, chats.
 * Skipped with a printed reason when namespaces are unavailable.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { MethodName, Params, Result } from '../../core/api'
import { NetnsLab, netnsAvailability, type LabProcess } from '../support/netns'

const DRIVER = fileURLToPath(new URL('../support/netns-daemon.ts', import.meta.url))
const avail = netnsAvailability()
if (!avail.ok) console.warn(`reach-daemons skipped: ${avail.reason}`)

interface Daemon {
  proc: LabProcess
  peerId: string
  addrs: string[]
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>
}

const dirs: string[] = []

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}
let nextId = 1

async function daemon(lab: NetnsLab, ns: string, listen: string[], args: string[] = []): Promise<Daemon> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berty-netns-'))
  dirs.push(dataDir)
  const proc = lab.spawn(ns, DRIVER, [JSON.stringify({ dataDir, listen, args })])
  const ready = await proc.next<{ peerId: string; addrs: string[] }>((m) => m.event === 'ready', 90_000)
  return {
    proc,
    ...ready,
    async call(method, params) {
      const id = nextId++
      proc.send({ cmd: 'call', id, method, params })
      const r = await proc.next<{ ok: boolean; value?: unknown; error?: string }>((m) => m.event === 'result' && m.id === id, 60_000)
      if (!r.ok) throw new Error(`${method}: ${r.error}`)
      return r.value as never
    }
  }
}

/** A creates a group, B joins by its link the moment it can, both write at once; returns ms to the first message both ways. */
async function joinByLinkAndChat(a: Daemon, b: Daemon, out: { groupPk?: string } = {}): Promise<number> {
  await a.call('account:create', { displayName: 'Ann' })
  await b.call('account:create', { displayName: 'Bo' })
  const { groupPk } = await a.call('group:create', { name: 'Lab group' })
  out.groupPk = groupPk
  const { url } = await a.call('group:invite', { groupPk })
  const t0 = performance.now()
  await b.call('group:join', { url })
  // Written the moment the join returns, as a person would.
  await b.call('message:send', { groupPk, text: 'hi from Bo' })
  await a.call('message:send', { groupPk, text: 'hi from Ann' })
  await a.proc.next((m) => m.event === 'message' && m.groupPk === groupPk && m.text === 'hi from Bo', 60_000)
  await b.proc.next((m) => m.event === 'message' && m.groupPk === groupPk && m.text === 'hi from Ann', 60_000)
  const ms = performance.now() - t0
  // Nobody was told an address: neither side has a connection it dialled by hand.
  const texts = async (d: Daemon) => (await d.call('message:list', { groupPk, limit: 10 })).messages.map((m) => m.text).sort()
  expect(await texts(a)).toEqual(['hi from Ann', 'hi from Bo'])
  expect(await texts(b)).toEqual(['hi from Ann', 'hi from Bo'])
  return ms
}

describe.skipIf(!avail.ok)('reach with whole daemons in network namespaces', () => {
  afterAll(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('LAN: B joins A’s group by the link alone and they chat both ways', async () => {
    const lab = new NetnsLab()
    try {
      const sw = lab.ns('sw')
      lab.bridge(sw)
      const hosts: Daemon[] = []
      for (const [name, ip] of [['a', '10.213.1.2'], ['b', '10.213.1.3']] as const) {
        const ns = lab.ns(name)
        const dev = lab.plug(ns, sw, `${ip}/24`)
        lab.route(ns, '224.0.0.0/4', 'dev', dev)
        hosts.push(await daemon(lab, ns, [`/ip4/${ip}/tcp/0`]))
      }
      const ms = await joinByLinkAndChat(hosts[0]!, hosts[1]!)
      const peers = await hosts[1]!.call('peer:list', {})
      expect(peers.find((p) => p.peerId === hosts[0]!.peerId)?.path).toBe('lan')
      console.log(`[reach-daemons] lan: join → first message both ways in ${ms.toFixed(0)} ms`)
    } finally {
      await lab.close()
    }
  }, 240_000)

  it('rendezvous server: A and B meet through a daemon serving rendezvous and relay', async () => {
    const lab = new NetnsLab()
    try {
      const nsS = lab.ns('s')
      const nsA = lab.ns('a')
      const nsB = lab.ns('b')
      lab.wire(nsA, '10.213.2.2/24', nsS, '10.213.2.1/24')
      lab.wire(nsB, '10.213.3.2/24', nsS, '10.213.3.1/24')
      const s = await daemon(lab, nsS, ['/ip4/10.213.2.1/tcp/0', '/ip4/10.213.3.1/tcp/0'], ['--serve-rendezvous', '--relay'])
      const via = (prefix: string) => `${s.addrs.find((x) => x.startsWith(`/ip4/${prefix}/tcp/`))!.replace(/\/p2p\/.*$/, '')}/p2p/${s.peerId}`
      const a = await daemon(lab, nsA, ['/ip4/10.213.2.2/tcp/0'], ['--rendezvous', via('10.213.2.1'), '--use-relay', via('10.213.2.1')])
      const b = await daemon(lab, nsB, ['/ip4/10.213.3.2/tcp/0'], ['--rendezvous', via('10.213.3.1'), '--use-relay', via('10.213.3.1')])
      const ms = await joinByLinkAndChat(a, b)
      const path = (await b.call('peer:list', {})).find((p) => p.peerId === a.peerId)?.path
      // No IP route between A and B: through S's relay (or WebRTC signalled over it).
      expect(['relayed', 'webrtc']).toContain(path)
      const status = await b.call('network:status', {})
      expect(status.drivers.find((d) => d.name === 'rendezvous')?.found).toBeGreaterThan(0)
      console.log(`[reach-daemons] rendezvous server: join → first message both ways in ${ms.toFixed(0)} ms (path ${path})`)
    } finally {
      await lab.close()
    }
  }, 240_000)

  it('settings live through the daemon API: rendezvous server and relay added in the Network panel, no restart', async () => {
    const lab = new NetnsLab()
    try {
      const nsS = lab.ns('s')
      const nsA = lab.ns('a')
      const nsB = lab.ns('b')
      lab.wire(nsA, '10.213.8.2/24', nsS, '10.213.8.1/24')
      lab.wire(nsB, '10.213.9.2/24', nsS, '10.213.9.1/24')
      const s = await daemon(lab, nsS, ['/ip4/10.213.8.1/tcp/0', '/ip4/10.213.9.1/tcp/0'], ['--serve-rendezvous', '--relay'])
      const via = (prefix: string) => `${s.addrs.find((x) => x.startsWith(`/ip4/${prefix}/tcp/`))!.replace(/\/p2p\/.*$/, '')}/p2p/${s.peerId}`
      // No flag names S: each person types it in the Network panel while the daemon runs.
      const a = await daemon(lab, nsA, ['/ip4/10.213.8.2/tcp/0'])
      const b = await daemon(lab, nsB, ['/ip4/10.213.9.2/tcp/0'])
      for (const [d, prefix] of [[a, '10.213.8.1'], [b, '10.213.9.1']] as const) {
        const r = await d.call('network:settings:set', { rendezvousServers: [via(prefix)], relays: [via(prefix)] })
        expect(r.restartRequired).toBe(false)
      }
      const ms = await joinByLinkAndChat(a, b)
      const held = async () => (await s.call('network:status', {})).rendezvousServer?.registrations ?? -1
      expect(await held()).toBeGreaterThan(0)
      // A removes S: its registrations there end at once (B's remain).
      const before = await held()
      const aAdvertised = (await a.call('network:status', {})).drivers.find((d) => d.name === 'rendezvous')?.advertising ?? 0
      await a.call('network:settings:set', { rendezvousServers: [], relays: [] })
      expect(await held()).toBe(before - aAdvertised)
      expect((await a.call('network:status', {})).relays).toEqual([])
      console.log(`[reach-daemons] live settings: join → first message both ways in ${ms.toFixed(0)} ms; S held ${before} registrations, ${before - aAdvertised} after A removed it`)
    } finally {
      await lab.close()
    }
  }, 240_000)

  it('connection loss: A’s link goes down, B keeps looking; the link comes back and they reconnect and chat', async () => {
    const lab = new NetnsLab()
    try {
      const sw = lab.ns('sw')
      lab.bridge(sw)
      const hosts: Daemon[] = []
      const devs: Array<[string, string]> = []
      for (const [name, ip] of [['a', '10.213.7.2'], ['b', '10.213.7.3']] as const) {
        const ns = lab.ns(name)
        const dev = lab.plug(ns, sw, `${ip}/24`)
        lab.route(ns, '224.0.0.0/4', 'dev', dev)
        devs.push([ns, dev])
        hosts.push(await daemon(lab, ns, [`/ip4/${ip}/tcp/0`]))
      }
      const [a, b] = hosts as [Daemon, Daemon]
      const chat: { groupPk?: string } = {}
      await joinByLinkAndChat(a, b, chat)
      const groupPk = chat.groupPk!
      const connected = async () => (await b.call('peer:list', {})).some((p) => p.peerId === a.peerId)
      expect(await connected()).toBe(true)

      // A's cable is pulled: B's connection monitor (pings) notices and closes the dead connection.
      const [nsA, devA] = devs[0]!
      lab.link(nsA, devA, 'down')
      const tDown = performance.now()
      await until(async () => !(await connected()), 120_000, 'B notices A is gone')
      const lostMs = performance.now() - tDown
      // B lost its only peer and keeps looking: every discovery driver still runs, the group still watched.
      await new Promise((r) => setTimeout(r, 5_000))
      const st = await b.call('network:status', {})
      expect(st.drivers.filter((d) => d.name === 'mdns' || d.name === 'localrecord').every((d) => d.running)).toBe(true)
      expect(st.watched).toBeGreaterThan(0)
      expect(await connected()).toBe(false)

      lab.link(nsA, devA, 'up')
      const tUp = performance.now()
      await until(connected, 120_000, 'B reconnects to A')
      const backMs = performance.now() - tUp
      await a.call('message:send', { groupPk, text: 'back online' })
      await b.proc.next((m) => m.event === 'message' && m.groupPk === groupPk && m.text === 'back online', 60_000)
      console.log(`[reach-daemons] link down: B dropped A after ${lostMs.toFixed(0)} ms; link up → reconnected in ${backMs.toFixed(0)} ms, then chat`)
    } finally {
      await lab.close()
    }
  }, 400_000)
})

/**
 * Contacts figure of `npm run bench -- reach` (scenario `contact-lan`): two full nodes (createBertyNode,
 * tests/support/node-host.ts), each in its own network namespace on one bridge (mDNS + local records only,
 * no address typed). B sends `contact:request` with A's link at t0; A accepts the moment its
 * `contact:requested` arrives and sends a first message in the contact group; the figure is t0 → B holds
 * that message (the accepted contact group carrying its first message). Same-run baseline: the same pair,
 * a group invitation instead (A creates a group, B `group:join`s its link at t0, A sends; t0 → B holds it).
 * Process start-up and account creation are not counted.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LabProcess, NetnsLab } from '../tests/support/netns'

const HOST = fileURLToPath(new URL('../tests/support/node-host.ts', import.meta.url))

interface Api {
  proc: LabProcess
  call<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>
  event<T = Record<string, unknown>>(name: string, match: (payload: T) => boolean, timeoutMs?: number): Promise<T>
}

let seq = 0

async function start(lab: NetnsLab, ns: string, ip: string): Promise<Api> {
  const proc = lab.spawn(ns, HOST, [JSON.stringify({ dataDir: mkdtempSync(join(tmpdir(), `bench-contact-${ns}-`)), listen: [`/ip4/${ip}/tcp/0`], settings: { lan: true, dht: false, holePunching: false } })])
  await proc.next((m) => m.event === 'ready', 90_000)
  return {
    proc,
    async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const id = ++seq
      proc.send({ cmd: 'call', id, method, params })
      const res = await proc.next<{ value?: T; error?: { code: string; message: string } }>((m) => m.event === 'result' && m.id === id, 60_000)
      if (res.error) throw new Error(`${method}: ${res.error.code} ${res.error.message}`)
      return res.value as T
    },
    event<T>(name: string, match: (payload: T) => boolean, timeoutMs = 60_000): Promise<T> {
      return proc.next<{ payload: T }>((m) => m.event === 'api' && m.name === name && match(m.payload as T), timeoutMs).then((m) => m.payload)
    }
  }
}

export interface ContactFigures {
  requestedMs: number
  acceptedAtBMs: number
  firstMessageMs: number
  groupJoinBaselineMs: number
}

export async function contactLan(lab: NetnsLab): Promise<ContactFigures> {
  const sw = lab.ns('sw')
  lab.bridge(sw)
  const nodes: Api[] = []
  for (const [name, ip] of [['a', '10.213.1.2'], ['b', '10.213.1.3']] as const) {
    const ns = lab.ns(name)
    const dev = lab.plug(ns, sw, `${ip}/24`)
    lab.route(ns, '224.0.0.0/4', 'dev', dev)
    nodes.push(await start(lab, ns, ip))
  }
  const [a, b] = nodes as [Api, Api]
  await a.call('account:create', { displayName: 'Alice' })
  await b.call('account:create', { displayName: 'Bob' })
  const { link } = await a.call<{ link: string }>('contact:share')

  // A accepts at once and writes first, as a person answering a request would.
  const aSide = (async () => {
    const { contact } = await a.event<{ contact: { accountPk: string } }>('contact:requested', () => true, 90_000)
    const t = performance.now()
    const accepted = await a.call<{ accountPk: string }>('contact:accept', { accountPk: contact.accountPk })
    const view = await a.call<Array<{ accountPk: string; groupPk?: string }>>('contact:list')
    const groupPk = view.find((c) => c.accountPk === accepted.accountPk)?.groupPk
    if (groupPk === undefined) throw new Error('no contact group after accept')
    await a.call('message:send', { groupPk, text: 'first' })
    return t
  })()
  const t0 = performance.now()
  await b.call('contact:request', { link })
  const requestedAt = await aSide
  const accepted = b.event<{ contact?: { state: string } }>('contact:updated', (p) => p.contact?.state === 'accepted', 90_000).then(() => performance.now())
  await b.event<{ message: { text: string } }>('message:received', (p) => p.message.text === 'first', 90_000)
  const t1 = performance.now()
  const acceptedAt = await accepted

  // Baseline, same pair, same run: a group invitation instead of a contact request.
  const { groupPk } = await a.call<{ groupPk: string }>('group:create', { name: 'baseline' })
  const { url } = await a.call<{ url: string }>('group:invite', { groupPk })
  const joined = b.event<{ message: { text: string } }>('message:received', (p) => p.message.text === 'group first', 90_000)
  const g0 = performance.now()
  await b.call('group:join', { url })
  await a.call('message:send', { groupPk, text: 'group first' })
  await joined
  return { requestedMs: requestedAt - t0, acceptedAtBMs: acceptedAt - t0, firstMessageMs: t1 - t0, groupJoinBaselineMs: performance.now() - g0 }
}

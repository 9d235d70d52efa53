/**
 * Device linking bench (issue 12): time from `device:link` on a new device B to B holding every
 * group of an account with 20 groups (joined as a new device of the same member, each group's
 * metadata synced: B sees A's device in it), PIN challenge answered as soon as A shows it. Target
 * < 10 s on loopback. Same-run baseline: a separate account C joining the same 20 groups by their
 * links (group:join × 20) until each shows both members.
 */
import { gpkOf, startNode, stopAll, until, type TestNode } from '../tests/integration/helpers'

const GROUPS = 20
const ROUNDS = 2

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

async function account(name: string): Promise<{ a: TestNode; groups: Array<{ groupPk: string; url: string }> }> {
  const a = await startNode(name)
  await a.call('account:create', { displayName: 'Bench' })
  const groups: Array<{ groupPk: string; url: string }> = []
  for (let i = 0; i < GROUPS; i++) {
    const { groupPk } = await a.call('group:create', { name: `g${i}` })
    await a.call('message:send', { groupPk, text: `hello ${i}` })
    groups.push({ groupPk, url: (await a.call('group:invite', { groupPk })).url })
  }
  return { a, groups }
}

/** Every group open on `t`, its metadata showing the devices expected. */
function holdsAll(t: TestNode, groups: Array<{ groupPk: string }>, ok: (members: ReturnType<TestNode['node']['groups']['members']>) => boolean): boolean {
  return groups.every((g) => {
    const pk = gpkOf(g.groupPk)
    return t.node.groups.has(pk) && ok(t.node.groups.members(pk))
  })
}

async function linkRound(round: number): Promise<{ linkMs: number; joinMs: number }> {
  const { a, groups } = await account(`bench-link-a${round}`)
  const b = await startNode(`bench-link-b${round}`)
  const c = await startNode(`bench-link-c${round}`)
  await c.call('account:create', { displayName: 'Other' })

  const { link } = await a.call('device:invite', {})
  const seen = a.events.length
  const t0 = performance.now()
  await b.call('device:link', { link })
  const pin = await until(a, () => (a.events.slice(seen).find((e) => e.event === 'device:challenge')?.payload as { pin?: string } | undefined)?.pin)
  await b.call('device:challenge:answer', { pin })
  await until(b, () => holdsAll(b, groups, (m) => m.length === 1 && m[0]!.devices.length === 2), 120_000)
  const linkMs = performance.now() - t0

  await c.node.libp2p.dial(a.node.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
  const t1 = performance.now()
  for (const g of groups) await c.call('group:join', { url: g.url })
  await until(c, () => holdsAll(c, groups, (m) => m.length === 2), 120_000)
  const joinMs = performance.now() - t1
  await stopAll()
  return { linkMs, joinMs }
}

export async function run(): Promise<void> {
  console.log(`linking bench — node ${process.version}, ${process.arch}, ${GROUPS} groups, loopback`)
  for (let r = 0; r < ROUNDS; r++) {
    const { linkMs, joinMs } = await linkRound(r)
    console.log(
      `round ${r + 1}: device:link → B holds all ${GROUPS} groups in ${fmt(linkMs)} ms (target < 10,000)` +
        ` | baseline: another account joins the ${GROUPS} groups by link in ${fmt(joinMs)} ms`
    )
  }
}

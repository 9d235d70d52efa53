/**
 * `npm run bench -- reach`: time from joining by namespace alone (B starts watching; the group:join
 * analogue at the libp2p level) to the first message received, per reach scenario, each in its own
 * network-namespace lab (tests/support/reach-scenarios.ts). Process start-up is not counted.
 *
 * Columns: find = B found A; first msg = B's hello reached A and A's answer reached B; path = how A saw it.
 * `REACH_SCENARIOS=lan,rendezvous` picks scenarios (default: all); `REACH_RUNS=n` runs each n times (default 3,
 * a fresh lab each) and prints the median and the range. The load average is printed before and after:
 * on a shared machine the figures mean little without it. Needs root, iproute2 and iptables.
 * `contact-lan` (bench/reach-contacts.ts): contact:request → accepted contact group carrying its first message,
 * two full nodes on a LAN namespace pair, with a group-join baseline from the same pair.
 */
import { cpus, loadavg } from 'node:os'
import { NetnsLab, netnsAvailability } from '../tests/support/netns'
import { joinAndChat } from '../tests/support/reach-lab'
import { contactLan } from './reach-contacts'
import { dhtLineScenario, lanScenario, natBothScenario, natOneSideScenario, rendezvousScenario, type Pair } from '../tests/support/reach-scenarios'

const SCENARIOS: Record<string, (lab: NetnsLab) => Promise<Pair>> = {
  lan: lanScenario,
  rendezvous: rendezvousScenario,
  'nat-both': natBothScenario,
  'nat-both-webrtc': (lab) => natBothScenario(lab, { webrtc: true }),
  'nat-one-side': natOneSideScenario,
  'dht-line-5': (lab) => dhtLineScenario(lab, 5)
}

export async function run(): Promise<void> {
  const avail = netnsAvailability(true)
  if (!avail.ok) {
    console.log(`reach bench skipped: ${avail.reason}`)
    return
  }
  const picked = (process.env.REACH_SCENARIOS ?? [...Object.keys(SCENARIOS), 'contact-lan'].join(',')).split(',').filter((s) => s !== '')
  for (const name of picked) {
    if (name === 'contact-lan') continue
    if (SCENARIOS[name] == null) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`)
  }
  const runs = Math.max(1, Number(process.env.REACH_RUNS ?? 3))
  const load = (): string => `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`
  console.log(`${load()}; ${runs} run(s) per scenario, median [min–max]`)
  console.log('scenario           find (ms)            first msg (ms)        driver       path at A')
  for (const name of picked) {
    if (name === 'contact-lan') continue
    const finds: number[] = []
    const firsts: number[] = []
    let last = { driver: '', path: '' }
    for (let i = 0; i < runs; i++) {
      const lab = new NetnsLab()
      try {
        const { a, b } = await (SCENARIOS[name] as (lab: NetnsLab) => Promise<Pair>)(lab)
        const fig = await joinAndChat(a, b, Buffer.from(`bench-${name}-${lab.id}`).toString('base64'), 90_000)
        finds.push(fig.findMs)
        firsts.push(fig.firstMessageMs)
        last = { driver: fig.driver, path: fig.pathAtA }
      } finally {
        await lab.close()
      }
    }
    console.log(`${name.padEnd(18)} ${stat(finds).padEnd(20)} ${stat(firsts).padEnd(21)} ${last.driver.padEnd(11)}  ${last.path}`)
  }
  console.log(load())
  if (picked.includes('contact-lan')) {
    const lab = new NetnsLab()
    try {
      const f = await contactLan(lab)
      console.log('\ncontact-lan (two full nodes, LAN namespace pair, mDNS + local records; A accepts at once)')
      console.log(`  request delivered at A          ${f.requestedMs.toFixed(0).padStart(6)} ms`)
      console.log(`  accepted seen at B              ${f.acceptedAtBMs.toFixed(0).padStart(6)} ms`)
      console.log(`  contact:request → first message ${f.firstMessageMs.toFixed(0).padStart(6)} ms   (target < 3000)`)
      console.log(`  baseline group:join → first msg ${f.groupJoinBaselineMs.toFixed(0).padStart(6)} ms   (same pair, same run)`)
    } finally {
      await lab.close()
    }
  }
}

function stat(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b)
  const med = s[Math.floor(s.length / 2)] as number
  return s.length === 1 ? med.toFixed(0) : `${med.toFixed(0)} [${(s[0] as number).toFixed(0)}–${(s[s.length - 1] as number).toFixed(0)}]`
}

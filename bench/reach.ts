/**
 * `npm run bench -- reach`: time from joining by namespace alone (B starts watching; the group:join
 * analogue at the libp2p level) to the first message received, per reach scenario, each in its own
 * network-namespace lab (tests/support/reach-scenarios.ts). Process start-up is not counted.
 *
 * Columns: find = B found A; first msg = B's hello reached A and A's answer reached B; path = how A saw it.
 * `REACH_SCENARIOS=lan,rendezvous` picks scenarios (default: all). Needs root, iproute2 and iptables.
 * `contact-lan` (bench/reach-contacts.ts): contact:request → accepted contact group carrying its first message,
 * two full nodes on a LAN namespace pair, with a group-join baseline from the same pair.
 */
import { NetnsLab, netnsAvailability } from '../tests/support/netns'
import { joinAndChat } from '../tests/support/reach-lab'
import { contactLan } from './reach-contacts'
import { dhtLineScenario, lanScenario, natBothScenario, natOneSideScenario, rendezvousScenario, type Pair } from '../tests/support/reach-scenarios'

const SCENARIOS: Record<string, (lab: NetnsLab) => Promise<Pair>> = {
  lan: lanScenario,
  rendezvous: rendezvousScenario,
  'nat-both': natBothScenario,
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
  console.log('scenario        find (ms)  first msg (ms)  driver       path at A')
  for (const name of picked) {
    if (name === 'contact-lan') continue
    const lab = new NetnsLab()
    try {
      const { a, b } = await (SCENARIOS[name] as (lab: NetnsLab) => Promise<Pair>)(lab)
      const fig = await joinAndChat(a, b, Buffer.from(`bench-${name}-${lab.id}`).toString('base64'), 90_000)
      console.log(`${name.padEnd(15)} ${fig.findMs.toFixed(0).padStart(9)}  ${fig.firstMessageMs.toFixed(0).padStart(14)}  ${fig.driver.padEnd(11)}  ${fig.pathAtA}`)
    } finally {
      await lab.close()
    }
  }
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

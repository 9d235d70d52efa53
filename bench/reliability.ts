/**
 * `npm run bench -- reliability`: lost / duplicated / misordered counts for the crash (kill -9 of a
 * real daemon while it sends), partition (3/2 split with a join race inside, then heal) and restart
 * (20 restarts under traffic), crash-join (kill -9 of a newcomer in its first second, its join
 * included), crash-create (kill -9 in the middle of group:create: no group, or a whole one) and
 * crash-replica (kill -9 of a replication server while a member writes; the other member, offline,
 * then reads everything from the server alone) scenarios. Every count must be 0. The same scenarios run as tests
 * (tests/integration/reliability-*.test.ts); here they only report.
 * RELIABILITY=crash,partition,restart,crash-join,crash-create,crash-replica picks; CRASH_ROUNDS (10),
 * RESTART_ROUNDS (20), CRASH_JOIN_ROUNDS (10), CRASH_CREATE_ROUNDS (10), CRASH_REPLICA_ROUNDS (10).
 */
import '../core/polyfills'
import { crashCreateScenario, crashJoinScenario, crashScenario } from '../tests/support/crash-scenarios'
import { crashReplicaScenario } from '../tests/support/replica-crash-scenario'
import { partitionScenario, restartScenario, type ScenarioCounts } from '../tests/support/reliability-scenarios'

export async function run(): Promise<void> {
  const pick = new Set((process.env.RELIABILITY ?? 'crash,partition,restart,crash-join,crash-create,crash-replica').split(','))
  const results: ScenarioCounts[] = []
  if (pick.has('partition')) results.push(await partitionScenario(10))
  if (pick.has('restart')) results.push(await restartScenario(Number(process.env.RESTART_ROUNDS ?? 20)))
  if (pick.has('crash')) results.push(await crashScenario(Number(process.env.CRASH_ROUNDS ?? 10)))
  if (pick.has('crash-join')) results.push(await crashJoinScenario(Number(process.env.CRASH_JOIN_ROUNDS ?? 10)))
  if (pick.has('crash-create')) results.push(await crashCreateScenario(Number(process.env.CRASH_CREATE_ROUNDS ?? 10)))
  if (pick.has('crash-replica')) {
    const r = await crashReplicaScenario(Number(process.env.CRASH_REPLICA_ROUNDS ?? 10))
    results.push({ ...r, detail: `${r.detail}; rounds where the restarted server did not catch up: ${r.behind}` })
  }
  console.log('reliability bench — node', process.version)
  for (const r of results) {
    console.log(`${r.scenario.padEnd(34)} messages ${String(r.messages).padStart(5)}  lost ${r.lost}  duplicated ${r.duplicated}  misordered ${r.misordered}`)
    console.log(`${''.padEnd(34)} ${r.detail}`)
  }
  const bad = results.filter((r) => r.lost + r.duplicated + r.misordered > 0)
  console.log(bad.length === 0 ? 'all counts 0 ✔' : `NOT 0: ${bad.map((r) => r.scenario).join(', ')}`)
  if (bad.length > 0) process.exitCode = 1
}

/**
 * A receiver chain that keeps skipped keys (a sender that crashed skips up to 64, or 256, counters each
 * time; lost or late messages leave theirs): what reading one more message of that sender, in order,
 * costs the receiver, commit included. `npm run bench -- chains`.
 *
 * This tree: `receiveKey` shares the cache with the next chain, and ChainKeeper.saveReceiver writes the
 * chain's blob (key, counter, start) and only the skipped keys that came or went (migration 0012).
 * Baseline, same run, same database: the chain as it was stored before, every key copied per message
 * and the whole cache sealed into the blob with each save.
 *
 * BENCH_CHAIN_KEPT (comma list, default 0,100,1000,4000), BENCH_CHAIN_MESSAGES (default 2000).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toHex } from '../core/bytes'
import type { OpenGroup } from '../core/groups/types'
import {
  keyId,
  newSenderChain,
  receiveKey,
  receiverChainFrom,
  serializeReceiverChain,
  shareableChainKey,
  wipeReceiverChain,
  type ReceiverChain
} from '../core/protocol/group'
import { openDatabase } from '../core/storage'
import { addGroupRow, chainKeeperLab } from '../tests/support/chain-keeper-lab'

const KEPT = (process.env.BENCH_CHAIN_KEPT ?? '0,100,1000,4000').split(',').map(Number)
const MESSAGES = Number(process.env.BENCH_CHAIN_MESSAGES ?? 2000)

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-chains-'))
  const db = openDatabase(join(dir, 'chains.sqlite'))
  try {
    const lab = await chainKeeperLab(db)
    const { sealer, store } = lab
    const keeper = lab.keeper()
    console.log(`chains bench — node ${process.version}; ${MESSAGES} messages read in order per case, one commit each (file database)`)
    let n = 0
    // The first pass warms the JIT and the database file up and is not printed.
    for (const [index, kept] of [0, ...KEPT].entries()) {
      const results: string[] = []
      for (const mode of ['rows', 'baseline'] as const) {
        const gpk = new Uint8Array(32)
        new DataView(gpk.buffer).setUint32(0, ++n)
        addGroupRow(db, gpk)
        const device = new Uint8Array(32).fill(n)
        const g = { pk: gpk, pkHex: toHex(gpk), chains: new Map<string, ReceiverChain>() } as unknown as OpenGroup
        keeper.open(g)
        // The sender skipped `kept` counters (a crash): the receiver holds their keys.
        let chain = receiverChainFrom(shareableChainKey(newSenderChain()))
        chain = receiveKey(chain, gpk, kept, { maxCached: Math.max(kept, 1), maxSkip: kept }).chain
        g.chains.set(keyId(device), chain)
        db.transaction(() => keeper.saveReceiver(g, device, chain))
        const opts = { maxCached: Math.max(kept, 1) }
        let bytes = 0
        const t0 = performance.now()
        for (let i = 1; i <= MESSAGES; i++) {
          const counter = kept + i
          if (mode === 'rows') {
            const step = receiveKey(chain, gpk, counter, opts)
            wipeReceiverChain(chain, step.chain)
            step.messageKey.fill(0)
            chain = step.chain
            db.transaction(() => keeper.saveReceiver(g, device, chain))
          } else {
            // As stored before migration 0012: every key copied, the whole cache sealed into the blob.
            const step = receiveKey(chain, gpk, counter, opts)
            const copied: ReceiverChain = { ...step.chain, skipped: new Map([...step.chain.skipped].map(([c, k]) => [c, k.slice()])) }
            wipeReceiverChain(chain, step.chain)
            step.messageKey.fill(0)
            chain = copied
            const sealed = sealer.seal(serializeReceiverChain(chain))
            bytes += sealed.length
            db.transaction(() => store.save(gpk, device, 'recv', sealed))
          }
        }
        const ms = performance.now() - t0
        if (mode === 'rows') {
          bytes = db.sql.prepare<[Uint8Array], { n: number }>("SELECT length(sealed) AS n FROM group_chains WHERE group_pk = ? AND role = 'recv'").get(gpk)!.n * MESSAGES
        }
        results.push(`${mode === 'rows' ? 'this tree' : 'baseline (keys in the blob)'} ${((ms * 1000) / MESSAGES).toFixed(1)} µs and ${Math.round(bytes / MESSAGES).toLocaleString('en-US')} B of chain blob per message`)
        db.sql.prepare('DELETE FROM groups WHERE group_pk = ?').run(gpk)
        keeper.forget(g)
      }
      if (index > 0) console.log(`${String(kept).padStart(5)} skipped keys kept: ${results[0]}; ${results[1]}`)
    }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

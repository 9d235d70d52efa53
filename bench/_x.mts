import { entryFault } from '../core/groups/log-entry'
import { randomBytes } from 'node:crypto'
const big = Buffer.from(randomBytes(10000*200).toString('hex'))
let off = 0
const t = (n: number) => { const s = big.toString('latin1', off, off + n); off += n; return s }
const mk = () => { const key = t(64); return { v: 2, id: 'log1', key, sig: t(128), next: [t(49)], refs: [], clock: { id: t(0)+key, time: 5 }, payload: { v: 1, s: randomBytes(300), g: randomBytes(64) }, identity: 'x' } }
const es = Array.from({ length: 10000 }, mk)
for (let k = 0; k < 3; k++) { const t0 = performance.now(); let f = 0; for (const e of es) if (entryFault(e as any, 'log1')) f++; console.log('entryFault 10k', (performance.now() - t0).toFixed(1), 'ms', f) }

/**
 * Source of a worker thread that verifies batches of Ed25519 signatures: libsodium first when
 * `workerData.sodiumPath` loads (sodium.ts `sodiumPath`), then node:crypto for what it refuses (the
 * same two steps as `sodiumProvider.ed25519Verify`), node:crypto alone otherwise. Inline, so there is
 * no file to locate under tsx, vitest or the bundled Electron main. At start the worker posts
 * `{ ready: 'sodium' | 'openssl' }`, the backend it verifies with. Then `{ id, count, packed }` in, where `packed`
 * (an ArrayBuffer, transferred) holds `count` items, each `sized(1) ‖ u32be(len) ‖ pk(32) ‖
 * sig(64) ‖ msg(len)` (`sized` 0: the key or signature had the wrong length, refused unverified);
 * `{ id, out: Uint8Array }` (1 = valid) out. Used by core/groups/verify-pool.ts (packVerifyItems).
 */
export const ED25519_VERIFY_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const crypto = require('node:crypto')
const SPKI = Buffer.from('302a300506032b6570032100', 'hex')
const keys = new Map()
function keyOf(pk) {
  const id = Buffer.from(pk).toString('hex')
  let k = keys.get(id)
  if (!k) {
    k = crypto.createPublicKey({ key: Buffer.concat([SPKI, pk]), format: 'der', type: 'spki' })
    if (keys.size >= 4096) keys.clear()
    keys.set(id, k)
  }
  return k
}
function strict(pk, msg, sig) {
  return crypto.verify(null, msg, keyOf(pk), sig)
}
// libsodium first when the parent passed its path and it verifies RFC 8032 test 1 (and refuses it
// altered); what it refuses is checked again by OpenSSL (sodium-provider.ts: the same acceptance).
let sodium
try {
  if (workerData && typeof workerData.sodiumPath === 'string') {
    const s = require(workerData.sodiumPath)
    const pk = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex')
    const sig = Buffer.from('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b', 'hex')
    if (s.crypto_sign_verify_detached(sig, Buffer.alloc(0), pk) && !s.crypto_sign_verify_detached(sig, Buffer.from([0]), pk)) sodium = s
  }
} catch {
  sodium = undefined
}
parentPort.postMessage({ ready: sodium ? 'sodium' : 'openssl' })
function verify(pk, msg, sig) {
  if (sodium) {
    try {
      if (sodium.crypto_sign_verify_detached(sig, msg, pk)) return true
    } catch {}
  }
  return strict(pk, msg, sig)
}
parentPort.on('message', ({ id, count, packed }) => {
  const out = new Uint8Array(count)
  const bytes = new Uint8Array(packed)
  const view = new DataView(packed)
  let at = 0
  for (let i = 0; i < count; i++) {
    const sized = bytes[at] === 1
    const len = view.getUint32(at + 1)
    const pk = bytes.subarray(at + 5, at + 37)
    const sig = bytes.subarray(at + 37, at + 101)
    const msg = bytes.subarray(at + 101, at + 101 + len)
    at += 101 + len
    try {
      out[i] = sized && verify(pk, msg, sig) ? 1 : 0
    } catch {
      out[i] = 0
    }
  }
  parentPort.postMessage({ id, out }, [out.buffer])
})
`

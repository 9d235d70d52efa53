/**
 * `--issue-token` / `--revoke-token`: the replication server's owner manages tokens from the command
 * line, whether or not the server runs on the data directory. Both work on the token book
 * (core/storage/token-store.ts), a second SQLite file shared with the running server; the account
 * database (exclusively locked while a node runs) is opened only when the token book does not know
 * the server's peer id yet, which means no server has run on this directory (so no lock is held).
 * Prints one JSON line on stdout.
 */
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { wipe } from '../crypto'
import { peerKeyFromSeed } from '../net/libp2p'
import { META_PEER_ID, loadOrCreateServerKey } from '../replication/server'
import { issueToken, peekJti } from '../replication/tokens'
import { AccountStore, fileKeyProvider, Keystore, openDatabase, StorageError, TOKEN_STORE_FILE, TokenStore, type EncryptionKeyProvider } from '../storage'
import type { IssueTokenCli } from './cli-args'

/** The account database's file name (core/node.ts DATABASE_FILE; not imported to keep this light). */
const DATABASE_FILE = 'berty.sqlite'

async function serverPeerId(dataDir: string, tokens: TokenStore, provider: EncryptionKeyProvider): Promise<string> {
  const known = tokens.getMeta(META_PEER_ID)
  if (known) return known
  let db
  try {
    db = openDatabase(join(dataDir, DATABASE_FILE), { exclusive: true })
  } catch (err) {
    if (err instanceof StorageError && err.code === 'ERR_LOCKED') {
      throw new Error('a node runs on this directory without --replication-server: restart it with --replication-server, then issue tokens')
    }
    throw err
  }
  try {
    const keystore = new Keystore(db, provider)
    await keystore.unlock()
    const seed = await new AccountStore(db, keystore).getOrCreatePeerKey()
    const peerId = peerIdFromPrivateKey(await peerKeyFromSeed(seed)).toString()
    wipe(seed)
    keystore.lock()
    tokens.setMeta(META_PEER_ID, peerId)
    return peerId
  } finally {
    db.close()
  }
}

function openBook(dataDir: string): { tokens: TokenStore; provider: EncryptionKeyProvider } {
  return { tokens: TokenStore.open(join(dataDir, TOKEN_STORE_FILE)), provider: fileKeyProvider(join(dataDir, 'key')) }
}

export async function issueTokenCommand(options: IssueTokenCli, now = Date.now()): Promise<Record<string, unknown>> {
  const { tokens, provider } = openBook(options.dataDir)
  try {
    const audience = await serverPeerId(options.dataDir, tokens, provider)
    const keystore = new Keystore(tokens.db, provider)
    await keystore.unlock()
    const seed = await loadOrCreateServerKey(keystore)
    try {
      const { token, claims } = await issueToken(seed, {
        audience,
        expiresAt: now + options.expiresMs,
        now,
        ...(options.quotaGroups !== undefined ? { quotaGroups: options.quotaGroups } : {}),
        ...(options.quotaBytes !== undefined ? { quotaBytes: options.quotaBytes } : {})
      })
      tokens.recordIssued({
        jti: claims.jti,
        audience,
        issued_at: claims.issuedAt,
        expires_at: claims.expiresAt,
        quota_groups: claims.quotaGroups ?? null,
        quota_bytes: claims.quotaBytes ?? null
      })
      return {
        token,
        jti: claims.jti,
        server: audience,
        expiresAt: new Date(claims.expiresAt).toISOString(),
        ...(claims.quotaGroups !== undefined ? { quotaGroups: claims.quotaGroups } : {}),
        ...(claims.quotaBytes !== undefined ? { quotaBytes: claims.quotaBytes } : {})
      }
    } finally {
      wipe(seed)
      keystore.lock()
    }
  } finally {
    tokens.close()
  }
}

export async function revokeTokenCommand(options: { dataDir: string; target: string }, now = Date.now()): Promise<Record<string, unknown>> {
  const jti = options.target.includes('.') ? peekJti(options.target) : options.target
  if (!jti || !/^[A-Za-z0-9_-]{16,64}$/.test(jti)) throw new Error('--revoke-token: not a token id (jti) nor a token carrying one')
  const { tokens } = openBook(options.dataDir)
  try {
    const known = tokens.issued(jti) !== undefined
    const fresh = tokens.revoke(jti, now)
    return { revoked: jti, known, alreadyRevoked: !fresh }
  } finally {
    tokens.close()
  }
}

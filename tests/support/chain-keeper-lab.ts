// A ChainKeeper over a real SQLite database and a real content sealer (its key kept in memory instead
// of the keystore), for the skipped-key tests and `npm run bench -- chains`.
import { ChainKeeper } from '../../core/groups/chain-keeper'
import { ContentSealer } from '../../core/groups/content-sealer'
import { ChainStore, type Keystore, type SqliteDatabase } from '../../core/storage'

/** A content sealer whose key lives in memory (ContentSealer.load creates it on first use). */
export async function memorySealer(): Promise<ContentSealer> {
  const stored = new Map<string, Uint8Array>()
  const keystore = { get: async (k: string) => stored.get(k), put: async (k: string, v: Uint8Array) => void stored.set(k, v.slice()) }
  return ContentSealer.load(keystore as unknown as Keystore)
}

/** `db` with the keystore row every group row references; a keeper factory (a fresh one is a restart). */
export async function chainKeeperLab(db: SqliteDatabase): Promise<{ sealer: ContentSealer; store: ChainStore; keeper: () => ChainKeeper }> {
  db.sql.prepare("INSERT INTO keystore VALUES ('keys', x'00', 0)").run()
  const sealer = await memorySealer()
  const store = new ChainStore(db)
  return { sealer, store, keeper: () => new ChainKeeper(store, sealer, () => 0) }
}

/** A group row the chains can belong to (a replica's: no device key of ours). */
export function addGroupRow(db: SqliteDatabase, groupPk: Uint8Array): void {
  db.sql.prepare("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at) VALUES (?, 'multi', 'replica', 'keys', NULL, 0)").run(groupPk)
}

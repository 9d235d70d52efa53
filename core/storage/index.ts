/**
 * Public surface of core/storage: one SQLite file per account holding the keystore, the account,
 * and the stores behind Helia (datastore, blockstore) and OrbitDB.
 */
export { StorageError, NotFoundError, isDiskFull, isDatabaseDamaged, type StorageErrorCode } from './errors'
export { MAX_BLOCK_BYTES, MAX_VALUE_BYTES, MAX_KEY_BYTES, MAX_SECRET_BYTES } from './limits'
export { openDatabase, migrate, SqliteDatabase, type OpenDatabaseOptions } from './database'
export { StorageHealth, type StorageDamage } from './health'
export { repairDatabase, fullRecoverKey, DROPPED_MEMBERSHIP_PREFIX, type RepairReport, type RepairedTable } from './repair'
export { MIGRATIONS, LATEST_SCHEMA_VERSION, type Migration } from './migrations'
export {
  Keystore,
  fileKeyProvider,
  staticKeyProvider,
  WRAPPING_KEY_LENGTH,
  type EncryptionKeyProvider,
  type KeystoreTx
} from './keystore'
export { AccountStore, type AccountInfo, type RendezvousSeeds } from './account-store'
export { SqliteBlockstore } from './blockstore'
export { SqliteDatastore } from './datastore'
export { SqliteOrbitStorage, deleteOrbitNamespaces, type OrbitStorage } from './orbit-storage'
export { GroupStore, type GroupRow, type NewGroupRow, type GroupKindColumn, type GroupRoleColumn } from './group-store'
export { ChainStore, type ChainRole, type SealedChainRow } from './chain-store'
export {
  MessageStore,
  BEFORE_JOIN_REASON,
  KEY_GONE_REASON,
  type UnreadableReason,
  type MessageRow,
  type NewMessageRow,
  type MessageStateColumn,
  type ProcessedStatus,
  type ProcessedRecord
} from './message-store'
export { SettingsStore } from './settings-store'
export { ReplicationStore, type ServedState, type ServedGroupRow, type ServedTokenRow, type GroupReplicaRow } from './replication-store'
export { TokenStore, TOKEN_STORE_FILE, TOKEN_STORE_MIGRATIONS, type IssuedTokenRow } from './token-store'
export { DeviceStore, type DeviceRecord } from './device-store'

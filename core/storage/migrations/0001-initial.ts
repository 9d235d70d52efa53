/**
 * Initial schema: keystore, the account row, and the tables behind the Helia datastore/blockstore
 * and OrbitDB storage adapters. Groups and messages arrive in later migrations as new tables.
 *
 * Tables are STRICT so a wrong type from a bug is an error, not a silently coerced value.
 */
import type { Migration } from './types'

export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      -- Named secrets sealed with XSalsa20-Poly1305 under the wrapping key (keystore.ts).
      CREATE TABLE keystore (
        name       TEXT    NOT NULL PRIMARY KEY,
        sealed     BLOB    NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      -- The single local account (spec "Account Creation"). Only public keys live here; secret seeds
      -- are keystore entries. The public rendezvous seed is also a keystore entry, referenced by
      -- name so that renewing it is one row update; the previous seed stays until its grace period
      -- ends (PROTOCOL.md "Rendezvous point").
      CREATE TABLE account (
        id                   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        account_pk           BLOB    NOT NULL CHECK (length(account_pk) = 32),
        alias_pk             BLOB    NOT NULL CHECK (length(alias_pk) = 32),
        device_pk            BLOB    NOT NULL CHECK (length(device_pk) = 32),
        rdv_seed_ref         TEXT    NOT NULL REFERENCES keystore(name),
        rdv_seed_generation  INTEGER NOT NULL CHECK (rdv_seed_generation >= 0),
        rdv_prev_seed_ref    TEXT    REFERENCES keystore(name),
        rdv_prev_valid_until INTEGER,
        display_name         TEXT,
        created_at           INTEGER NOT NULL,
        CHECK ((rdv_prev_seed_ref IS NULL) = (rdv_prev_valid_until IS NULL))
      ) STRICT;
      -- Child-side indexes for the foreign keys: without them every keystore delete scans account.
      CREATE INDEX account_rdv_seed_ref ON account (rdv_seed_ref);
      CREATE INDEX account_rdv_prev_seed_ref ON account (rdv_prev_seed_ref);

      -- Helia datastore (interface-datastore). Keys are the raw Key bytes: a Key is a byte string,
      -- and byte order makes prefix queries a plain index range.
      CREATE TABLE kv (
        key   BLOB NOT NULL PRIMARY KEY,
        value BLOB NOT NULL
      ) STRICT;

      -- Helia blockstore (interface-blockstore). Keyed by multihash like every js-stores blockstore,
      -- so CIDv0/v1 or different codecs of the same bytes share one row; the CID last written is kept
      -- so getAll can return it.
      CREATE TABLE blocks (
        multihash BLOB    NOT NULL PRIMARY KEY,
        cid       BLOB    NOT NULL,
        bytes     BLOB    NOT NULL,
        size      INTEGER NOT NULL
      ) STRICT;

      -- OrbitDB storage (entries, heads, indexes), one namespace per storage instance. OrbitDB
      -- stores both bytes and JSON-able values (e.g. \`true\` in its entry index), so \`enc\` records
      -- which one a row holds: 0 = raw bytes, 1 = UTF-8 JSON.
      CREATE TABLE orbit_kv (
        namespace TEXT    NOT NULL,
        key       TEXT    NOT NULL,
        enc       INTEGER NOT NULL CHECK (enc IN (0, 1)),
        value     BLOB    NOT NULL,
        PRIMARY KEY (namespace, key)
      ) STRICT;
    `)
  }
}

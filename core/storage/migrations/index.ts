/**
 * The ordered list of schema migrations. To change the schema, add `NNNN-name.ts` exporting the next
 * version, append it here, and add its case to tests/unit/storage/migrations.test.ts.
 */
import { migration0001 } from './0001-initial'
import { migration0002 } from './0002-groups'
import { migration0003 } from './0003-handover'
import { migration0006 } from './0006-replication'
import { migration0008 } from './0008-entry-links'
import { migration0009 } from './0009-handover-floor'
import { migration0010 } from './0010-send-client-id'
import { migration0011 } from './0011-create-client-id'
import { migration0012 } from './0012-chain-skipped-keys'
import { migration0013 } from './0013-unreadable-key-gone'
import type { Migration } from './types'

export type { Migration } from './types'

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0006, migration0008, migration0009, migration0010, migration0011, migration0012, migration0013]

export const LATEST_SCHEMA_VERSION: number = MIGRATIONS.length

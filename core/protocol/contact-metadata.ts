/**
 * The app metadata a contact request carries (`ShareableContact.metadata`, and `own_metadata` in
 * `AccountContactRequestOutgoingEnqueued`): Berty Messenger's `ContactMetadata {display_name = 1}`
 * (berty/berty go/pkg/bertymessenger/api.go `ContactRequest`), so a Berty Messenger peer shows our name
 * and we show theirs.
 *
 * Claims: a name that breaks the one name rule (core/names.ts: length, control and bidi characters)
 * never comes out of `decodeContactMetadata`; it reads as no name at all. Decoding never throws.
 * Disclaims: a name is whatever the requester chose; it proves nothing (the fingerprint does).
 */
import { nameProblem } from '../names'
import { ContactMetadata } from './proto/messenger'
import { decodeWesh } from './wesh-codec'

/** A ContactMetadata is a name of at most 64 characters: far below this. */
const MAX_METADATA_BYTES = 1024

export function encodeContactMetadata(displayName: string | undefined): Uint8Array {
  const name = displayName?.trim() ?? ''
  if (name === '') return new Uint8Array(0)
  return ContactMetadata.encode({ displayName: name })
}

/** The display name in `metadata`, or undefined when there is none or it is not acceptable. */
export function decodeContactMetadata(metadata: Uint8Array | undefined): string | undefined {
  if (metadata === undefined || metadata.length === 0) return undefined
  try {
    const { displayName } = decodeWesh(ContactMetadata, metadata, { maxBytes: MAX_METADATA_BYTES, shape: { 1: 'string' } })
    const name = displayName.trim()
    return name !== '' && nameProblem(name) === undefined ? name : undefined
  } catch {
    return undefined
  }
}

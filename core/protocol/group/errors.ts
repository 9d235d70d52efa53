/**
 * Typed failures of the group protocol (STYLE.md "one error class per failure with a stable name").
 * Codes are stable strings callers switch on; messages name the field, never key material.
 */
export type GroupProtocolErrorCode =
  /** Structurally invalid input: wrong type, length, protobuf, enum value. */
  | 'ERR_MALFORMED'
  /** A signature does not verify under the key it claims. */
  | 'ERR_BAD_SIGNATURE'
  /** An AEAD box (group secret, message key, NaCl box) failed authentication. */
  | 'ERR_DECRYPT'
  /** The author device is not a member device of the group. */
  | 'ERR_UNKNOWN_DEVICE'
  /** A message counter is further ahead of the receiver chain than `maxSkip`. */
  | 'ERR_COUNTER_TOO_FAR'
  /** The message key for this counter was already used, evicted, or predates the chain (forward secrecy). */
  | 'ERR_KEY_USED'
  /** Input over a size cap. */
  | 'ERR_TOO_LARGE'
  /** The operation does not apply to this kind of group (e.g. an invitation for a contact group). */
  | 'ERR_WRONG_KIND'
  /** A device secret entry is addressed to another member. */
  | 'ERR_NOT_ADDRESSED'

export class GroupProtocolError extends Error {
  override readonly name = 'GroupProtocolError'
  readonly code: GroupProtocolErrorCode

  constructor(code: GroupProtocolErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** Every share-link failure; the message is safe to show to the user. */
export class InvitationError extends Error {
  override readonly name = 'InvitationError'
  readonly code = 'ERR_INVALID_INVITATION' as const

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

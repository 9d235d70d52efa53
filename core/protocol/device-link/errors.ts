/**
 * Device-linking failures (spec "Linking Devices"). Messages never carry key material: they are shown
 * to the user and logged.
 */
export type DeviceLinkErrorCode =
  /** Not a device-link invitation (form, encoding, protobuf, field lengths). */
  | 'ERR_LINK_INVALID'
  /** The invitation's expiry has passed. */
  | 'ERR_LINK_EXPIRED'
  /** The invitation is unknown to the inviter (already used, refused, or the inviter restarted). */
  | 'ERR_LINK_UNKNOWN'
  /** A frame failed to decode, open or verify. */
  | 'ERR_LINK_PROTOCOL'
  /** The challenge answer was wrong (tries may remain). */
  | 'ERR_LINK_WRONG_ANSWER'
  /** The other side refused or gave up, or the tries ran out. */
  | 'ERR_LINK_REFUSED'
  /** This node has an account already: one account per data directory. */
  | 'ERR_ACCOUNT_EXISTS'
  /** A link is already being made on this node. */
  | 'ERR_LINK_BUSY'
  /** The inviting device could not be reached or went away mid-link. */
  | 'ERR_LINK_UNREACHABLE'
  /** No linking session waits for this answer or confirmation. */
  | 'ERR_NO_SESSION'

export class DeviceLinkError extends Error {
  override readonly name = 'DeviceLinkError'
  readonly code: DeviceLinkErrorCode

  constructor(code: DeviceLinkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

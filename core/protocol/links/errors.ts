/**
 * Share-link failures (STYLE.md "one error class per failure with a stable name"). Messages name the part
 * of the link that is wrong, never its key material, so they are safe to show and to log.
 */
export type BertyLinkErrorCode =
  /** Empty input, or not a string. */
  | 'ERR_LINK_EMPTY'
  /** Over `MAX_LINK_LENGTH` characters. */
  | 'ERR_LINK_TOO_LARGE'
  /** Neither `https://berty.tech/id#…` nor `BERTY://PB/…` (any case), or too few path parts. */
  | 'ERR_LINK_FORMAT'
  /** The base58 / QR-alphabet payload or the `name=…` query does not decode. */
  | 'ERR_LINK_ENCODING'
  /** The payload is not a `BertyLink` protobuf. */
  | 'ERR_LINK_PROTO'
  /** A kind this client does not open (message references, unknown kinds, non multi-member groups). */
  | 'ERR_LINK_KIND'
  /** Passphrase-protected (`enc`) links: recognised, not supported yet. */
  | 'ERR_LINK_ENCRYPTED'
  /** A mandatory field is missing or has the wrong length. */
  | 'ERR_LINK_FIELD'

export class BertyLinkError extends Error {
  override readonly name = 'BertyLinkError'
  readonly code: BertyLinkErrorCode

  constructor(code: BertyLinkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

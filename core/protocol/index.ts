// Public surface of core/protocol for other layers: re-exports only.
export * from './links'
export { base64Std, publicRendezvousPoint, rendezvousDhtKey, type PublicRendezvousPoint } from './rendezvous'
export { DEFAULT_MAX_WESH_MESSAGE_BYTES, WeshDecodeError, decodeWesh, type DecodeWeshOptions } from './wesh-codec'
export { ProtoShapeError, assertProtoWellFormed, type ProtoShape } from './proto-check'
export {
  RENDEZVOUS_SEED_LENGTH,
  decodeContactFrame,
  encodeContactFrame,
  type ShareableContactData
} from './contact-request-contact'

/**
 * The contract's constants the renderer needs as values: size limits (the node enforces them, the
 * UI shows them before a call fails) and the error codes. The one file under core/api the renderer
 * may import by value (eslint.config.js); it imports nothing.
 */
export const MAX_TEXT_BYTES = 16 * 1024
export const MAX_NAME_CHARS = 64
export const MAX_URL_CHARS = 4096

/**
 * Error codes of the UI↔node API. Stable strings: the renderer switches on them, so never rename
 * one. Carried in `{ ok: false, error: { code, message } }` over IPC and as JSON-RPC error
 * `data.code` over WebSocket.
 */
export const ErrorCode = {
  INVALID_PARAMS: 'INVALID_PARAMS',
  UNKNOWN_METHOD: 'UNKNOWN_METHOD',
  UNAUTHORIZED: 'UNAUTHORIZED',
  NO_ACCOUNT: 'NO_ACCOUNT',
  ACCOUNT_EXISTS: 'ACCOUNT_EXISTS',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_INVITATION: 'INVALID_INVITATION',
  NETWORK: 'NETWORK',
  TIMEOUT: 'TIMEOUT',
  TOO_LARGE: 'TOO_LARGE',
  NOT_READY: 'NOT_READY',
  /** A replication server refused: over a quota (the message says which). */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** Contacts: a link to this account itself, an existing contact, a blocked account. */
  SELF_CONTACT: 'SELF_CONTACT',
  ALREADY_CONTACT: 'ALREADY_CONTACT',
  BLOCKED: 'BLOCKED',
  /** Device linking: the other device refused, the answer was wrong too often, or a fingerprint did not match. */
  LINK_REFUSED: 'LINK_REFUSED',
  /** This node is a replication device: it stores and serves its account's groups and can do nothing an account does. */
  REPLICA_DEVICE: 'REPLICA_DEVICE',
  /** The disk holding the node's data is full: nothing of the call was saved; free some space and try again. */
  DISK_FULL: 'DISK_FULL',
  /** The node could not start (the message says why: a full disk, another process on its data, damaged data…); final until restarted. */
  START_FAILED: 'START_FAILED',
  /** The node's database file is damaged where this call touched it (the message says what to do); the node runs on with what it can read. */
  DATA_DAMAGED: 'DATA_DAMAGED',
  INTERNAL: 'INTERNAL'
} as const

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

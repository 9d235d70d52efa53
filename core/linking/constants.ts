/** The device-linking stream protocol: this client's own (weshnet has no device-linking wire). */
export const DEVICE_LINK_PROTOCOL = '/berty-desktop/device-link/1.0.0'
/** Default lifetime of an invitation ("expire in minutes"). */
export const DEFAULT_INVITATION_TTL_MS = 10 * 60_000
export const MAX_INVITATION_TTL_MS = 30 * 60_000
/** Once a device claimed an invitation, the users have this long to pass the challenge. */
export const SESSION_TIMEOUT_MS = 5 * 60_000
/** Deadline of protocol reads that wait for no human (hello, done). */
export const PROTOCOL_READ_TIMEOUT_MS = 30_000
/** Wrong PINs / mismatched fingerprints before the invitation dies. */
export const MAX_TRIES = 3
/** Invitations alive at once on one node. */
export const MAX_OPEN_INVITATIONS = 4
/** How long a dead invitation is remembered, to tell a late device why it was refused. */
export const DEAD_INVITATION_MEMORY_MS = 60 * 60_000

/**
 * Device linking in the UI↔node contract (spec "Linking Devices"). Spread into `methods` / `events`
 * of contract.ts; names listed in channels-devices.ts. No event or result carries a secret: the PIN
 * is shown on A only (it is what B's user must type), fingerprints are of public device keys.
 */
import { z } from 'zod'
import { MAX_NAME_CHARS, MAX_URL_CHARS } from './constants'

const Key32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected a 32-byte key in base64url')
const empty = z.object({}).strict()
export const ChallengeKind = z.enum(['pin', 'qr', 'fingerprint'])
/** Upper-case hex in groups of four (typed or scanned input may use any case, spaces, dashes). */
const fingerprintText = z.string().min(1).max(80)

export const Device = z.object({
  /** The device's key in the account group (base64url). */
  devicePk: Key32,
  name: z.string().optional(),
  /** This very device. */
  current: z.boolean(),
  /** Unix ms: now when connected (or this device), else the last disconnection seen. */
  lastSeen: z.number().optional(),
  linkedAt: z.number().optional(),
  /** 'replica': a replication device (stores and serves the account's groups, cannot read them); default 'full'. */
  role: z.enum(['full', 'replica']).optional(),
  /**
   * This very device under the key it had before a database repair lost its sending keys (Unix ms of
   * the repair): still in the account's log (there is no removing a device), no longer in use.
   */
  replacedAt: z.number().optional()
})
export const LinkRoleSchema = z.enum(['full', 'replica'])

export const Challenge = z.object({
  kind: ChallengeKind,
  /** B: this device's fingerprint (shown as text and as the QR code B displays). */
  fingerprint: z.string(),
  /** Fingerprint challenge: B's fingerprint as A received it. */
  inviterSees: z.string().optional(),
  pinDigits: z.number().int().optional(),
  triesLeft: z.number().int().nonnegative()
})

export const deviceMethods = {
  /** Device A: a one-time invitation for a new device. */
  'device:invite': {
    params: z
      .object({
        /** The challenge to run; default PIN (no camera on most desktops); fingerprint only on explicit request. */
        challenge: ChallengeKind.optional(),
        ttlSeconds: z.number().int().min(10).max(1800).optional(),
        /** 'replica': link a replication device (it gets no secret); only then is a replica accepted. */
        role: LinkRoleSchema.optional()
      })
      .strict(),
    result: z.object({ link: z.string(), qr: z.string(), expiresAt: z.number() })
  },
  /** Device B (no account yet): reach A; resolves with the challenge to pass. */
  'device:link': {
    params: z
      .object({
        link: z.string().min(1).max(MAX_URL_CHARS),
        challenge: ChallengeKind.optional(),
        /** Scripted linking: accept the fingerprint challenge for this device fingerprint. */
        acceptFingerprint: fingerprintText.optional(),
        /** 'replica': link as a replication device (the node must run with --replica). */
        role: LinkRoleSchema.optional()
      })
      .strict(),
    result: Challenge
  },
  /** Device B: the PIN shown on A, or the confirmed fingerprint. */
  'device:challenge:answer': {
    params: z
      .object({ pin: z.string().min(1).max(32).optional(), fingerprint: fingerprintText.optional() })
      .strict()
      .refine((p) => (p.pin === undefined) !== (p.fingerprint === undefined), 'give either pin or fingerprint'),
    result: z.object({ linked: z.boolean(), triesLeft: z.number().int().nonnegative().optional() })
  },
  /** Device A: the fingerprint scanned or pasted from B (QR), or the confirmation of the fingerprint challenge. */
  'device:challenge:confirm': {
    params: z.object({ fingerprint: fingerprintText.optional() }).strict(),
    result: z.object({ ok: z.literal(true) })
  },
  /** Device B: give up the link in progress. */
  'device:link:cancel': {
    params: empty,
    result: z.object({ ok: z.literal(true) })
  },
  /** This device's fingerprint (B shows it before linking; scripts pass it to --accept-fingerprint). */
  'device:fingerprint': {
    params: empty,
    result: z.object({ fingerprint: z.string() })
  },
  'device:list': {
    params: empty,
    result: z.array(Device)
  },
  'device:rename': {
    params: z.object({ devicePk: Key32, name: z.string().trim().min(1).max(MAX_NAME_CHARS) }).strict(),
    result: Device
  }
} as const

export const deviceEvents = {
  /** Device A: show this challenge (the PIN to type on B, or B's fingerprint to compare / scan). */
  'device:challenge': z.object({
    kind: ChallengeKind,
    pin: z.string().optional(),
    fingerprint: z.string().optional(),
    deviceName: z.string(),
    triesLeft: z.number().int().nonnegative()
  }),
  /** Both devices: the link is made. */
  'device:linked': z.object({ side: z.enum(['inviter', 'joiner']), devicePk: Key32, name: z.string().optional() }),
  /** Both devices: a link attempt ended without linking (the reason is safe to show). */
  'device:failed': z.object({ side: z.enum(['inviter', 'joiner']), code: z.string(), message: z.string() })
} as const

export type DeviceT = z.output<typeof Device>
export type ChallengeT = z.output<typeof Challenge>

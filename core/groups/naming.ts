/** Names of a group's logs: the OrbitDB log id and the gossip topic that also keys sync streams. */
import { toHex } from '../bytes'
import { sha256 } from '../crypto'
import type { LogKind } from './types'

export function logIdFor(groupPk: Uint8Array, kind: LogKind): string {
  return `/berty/1/${toHex(groupPk)}/${kind}`
}

/** Topic for a log: a hash of the link key, so the topic names nothing about the group. */
export function topicFor(linkKey: Uint8Array, kind: LogKind): string {
  const tag = new TextEncoder().encode(`berty/topic/v1/${kind}`)
  const input = new Uint8Array(linkKey.length + tag.length)
  input.set(linkKey)
  input.set(tag, linkKey.length)
  return `/berty/log/1/${toHex(sha256(input))}`
}

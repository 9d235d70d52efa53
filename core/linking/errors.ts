/** Failures of a linking session as the API reports them (stable codes, messages safe to show). */
import { DeviceLinkError } from '../protocol/device-link'
import type { AnswerOutcome, JoinerSession } from './joiner'

/** QR: A's user may scan a wrong code and try again; B waits for each verdict until one links or refuses. */
export async function untilLinked(session: JoinerSession): Promise<AnswerOutcome> {
  for (;;) {
    const o = await session.awaitVerdict()
    if (o.linked) return o
  }
}

export function asLinkError(err: unknown): DeviceLinkError {
  if (err instanceof DeviceLinkError) return err
  const name = (err as { name?: string })?.name ?? 'error'
  // A frame that does not decode or open is the other side's fault; anything else is the stream's.
  if (name === 'WeshDecodeError' || name === 'CryptoError') return new DeviceLinkError('ERR_LINK_PROTOCOL', `the other device sent a malformed linking frame (${name})`)
  if (name === 'TimeoutError' || (err as { code?: string })?.code === 'ERR_TIMEOUT') {
    return new DeviceLinkError('ERR_LINK_UNREACHABLE', 'the linking session timed out')
  }
  return new DeviceLinkError('ERR_LINK_UNREACHABLE', 'the other device went away before the link was made')
}

import { ApiError, ErrorCode } from '../api/errors'
import { GroupsError } from '../groups/groups'
import { GroupProtocolError, InvitationError } from '../protocol/group'
import { StorageError } from '../storage'

/** Domain errors → API codes; anything else stays internal. */
export function mapError(err: unknown): unknown {
  if (err instanceof ApiError) return err
  if (err instanceof InvitationError) return new ApiError(ErrorCode.INVALID_INVITATION, err.message)
  if (err instanceof GroupsError) {
    switch (err.code) {
      case 'ERR_NOT_FOUND':
        return new ApiError(ErrorCode.NOT_FOUND, err.message)
      case 'ERR_NO_ACCOUNT':
        return new ApiError(ErrorCode.NO_ACCOUNT, err.message)
      case 'ERR_CLOSED':
        return new ApiError(ErrorCode.NOT_READY, err.message)
      default:
        return new ApiError(ErrorCode.INVALID_PARAMS, err.message)
    }
  }
  if (err instanceof GroupProtocolError) {
    if (err.code === 'ERR_BAD_SIGNATURE') return new ApiError(ErrorCode.INVALID_INVITATION, 'the invitation does not verify')
    if (err.code === 'ERR_TOO_LARGE') return new ApiError(ErrorCode.TOO_LARGE, err.message)
    return new ApiError(ErrorCode.INVALID_PARAMS, err.message)
  }
  if (err instanceof StorageError) {
    if (err.code === 'ERR_BAD_INPUT' || err.code === 'ERR_TOO_LARGE') return new ApiError(ErrorCode.INVALID_PARAMS, err.message)
  }
  return err
}


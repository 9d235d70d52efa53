export type GroupsErrorCode = 'ERR_NOT_FOUND' | 'ERR_NOT_MEMBER' | 'ERR_EXISTS' | 'ERR_NO_ACCOUNT' | 'ERR_INVALID' | 'ERR_CLOSED'

export class GroupsError extends Error {
  override readonly name = 'GroupsError'
  constructor(
    readonly code: GroupsErrorCode,
    message: string
  ) {
    super(message)
  }
}

/** An error as one log-safe line: name, code, message (never a stack or a payload). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}${'code' in err ? ` ${String((err as { code: unknown }).code)}` : ''}: ${err.message}`
  return String(err)
}

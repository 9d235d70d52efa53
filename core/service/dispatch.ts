/**
 * The one place where an API call from outside the node (IPC or WebSocket) becomes a
 * handler call: the method name is checked against the contract, params are parsed with
 * the contract's schema (unknown keys rejected, sizes capped), and every outcome becomes an
 * envelope. Internal errors are reported by code with a generic message: details go to
 * the node's log, never to the caller, and never include secrets.
 */
import { ZodError, type z } from 'zod'
import { METHOD_NAMES, type MethodName } from '../api/channels'
import { methods, type Result } from '../api/contract'
import { ApiError, ErrorCode, type Envelope } from '../api/errors'
import type { Logger } from '../log'
import { isDiskFull } from '../storage'

export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>

export interface CallContext {
  /** Which carrier delivered the call, for logs. */
  carrier: 'ipc' | 'ws' | 'internal'
  signal?: AbortSignal
}

export type ApiHandlers = {
  [M in MethodName]: (params: ParsedParams<M>, ctx: CallContext) => Promise<Result<M>>
}

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && (METHOD_NAMES as readonly string[]).includes(value)
}

function describeZodError(err: ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ')
}

export function toApiError(err: unknown, log?: Logger, method?: string): ApiError {
  if (err instanceof ApiError) return err
  if (err instanceof ZodError) return new ApiError(ErrorCode.INVALID_PARAMS, describeZodError(err))
  if (err instanceof Error && err.name === 'AbortError') return new ApiError(ErrorCode.TIMEOUT, 'the operation was aborted')
  if (isDiskFull(err)) {
    log?.('error', 'api call failed: the disk is full', { method })
    return new ApiError(ErrorCode.DISK_FULL, "the disk is full: nothing was saved; free some space on the disk holding the node's data, then try again")
  }
  log?.('error', 'api handler failed', {
    method,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  })
  return new ApiError(ErrorCode.INTERNAL, 'internal error (see the node log)')
}

export class Dispatcher {
  constructor(
    private readonly handlers: ApiHandlers,
    private readonly log?: Logger
  ) {}

  async call(method: unknown, rawParams: unknown, ctx: CallContext): Promise<Envelope<unknown>> {
    try {
      return { ok: true, value: await this.invoke(method, rawParams, ctx) }
    } catch (err) {
      return { ok: false, error: toApiError(err, this.log, typeof method === 'string' ? method : undefined).toJSON() }
    }
  }

  /** Like `call` but throws ApiError; for carriers that map errors themselves. */
  async invoke(method: unknown, rawParams: unknown, ctx: CallContext): Promise<unknown> {
    if (!isMethodName(method)) {
      throw new ApiError(ErrorCode.UNKNOWN_METHOD, `unknown method ${JSON.stringify(String(method).slice(0, 64))}`)
    }
    const parsed = methods[method].params.safeParse(rawParams ?? {})
    if (!parsed.success) throw new ApiError(ErrorCode.INVALID_PARAMS, describeZodError(parsed.error))
    const handler = this.handlers[method] as (p: unknown, c: CallContext) => Promise<unknown>
    return await handler(parsed.data, ctx)
  }
}

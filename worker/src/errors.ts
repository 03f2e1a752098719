import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ErrorBody } from '../../sdk/protocol.ts'

/** A request the client got wrong: becomes a 4xx with an `{ error }` body. */
export class RequestError extends Error {
  readonly status: ContentfulStatusCode
  readonly code: string
  readonly field: string | undefined
  readonly headers: Record<string, string>

  constructor(status: ContentfulStatusCode, code: string, message: string, field?: string, headers: Record<string, string> = {}) {
    super(message)
    this.status = status
    this.code = code
    this.field = field
    this.headers = headers
  }

  get body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } }
  }
}

/** Sends an error body with its status and headers. */
export function errorResponse(c: Context, error: RequestError): Response {
  return c.json(error.body, error.status, error.headers)
}

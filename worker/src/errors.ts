import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ErrorBody } from '../../sdk/protocol.ts'

/** A request the client got wrong: becomes a 4xx with an `{ error }` body. */
export class RequestError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }

  get body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } }
  }
}

/** Sends an error body with its status and headers. */
export function errorResponse(c: Context, error: RequestError): Response {
  return c.json(error.body, error.status, error.headers)
}

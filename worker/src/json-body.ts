import { RequestError } from './errors.ts'

/** An operator request's JSON body; anything else is a 400 that says so. */
export async function readJsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json()
  } catch {
    throw new RequestError(400, 'invalid_json', 'the body is not valid JSON')
  }
}

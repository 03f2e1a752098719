import type { FatigueRequest, FatigueResult } from './protocol.ts'
import { postJson, withTimeout } from './request.ts'

/** A card waits no longer for the worker's word: the visitor is on the page now. */
const FATIGUE_TIMEOUT_MS = 3000

/**
 * Asks the worker whether an identified user may be asked a survey now: it has seen what this
 * browser cannot, the user's other devices and survey links. Sent like an answer (text/plain
 * JSON, no preflight). When the worker cannot say (offline, timeout, an error), the answer is
 * yes: this browser's own rules have already passed, and a lost card costs more than a rare repeat.
 */
export async function mayAsk(endpoint: string, request: FatigueRequest): Promise<FatigueResult> {
  try {
    return await withTimeout(async (signal) => {
      const reply = await postJson(`${endpoint}/v1/fatigue`, JSON.stringify(request), signal)
      const result = (await reply.json()) as FatigueResult
      return reply.ok && result.ask === false ? result : { ask: true }
    }, FATIGUE_TIMEOUT_MS)
  } catch {
    return { ask: true }
  }
}

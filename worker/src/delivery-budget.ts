/**
 * What one Worker invocation may still spend on deliveries. An invocation may make 1,000
 * subrequests on Workers Paid (50 on Free), and D1 counts its queries against that limit; a
 * run that flushes many webhooks has to stop short of it and leave the rest for the next run.
 * Counted here: every D1 statement (each statement of a batch on its own, stricter than D1),
 * every post to a receiver or email sent, every message put on the queue.
 */
export interface CallBudget {
  left: number
}

/** Sets `calls` aside for work about to start; false, with nothing set aside, when fewer are left. */
export function take(budget: CallBudget | undefined, calls: number): boolean {
  if (!budget) return true
  if (calls > budget.left) return false
  budget.left -= calls
  return true
}

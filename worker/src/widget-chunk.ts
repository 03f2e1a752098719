import type { WidgetChunk } from '../../sdk/protocol.ts'

/** Written by the widget build beside the hashed card (vite.config.ts, `WIDGET_ASSET`). */
const WIDGET_ASSET = 'https://assets.invalid/widget.json'

let known: Promise<WidgetChunk> | undefined

/**
 * The card this deployment serves, as the build recorded it: its content-hashed file and its
 * contract version. Read once per isolate: a deployment's assets never change under its code.
 */
export function widgetChunk(assets: Fetcher): Promise<WidgetChunk> {
  known ??= assets.fetch(WIDGET_ASSET).then(
    async (reply) => {
      if (!reply.ok) throw new Error(`the assets hold no widget.json (HTTP ${reply.status}): run npm run build before starting or deploying the worker`)
      return reply.json<WidgetChunk>()
    },
  ).catch((error: unknown) => {
    // Read again next time: a failed read is not the deployment's answer.
    known = undefined
    throw error
  })
  return known
}

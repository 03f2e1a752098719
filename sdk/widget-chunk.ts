import type { WidgetChunk } from './protocol.ts'
import { WIDGET_CONTRACT } from './widget-contract.ts'

/**
 * Where to import the card the site config names. The name is content-hashed, so a browser's
 * cached copy is always the card of the release that named it. A card that speaks another
 * contract version than this SDK (the package upgraded before or after the worker) is refused:
 * no card is better than one that misreads its props.
 */
export function widgetUrl(endpoint: string, chunk: WidgetChunk | undefined): string {
  if (chunk?.contract !== WIDGET_CONTRACT) throw new Error(`widget contract ${chunk?.contract}, SDK's ${WIDGET_CONTRACT}: deploy worker and SDK together`)
  return `${endpoint}/${chunk.url}`
}

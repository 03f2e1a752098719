import { createHearken, type Hearken } from './hearken.ts'

/**
 * The script-tag entry (`/hearken.js`). The page's stub queues calls as
 * `hearken('checkpoint', name, props)` before this file arrives; we replay them,
 * then replace the stub so later calls run at once.
 */
type Command = [verb: string, ...args: unknown[]]
type Stub = ((...command: Command) => void) & { q?: ArrayLike<unknown>[] }

declare global {
  interface Window {
    hearken?: Stub
  }
}

const script = document.currentScript as HTMLScriptElement | null
const site = script?.dataset.site

if (script && site) {
  const instance: Hearken = createHearken({
    site,
    endpoint: script.dataset.endpoint ?? new URL(script.src).origin,
    locale: script.dataset.locale,
  })
  const run = ([verb, ...args]: Command): void => {
    if (verb === 'checkpoint') void instance.checkpoint(args[0] as string, args[1] as Record<string, string>)
    else if (verb === 'on') instance.on(args[0] as 'show', args[1] as () => void)
    else console.warn('[hearken] unknown command', verb)
  }
  const queued = window.hearken?.q ?? []
  window.hearken = (...command) => run(command)
  for (const command of Array.from(queued)) run(Array.from(command) as Command)
} else {
  console.warn('[hearken] the script tag needs data-site="pk_…"')
}

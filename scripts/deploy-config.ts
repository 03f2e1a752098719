/**
 * The configuration `npm run deploy` hands to wrangler, derived from worker/wrangler.jsonc
 * (which stays as checked in): the D1 database's real id, the staged assets without the demo
 * pages, and PUBLIC_URL.
 */
import { relative } from 'node:path'
import ts from 'typescript'

/** The secrets the worker reads (worker/src/env.ts); deploy makes each one it does not have yet. */
export const SECRETS = ['ADMIN_TOKEN', 'SESSION_SECRET', 'LINK_SECRET'] as const

/** The parts of wrangler.jsonc that deploy reads or rewrites; the rest is passed through. */
export interface WranglerConfig {
  name: string
  main: string
  assets?: { directory: string; [key: string]: unknown }
  d1_databases: { binding: string; database_name: string; database_id: string; migrations_dir?: string }[]
  queues?: { producers?: { queue: string }[]; consumers?: { queue: string; dead_letter_queue?: string }[] }
  vars?: Record<string, string>
  [key: string]: unknown
}

/** wrangler.jsonc's text as an object: JSON with comments and trailing commas, read by TypeScript's own parser. */
export function parseJsonc(file: string, text: string): unknown {
  const { config, error } = ts.parseConfigFileTextToJson(file, text)
  if (error) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`)
  return config
}

/** Every queue the worker produces to or consumes from, dead-letter queues included. */
export function queueNames(config: WranglerConfig): string[] {
  const { producers = [], consumers = [] } = config.queues ?? {}
  const names = [...producers.map((producer) => producer.queue), ...consumers.flatMap((consumer) => [consumer.queue, consumer.dead_letter_queue ?? []].flat())]
  return [...new Set(names)]
}

/**
 * The deploy configuration, written to `to` (a file in the deploy folder): paths made relative
 * to it, assets from `assets`, the database id and PUBLIC_URL filled in.
 */
export function deployConfig(
  source: WranglerConfig,
  where: { from: string; to: string; assets: string },
  values: { databaseId: string; publicUrl: string },
): WranglerConfig {
  const path = (file: string) => relative(where.to, `${where.from}/${file}`) || '.'
  const { $schema: _schema, ...config } = source
  return {
    ...config,
    main: path(source.main),
    ...(source.assets && { assets: { ...source.assets, directory: relative(where.to, where.assets) || '.' } }),
    d1_databases: source.d1_databases.map((database, index) => ({
      ...database,
      ...(index === 0 && { database_id: values.databaseId }),
      ...(database.migrations_dir && { migrations_dir: path(database.migrations_dir) }),
    })),
    vars: { ...source.vars, PUBLIC_URL: values.publicUrl },
  }
}

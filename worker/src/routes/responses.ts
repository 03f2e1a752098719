import { Hono } from 'hono'
import { RequestError } from '../errors.ts'
import { csvFilename, responsesCsv } from '../exports.ts'
import { decodeCursor, listContext, listResponses, parseResponseFilter } from '../responses.ts'
import { loadSite, operatorAuth, type SiteEnv } from './middleware.ts'

/**
 * `GET /v1/sites/:site/responses?format=json|csv`: the operator's view of stored answers,
 * filtered, newest first; JSON in pages with a cursor, CSV streamed whole. (Answers come in
 * through the public `POST /v1/responses`, in ingest-responses.ts.)
 */
export const responseRoutes = new Hono<SiteEnv>()

responseRoutes.get('/:site/responses', loadSite, operatorAuth, async (c) => {
  const params = new URL(c.req.url).searchParams
  const format = params.get('format') ?? 'json'
  if (format !== 'json' && format !== 'csv') throw new RequestError(400, 'invalid_field', 'format must be json or csv', 'format')
  const filter = parseResponseFilter(params)
  const context = await listContext(c.env.DB, c.var.site)
  c.header('cache-control', 'no-store')
  if (format === 'csv') {
    // The file is named from ids this site has, never from what the query says.
    if (filter.survey !== undefined && !context.types.has(filter.survey)) throw new RequestError(404, 'unknown_survey', 'survey is not a survey of this site', 'survey')
    const name = csvFilename([c.var.site.id, filter.survey ?? 'all'])
    return c.body(await responsesCsv(c.env.DB, c.var.site.id, context, filter), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
    })
  }
  const limit = Number(params.get('limit') ?? 100)
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RequestError(400, 'invalid_field', 'limit must be from 1 to 1000', 'limit')
  const cursor = params.get('cursor')
  return c.json(await listResponses(c.env.DB, c.var.site.id, context, filter, limit, cursor ? decodeCursor(cursor) : undefined))
})

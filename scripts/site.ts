/**
 * `npm run site -- <command>`: manage sites and surveys through the operator API.
 * HEARKEN_URL picks the worker (default http://127.0.0.1:8787); HEARKEN_TOKEN is the site's
 * operator token, HEARKEN_ADMIN_TOKEN the admin token that creates sites.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

const usage = `usage: npm run site -- <command> [options]

  create <site> --name <name> --origin <origin>… [--timezone <zone>]   (admin token)
  show <site>                         the site's settings
  update <site> <site.json>           replace name, origins, timezone, settings
  rotate-token <site>                 a new operator token; the old one stops working
  delete <site>                       the site and all its data
  surveys <site>                      every survey, in full
  put-survey <site> <survey.json>     create or replace a survey (its "id" names it)
  delete-survey <site> <survey>       a survey and its answers
  stats <site> <survey> [--from D] [--to D] [--interval day|week|month] [--compare]
  export <site> [--survey S] [--from D] [--to D] [--format csv|json]   to standard output
  erase <site> <person>               a visitor's or user's answers, everywhere

environment: HEARKEN_URL (default http://127.0.0.1:8787), HEARKEN_TOKEN, HEARKEN_ADMIN_TOKEN`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    origin: { type: 'string', multiple: true },
    timezone: { type: 'string' },
    survey: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    interval: { type: 'string' },
    compare: { type: 'boolean' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})

const base = (process.env.HEARKEN_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '')
const [command, site, argument] = positionals

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

function token(admin = false): string {
  const value = admin ? process.env.HEARKEN_ADMIN_TOKEN : (process.env.HEARKEN_TOKEN ?? process.env.HEARKEN_ADMIN_TOKEN)
  return value ?? fail(`set ${admin ? 'HEARKEN_ADMIN_TOKEN' : 'HEARKEN_TOKEN'} first`)
}

async function api(method: string, path: string, options: { body?: unknown; admin?: boolean; raw?: boolean } = {}): Promise<void> {
  const reply = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token(options.admin)}`, ...(options.body ? { 'content-type': 'application/json' } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const text = await reply.text()
  if (!reply.ok) fail(`${method} ${path}: ${reply.status} ${text}`)
  if (options.raw) process.stdout.write(text)
  else if (text) console.log(JSON.stringify(JSON.parse(text), null, 2))
}

const readJson = (file: string | undefined): Record<string, unknown> =>
  JSON.parse(readFileSync(file ?? fail(usage), 'utf8')) as Record<string, unknown>

const query = (entries: Record<string, string | boolean | undefined>): string => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(entries)) {
    if (value === true) params.set(key, key === 'compare' ? 'previous' : 'true')
    else if (typeof value === 'string') params.set(key, value)
  }
  return params.size ? `?${params}` : ''
}

if (values.help || !command) fail(usage)
if (!site) fail(usage)
const sitePath = `/v1/sites/${encodeURIComponent(site)}`

switch (command) {
  case 'create':
    if (!values.name || !values.origin?.length) fail('create needs --name and at least one --origin')
    await api('PUT', sitePath, { admin: true, body: { name: values.name, origins: values.origin, timezone: values.timezone } })
    console.error('Keep the operatorToken above: it is shown only this once.')
    break
  case 'show':
    await api('GET', sitePath)
    break
  case 'update':
    await api('PUT', sitePath, { body: readJson(argument) })
    break
  case 'rotate-token':
    await api('POST', `${sitePath}/token`)
    break
  case 'delete':
    await api('DELETE', sitePath)
    break
  case 'surveys':
    await api('GET', `${sitePath}/surveys`)
    break
  case 'put-survey': {
    const survey = readJson(argument)
    if (typeof survey.id !== 'string') fail('the survey file needs an "id"')
    await api('PUT', `${sitePath}/surveys/${encodeURIComponent(survey.id)}`, { body: survey })
    break
  }
  case 'delete-survey':
    await api('DELETE', `${sitePath}/surveys/${encodeURIComponent(argument ?? fail(usage))}`)
    break
  case 'stats':
    await api('GET', `${sitePath}/stats${query({ survey: argument ?? fail(usage), from: values.from, to: values.to, interval: values.interval, compare: values.compare })}`)
    break
  case 'export':
    await api('GET', `${sitePath}/responses${query({ format: values.format ?? 'csv', survey: values.survey, from: values.from, to: values.to })}`, { raw: true })
    break
  case 'erase':
    await api('DELETE', `${sitePath}/people/${encodeURIComponent(argument ?? fail(usage))}`)
    break
  default:
    fail(usage)
}

/**
 * `npm run site -- <command>`: manage sites and surveys through the operator API.
 * HEARKEN_URL picks the worker (default http://127.0.0.1:8787); HEARKEN_TOKEN is the site's
 * operator token, HEARKEN_ADMIN_TOKEN the admin token that creates sites.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { STARTER_SURVEY, snippet, starterSurvey } from './site-init.ts'

const usage = `usage: npm run site -- <command> [options]

  init <site> --origin <origin>… [--name <name>] [--timezone <zone>] [--checkpoint <name>]
                                      a new site with a first NPS survey, and its snippet (admin token)
  create <site> --name <name> --origin <origin>… [--timezone <zone>]   a bare site (admin token)
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
    checkpoint: { type: 'string' },
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

/** One call to the operator API; a 4xx or 5xx ends the command with the worker's answer. */
async function call(method: string, path: string, options: { body?: unknown; admin?: boolean; allow404?: boolean } = {}): Promise<{ status: number; text: string }> {
  let reply: Response
  try {
    reply = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token(options.admin)}`, ...(options.body ? { 'content-type': 'application/json' } : {}) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    })
  } catch (error) {
    return fail(`cannot reach ${base} (${error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)}): is the worker running, and HEARKEN_URL right?`)
  }
  const text = await reply.text()
  if (!reply.ok && !(options.allow404 && reply.status === 404)) fail(`${method} ${path}: ${reply.status} ${text}`)
  return { status: reply.status, text }
}

/** Calls the API and prints its answer: JSON indented, or `raw` as it came. */
async function api(method: string, path: string, options: { body?: unknown; admin?: boolean; raw?: boolean } = {}): Promise<void> {
  const { text } = await call(method, path, options)
  if (options.raw) process.stdout.write(text)
  else if (text) console.log(JSON.stringify(JSON.parse(text), null, 2))
}

/** Creates the site (admin token) and prints its operator token before anything else, since it is shown only once. */
async function createSite(name: string, origins: string[]): Promise<string> {
  // PUT with the admin token would also change an existing site: refuse instead.
  if ((await call('GET', sitePath, { admin: true, allow404: true })).status !== 404) {
    fail(`${site} exists already: see it with \`npm run site -- show ${site}\`, change it with \`update\`, or pick another key`)
  }
  const { text } = await call('PUT', sitePath, { admin: true, body: { name, origins, timezone: values.timezone } })
  const { operatorToken } = JSON.parse(text) as { operatorToken: string }
  console.log(`Operator token for ${site} (shown only now, keep it): ${operatorToken}\n  export HEARKEN_TOKEN=${operatorToken}\n`)
  return operatorToken
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
  case 'init': {
    if (!values.origin?.length) fail('init needs at least one --origin: where your pages or app run, e.g. --origin https://shop.example.com')
    const first = values.origin[0]!
    const name = values.name ?? (URL.canParse(first) ? new URL(first).hostname : site)
    const checkpoint = values.checkpoint ?? 'order_completed'
    const operatorToken = await createSite(name, values.origin)
    process.env.HEARKEN_TOKEN = operatorToken
    await call('PUT', `${sitePath}/surveys/${STARTER_SURVEY}`, { body: starterSurvey(name, checkpoint) })
    console.log(`Site ${site} (${name}) takes answers from ${values.origin.join(', ')}; its survey ${STARTER_SURVEY} asks NPS at the checkpoint ${checkpoint}.

${snippet(base, site, checkpoint)}

Answers: ${base}/dashboard (sign in with ${site} and the token above); change the survey with put-survey.`)
    break
  }
  case 'create':
    if (!values.name || !values.origin?.length) fail('create needs --name and at least one --origin')
    await createSite(values.name, values.origin)
    console.log(`Site ${site} (${values.name}) takes answers from ${values.origin.join(', ')}; add a survey with put-survey.`)
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

/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import { dashboardUrl } from './filters.ts'
import { LANGS, messagesFor, type Lang } from './i18n.ts'

const LANG_LABELS: Record<Lang, string> = { en: 'English', 'zh-CN': '简体中文' }

/** The language switch: the same page in each language, as plain links. */
function LanguageSwitch({ lang, query }: { lang: Lang; query: Record<string, string | undefined> }) {
  return (
    <nav aria-label={messagesFor(lang).switchLanguage}>
      <ul class="langs">
        {LANGS.map((other) => (
          <li>
            <a href={dashboardUrl('/dashboard', { ...query, lang: other })} lang={other} hreflang={other} aria-current={other === lang ? 'true' : undefined}>
              {LANG_LABELS[other]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

/** Every dashboard page: head, the bar with the site, the language switch and sign-out, then the content. */
export function Layout(props: { lang: Lang; title: string; query?: Record<string, string | undefined>; siteName?: string; children: Child }) {
  const t = messagesFor(props.lang)
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/dashboard/dashboard.css" />
      </head>
      <body>
        <a class="skip" href="#content">
          {t.skipToContent}
        </a>
        <header class="top">
          <h1>{props.siteName ? `${t.title} · ${props.siteName}` : t.title}</h1>
          <LanguageSwitch lang={props.lang} query={props.query ?? {}} />
          {props.siteName && (
            <form method="post" action={dashboardUrl('/dashboard/sign-out', { lang: props.lang })}>
              <button type="submit" class="secondary">
                {t.signOut}
              </button>
            </form>
          )}
        </header>
        <main id="content" tabindex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  )
}

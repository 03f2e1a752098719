/** @jsxImportSource hono/jsx */
import { Layout } from './layout.tsx'
import { messagesFor, type Lang } from './i18n.ts'

/** The sign-in form, with the reason the operator is here again when there is one. */
export function SignInPage({ lang, site, problem }: { lang: Lang; site?: string; problem?: string }) {
  const t = messagesFor(lang)
  return (
    <Layout lang={lang} title={`${t.signInTitle} · ${t.title}`}>
      <section class="sign-in" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t.signInTitle}</h2>
        {problem && (
          <p class="message error" role="alert">
            {problem}
          </p>
        )}
        <p class="muted">{t.signInIntro}</p>
        <form method="post" action={`/dashboard/sign-in?lang=${lang}`}>
              <div>
            <label for="site">{t.siteKey}</label>
            <input id="site" name="site" required autocomplete="username" placeholder="pk_…" value={site ?? ''} spellcheck={false} autocapitalize="off" />
          </div>
          <div>
            <label for="token">{t.token}</label>
            <input id="token" name="token" type="password" required autocomplete="current-password" />
          </div>
          <div>
            <button type="submit">{t.signIn}</button>
          </div>
        </form>
      </section>
    </Layout>
  )
}

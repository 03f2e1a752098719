/** @jsxImportSource hono/jsx */
import { messagesFor, type Lang } from './i18n.ts'

/** A textarea holding the site's tag rules, one a line, saved with a POST. */
export function TagRulesEditor({ lang, text, back, open }: { lang: Lang; text: string; back: string; open?: boolean }) {
  const t = messagesFor(lang)
  return (
    <section aria-labelledby="tag-rules-title">
      <details open={open}>
        <summary>
          <h2 id="tag-rules-title">
            {t.tagRules}
          </h2>
        </summary>
        <form method="post" action={`/dashboard/tag-rules?lang=${lang}`}>
              <input type="hidden" name="back" value={back} />
          <p class="muted" id="tag-rules-help">
            {t.tagRulesHelp}
          </p>
          <label for="tag-rules">{t.tagRules}</label>
          <textarea id="tag-rules" name="rules" rows={10} aria-describedby="tag-rules-help" spellcheck={false}>
            {text}
          </textarea>
          <p>
            <button type="submit">{t.saveTagRules}</button>
          </p>
        </form>
      </details>
    </section>
  )
}

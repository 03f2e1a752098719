import { whenNegatedValues, type TagRule } from '../tags.ts'

/**
 * Tag rules as the editor shows them: `tag: word, word` a line, and `tag (only): word` when the
 * rule says what a negation does (flip, count, skip, only), so saving the text keeps it.
 */
export function formatTagRules(rules: readonly TagRule[]): string {
  return rules.map((rule) => `${rule.tag}${rule.whenNegated ? ` (${rule.whenNegated})` : ''}: ${rule.keywords.join(', ')}`).join('\n')
}

/**
 * Reads the editor's text back into rules. Chinese punctuation (：，、（）) is accepted, since
 * operators typing Chinese keywords will often use it; blank lines are skipped. A line that is
 * not `tag: words` or `tag (flip|count|skip|only): words` is refused by its number.
 */
export function parseTagRulesText(text: string): { rules: TagRule[] } | { badLine: number } {
  const rules: TagRule[] = []
  const lines = text.split(/\r?\n/)
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue
    const match = /^([^:：(（]+)(?:[(（]\s*([^)）]*?)\s*[)）])?\s*[:：](.*)$/.exec(line)
    const tag = match?.[1]?.trim()
    const whenNegated = match?.[2]
    const keywords = (match?.[3] ?? '').split(/[,，、]/).map((keyword) => keyword.trim()).filter(Boolean)
    if (!tag || keywords.length === 0) return { badLine: index + 1 }
    if (whenNegated === undefined) rules.push({ tag, keywords })
    else if ((whenNegatedValues as string[]).includes(whenNegated)) rules.push({ tag, keywords, whenNegated: whenNegated as TagRule['whenNegated'] })
    else return { badLine: index + 1 }
  }
  return { rules }
}

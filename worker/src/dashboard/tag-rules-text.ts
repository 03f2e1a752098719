import type { TagRule } from '../tags.ts'

/** Tag rules as the editor shows them: `tag: keyword, keyword` a line. */
export function formatTagRules(rules: TagRule[]): string {
  return rules.map((rule) => `${rule.tag}: ${rule.keywords.join(', ')}`).join('\n')
}

/**
 * Reads the editor's text back into rules. Chinese punctuation (：，、) is accepted, since
 * operators typing Chinese keywords will often use it; blank lines are skipped.
 */
export function parseTagRulesText(text: string): { rules: TagRule[] } | { badLine: number } {
  const rules: TagRule[] = []
  const lines = text.split(/\r?\n/)
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue
    const match = /^([^:：]+)[:：](.*)$/.exec(line)
    const tag = match?.[1]?.trim()
    const keywords = (match?.[2] ?? '').split(/[,，、]/).map((keyword) => keyword.trim()).filter(Boolean)
    if (!tag || keywords.length === 0) return { badLine: index + 1 }
    rules.push({ tag, keywords })
  }
  return { rules }
}

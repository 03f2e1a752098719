/**
 * The HTML part of an email: a small page with inline styles only (mail clients drop style
 * sheets and scripts), every piece of text escaped by the caller with {@link escapeHtml}.
 */

export const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')

const FONT = 'font-family:system-ui,-apple-system,&quot;Segoe UI&quot;,&quot;PingFang SC&quot;,&quot;Microsoft YaHei&quot;,sans-serif'

/** A whole HTML document around `body` (already escaped), in language `lang`. */
export const emailPage = (lang: string, title: string, body: string): string =>
  `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:16px;background:#f5f6f8;color:#1f2430;${FONT};font-size:15px;line-height:1.5">
<div style="max-width:680px;margin:0 auto;background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:16px">
${body}
</div></body></html>`

/**
 * The dashboard's one stylesheet, served from `/dashboard/dashboard.css` so the pages need no
 * inline styles and the CSP can say `style-src 'self'`. Mobile first: one column at 320 px.
 */
export const DASHBOARD_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2430;background:#f5f6f8}
a{color:#1d4ed8}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:8px}
.skip:focus{left:8px;z-index:10}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header.top{display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between;padding:10px 14px;background:#1f2430;color:#fff}
header.top a{color:#fff}
header.top h1{font-size:17px;margin:0}
header.top form{margin:0}
.langs{display:flex;gap:10px;list-style:none;margin:0;padding:0}
.langs [aria-current]{font-weight:700;text-decoration:none}
main{max-width:1100px;margin:0 auto;padding:12px}
section,.card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px;margin:0 0 12px}
h2{font-size:17px;margin:0 0 8px}
h3{font-size:15px;margin:0 0 6px}
.grid{display:grid;gap:12px;grid-template-columns:1fr}
@media (min-width:640px){.grid{grid-template-columns:repeat(2,1fr)}}
@media (min-width:960px){.grid.four{grid-template-columns:repeat(4,1fr)}}
.grid>.card{margin:0}
/* Grid items default to min-width:auto and would grow to their widest select or table. */
.grid>*,form.filters>*,form.follow-up>*{min-width:0}
.figure{font-size:28px;font-weight:700;line-height:1.2}
.muted{color:#5b6475;font-size:13px}
.good{color:#15803d}.bad{color:#b91c1c}
form.filters{display:grid;gap:8px;grid-template-columns:1fr}
@media (min-width:640px){form.filters{grid-template-columns:repeat(4,1fr)}}
label{display:block;font-size:13px;font-weight:600}
.check{display:flex;gap:6px;align-items:center}
.check input{width:auto}
.check label{display:inline;font-weight:400}
form.filters p{margin:2px 0 0}
input,select,textarea,button{font:inherit;max-width:100%}
input,select,textarea{width:100%;padding:6px 8px;border:1px solid #9aa3b2;border-radius:6px;background:#fff;color:inherit}
textarea{min-height:4.5em}
button,.button{display:inline-block;padding:7px 14px;border:1px solid #1d4ed8;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:#1d4ed8}
.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:end}
.message{padding:10px 12px;border-radius:6px;margin:0 0 12px;background:#ecfdf5;border:1px solid #86efac}
.message.error{background:#fef2f2;border-color:#fca5a5}
svg{display:block;width:100%;height:auto;max-width:100%}
.chart{margin:4px 0 8px}
.chart-plot{display:grid;grid-template-columns:auto minmax(0,1fr);column-gap:8px}
.chart svg{height:180px}
.chart svg.bars{height:140px}
.y-ticks{display:flex;flex-direction:column;justify-content:space-between;list-style:none;margin:-0.5em 0;padding:0;font-size:12px;line-height:1;color:#5b6475;text-align:right;font-variant-numeric:tabular-nums}
.x-ticks{grid-column:2;display:flex;justify-content:space-between;gap:8px;list-style:none;margin:6px 0 0;padding:0;font-size:12px;line-height:1.3;color:#5b6475;font-variant-numeric:tabular-nums}
.x-ticks.single{justify-content:center}
.x-ticks.even{gap:0}
.x-ticks.even>li{flex:1 1 0;min-width:0;text-align:center}
.x-ticks.counts{margin-top:2px;color:#1f2430}
@media (max-width:479px){.x-ticks.counts{display:none}}
.note{margin:0 0 8px;font-size:14px}
.note a{white-space:nowrap}
td.few,span.few{color:#5b6475;font-size:12px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e5e7eb}
th[scope=row]{overflow-wrap:anywhere}
td.num{white-space:nowrap}
@media (max-width:479px){main{padding:8px}section,.card{padding:10px}table{font-size:13px}th,td{padding:4px 3px}}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
ol.feed{list-style:none;margin:0;padding:0}
ol.feed>li{border-top:1px solid #e5e7eb;padding:10px 0}
.comment{white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0}
.chips{display:flex;flex-wrap:wrap;gap:4px;list-style:none;margin:4px 0;padding:0}
.chip{display:inline-block;padding:0 8px;border-radius:999px;background:#eef2ff;color:#3730a3;font-size:12px}
.chip.detractor,.chip.low,.chip.overdue{background:#fee2e2;color:#991b1b}
.chip.promoter,.chip.high,.chip.resolved{background:#dcfce7;color:#166534}
.chip.passive,.chip.in_progress{background:#fef3c7;color:#92400e}
.meta{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:13px;color:#5b6475}
details>summary{cursor:pointer;font-weight:600}
summary h2{display:inline}
form.follow-up{display:grid;gap:6px;grid-template-columns:1fr;margin-top:6px}
@media (min-width:640px){form.follow-up{grid-template-columns:1fr 1fr 2fr auto;align-items:end}}
.notes{margin:4px 0;padding-left:18px;font-size:13px}
/* The follow-up loop measured (report-follow-ups.tsx): figures, then tables a row per group, stacked on narrow screens. */
.figures-list{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:6px 12px;margin:0 0 8px}
@media (min-width:720px){.figures-list{grid-template-columns:repeat(3,minmax(0,1fr))}}
.figures-list dt{font-size:13px;color:#5b6475}
.figures-list dd{margin:0;font-weight:700;font-variant-numeric:tabular-nums}
.follow-up-performance .grid{grid-template-columns:1fr}
.follow-up-performance .grid>.card{margin:0}
table.stacked td.num{white-space:normal}
@media (max-width:639px){table.stacked thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}table.stacked tr{display:block;border-bottom:1px solid #e5e7eb;padding:4px 0}table.stacked th,table.stacked td{display:flex;justify-content:space-between;gap:8px;border:0;padding:2px 0}table.stacked td::before{content:attr(data-label);color:#5b6475}}
.sign-in{max-width:420px;margin:40px auto}
.sign-in form{display:grid;gap:10px}
`

/**
 * The report page's stylesheet, on top of the dashboard's (`/dashboard/report.css`): on screen a
 * sheet of A4 paper; in print an A4 page with 14 mm margins, links and buttons gone, cards kept
 * whole across page breaks, charts sized in millimetres so they never spill past the margins.
 */
export const REPORT_CSS = `
body.report{background:#e9ecf1}
.report-nav{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;max-width:210mm;margin:0 auto;padding:10px 12px}
.report main{max-width:210mm;background:#fff;margin:0 auto 24px;padding:12mm 12mm 10mm;box-shadow:0 1px 4px rgba(0,0,0,.15)}
.report h1{font-size:22px;margin:0 0 4px}
.report .report-head{border-bottom:2px solid #1f2430;margin:0 0 12px;padding-bottom:6px}
.report .report-head p{margin:2px 0}
.report .period{font-size:16px;font-weight:600}
.report section{border:none;padding:0;margin:0 0 14px;background:none}
.report .figures{display:grid;gap:8px;grid-template-columns:repeat(2,minmax(0,1fr))}
@media (min-width:720px){.report .figures{grid-template-columns:repeat(4,minmax(0,1fr))}}
.report .figures>.card{margin:0}
.report .figure{font-size:24px}
.report .grid.charts>.card{min-width:0}
@page{size:A4;margin:14mm 12mm}
@media print{
  body.report{background:#fff;font-size:10pt}
  .no-print{display:none!important}
  .report main{max-width:none;margin:0;padding:0;box-shadow:none}
  .report .figures{grid-template-columns:repeat(4,minmax(0,1fr))}
  .report .grid{grid-template-columns:repeat(2,minmax(0,1fr))}
  .report .follow-up-performance .grid{grid-template-columns:1fr}
  .figures-list{grid-template-columns:repeat(3,minmax(0,1fr))}
  .report .card,.report tr,.report .chart{break-inside:avoid}
  .report h2,.report h3{break-after:avoid}
  .report section{break-inside:auto}
  .report .chart svg{height:42mm}
  .report .chart svg.bars{height:32mm}
  .report .table-wrap{overflow:visible}
  .report table{font-size:9pt}
  .report a{color:inherit;text-decoration:none}
}
`

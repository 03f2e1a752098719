/** `npm run bench`: what the browser bundles weigh, against their budgets. */
import { arch, cpus, platform, totalmem } from 'node:os'
import { budgets, bundleSizes } from './sizes.ts'

const sizes = bundleSizes()
const row = (name: string, size: { raw: number; gzip: number; brotli: number }) =>
  `${name.padEnd(22)} ${String(size.raw).padStart(7)} ${String(size.gzip).padStart(7)} ${String(size.brotli).padStart(7)}`

console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${platform()}/${arch()}, Node ${process.version}\n`)
console.log(`${'bundle (bytes)'.padEnd(22)} ${'raw'.padStart(7)} ${'gzip'.padStart(7)} ${'brotli'.padStart(7)}`)
console.log(row('loader (hearken.js)', sizes.loader))
console.log(row('sdk (hearken-sdk.js)', sizes.sdk))
console.log(row('widget (widget.js)', sizes.widget))
console.log(`\nLoader: ${sizes.loader.gzip} / ${budgets.loader} B gzip (${((sizes.loader.gzip / budgets.loader) * 100).toFixed(0)}% of budget)`)
console.log(`Loader + SDK: ${sizes.loaderAndSdkGzip} / ${budgets.loaderAndSdk} B gzip (${((sizes.loaderAndSdkGzip / budgets.loaderAndSdk) * 100).toFixed(0)}% of budget)`)
console.log(`To a visible survey: ${sizes.toVisibleSurveyGzip} / ${budgets.toVisibleSurvey} B gzip (${((sizes.toVisibleSurveyGzip / budgets.toVisibleSurvey) * 100).toFixed(0)}% of budget)`)

/**
 * `npm run test:repeat`: the unit and worker suites five times in a row (REPEAT=n for another
 * count), each run in a different shuffled order with its seed printed, so a test that passes
 * by luck of timing or order fails here rather than on someone's clean clone. Stops at the
 * first failing run; `vitest run --sequence.shuffle --sequence.seed=N` replays it.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs')
const runs = Number(process.env.REPEAT ?? 5)
const seeds = Array.from({ length: runs }, (_, index) => 1 + index)
const lines: string[] = []
mkdirSync(join(root, 'reports'), { recursive: true })

for (const [index, seed] of seeds.entries()) {
  const report = join(root, 'reports', `repeat-${index + 1}.json`)
  const started = performance.now()
  const run = spawnSync(
    process.execPath,
    [vitest, 'run', '--sequence.shuffle', `--sequence.seed=${seed}`, '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: root, stdio: 'inherit' },
  )
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const { numPassedTests: passed = 0, numFailedTests: failed = 0 } = run.status === null ? {} : (JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number })
  lines.push(`run ${index + 1}/${runs} (seed ${seed}): ${passed} passed, ${failed} failed in ${seconds} s`)
  console.log(`\n${lines.at(-1)}`)
  if (run.status !== 0) {
    console.log(`\nrun ${index + 1} failed; replay it with: npx vitest run --sequence.shuffle --sequence.seed=${seed}`)
    process.exit(1)
  }
}
console.log(`\n${lines.join('\n')}\n${runs} runs in a row green`)

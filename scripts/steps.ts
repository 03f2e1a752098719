/** Progress for the long commands (`npm start`, `npm run deploy`): one line a step, with its time. */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')

/** True while a step's line waits for its "done". */
let stepOpen = false

/** Runs one step, printing what it does and how long it took. */
export async function step<T>(what: string, run: () => T | Promise<T>): Promise<T> {
  process.stdout.write(`${what}… `)
  stepOpen = true
  const begun = Date.now()
  const result = await run()
  stepOpen = false
  console.log(`done (${((Date.now() - begun) / 1000).toFixed(1)} s)`)
  return result
}

/** Ends the command with one clear line (on a line of its own), never a stack trace. */
export function failWith(command: string, error: unknown): never {
  if (stepOpen) console.log('')
  console.error(`${command}: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}

/** `npm run build`, quiet unless it fails: the build commands live in package.json only. */
export function build(): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk))
    child.once('error', fail)
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`the build failed:\n${output}`))))
  })
}

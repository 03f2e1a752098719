/**
 * Bindings and variables come from `worker-configuration.d.ts`, generated from
 * wrangler.jsonc by `npm run types` (the global `Env`): DB, the rate limiters, and
 * HEARKEN_ENV, which is `development` only under `npm start`.
 */
declare global {
  interface Env {
    /** Secret (`wrangler secret put ADMIN_TOKEN`): creates sites. Unset, no one can. */
    ADMIN_TOKEN?: string
    /** Secret (`wrangler secret put SESSION_SECRET`): signs dashboard session cookies. */
    SESSION_SECRET?: string
    /** Secret (`wrangler secret put LINK_SECRET`): signs survey links. Unset, no links can be made. */
    LINK_SECRET?: string
  }
}

export type AppEnv = { Bindings: Env }

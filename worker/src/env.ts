/**
 * Bindings and variables come from `worker-configuration.d.ts`, generated from
 * wrangler.jsonc by `npm run types` (the global `Env`): DB, and HEARKEN_ENV, which is
 * `development` only under `npm start`; anything else is treated as deployed.
 */
export type AppEnv = { Bindings: Env }

// The install-story setup (test/install/global-setup.ts) writes the real site and worker here.
export const site = 'pk_placeholder'
export const endpoint = 'http://127.0.0.1:1'

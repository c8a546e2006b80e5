/**
 * Whether the process is ready to serve (migrations and the first start done), apart from whether it
 * is alive: `/healthz` answers as soon as the server listens, `/readyz` and every other route only once
 * `markReady()` ran. One per app, created by whoever starts it (an app a test builds is ready at once).
 */
export interface Readiness {
  readonly ready: boolean;
  markReady(): void;
}

export function createReadiness(ready = true): Readiness {
  let state = ready;
  return {
    get ready() {
      return state;
    },
    markReady() {
      state = true;
    },
  };
}

/** How long a client waits before it asks again while the server starts (the Retry-After header). */
export const STARTING_RETRY_SECONDS = 2;

/** The page every route shows while the server starts: both languages, reloading itself. */
export const STARTING_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
  + `<meta http-equiv="refresh" content="${STARTING_RETRY_SECONDS}"><title>Tresen is starting</title></head>`
  + `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:1rem;line-height:1.5">`
  + `<h1>Tresen is starting</h1><p>The database is being prepared. This page reloads itself in a moment.</p>`
  + `<p lang="de">Tresen startet gerade. Die Datenbank wird vorbereitet; diese Seite lädt sich gleich neu.</p></body></html>`;

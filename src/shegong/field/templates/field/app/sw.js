/* 社工外勤 service worker (scope /field/app/): precaches the app's shell and files with Workbox,
   served from the platform's own static files (never a CDN), and replays the record queue when
   the browser's Background Sync fires. docs/decisions/field-0002-phone-storage.md */
importScripts("{{ workbox_sw }}");
workbox.setConfig({ modulePathPrefix: "{{ workbox_prefix }}", debug: false });
importScripts("{{ store_js }}", "{{ sync_js }}");

self.skipWaiting();
workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
// The platform's pages vary on the cookie (and the language); the shell is the same for every
// signed-in worker, so it is kept without its Vary, or signing in would make it miss offline.
workbox.precaching.addPlugins([
  {
    cacheWillUpdate: async ({ response }) => {
      if (!response || !response.headers.has("Vary")) {
        return response;
      }
      const headers = new Headers(response.headers);
      headers.delete("Vary");
      const body = await response.blob();
      return new Response(body, { status: response.status, statusText: response.statusText, headers });
    },
  },
]);
workbox.precaching.precacheAndRoute({{ precache|safe }}, { ignoreURLParametersMatching: [/.*/] });

self.addEventListener("sync", (event) => {
  if (event.tag === self.FieldSync.TAG) {
    event.waitUntil(self.FieldSync.run().then((summary) => self.FieldSync.tellPages(summary)));
  }
});

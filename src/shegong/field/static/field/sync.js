/* 社工外勤: sends the phone's queue to /api/v1/field/sync (the page on "online" and on the 立即同步
   button, the service worker on Background Sync). Each record carries the client id made when it
   was recorded, so sending it again stores nothing new (the server answers "duplicate").
   Reasons are codes (the page shows them in the worker's language) or the server's own words. */
(function (root) {
  "use strict";

  const urls = {
    session: "/field/app/session/",
    route: "/api/v1/field/route",
    devices: "/api/v1/field/devices",
    sync: "/api/v1/field/sync",
  };
  const MAX_RECORDS = 100;
  const MAX_BODY = 1500000; // the server takes up to 2 MB a request
  const RESENDABLE = new Set(["pending", "failed"]);

  class SyncError extends Error {
    constructor(code, detail) {
      super(detail || code);
      this.code = code;
      this.detail = detail || "";
    }
  }

  function reasonOf(body) {
    const errors = (body && body.errors) || [];
    return errors.map((e) => e.reason).join("；");
  }

  async function session() {
    let response;
    try {
      response = await fetch(urls.session, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        redirect: "manual",
        cache: "no-store",
      });
    } catch (e) {
      throw new SyncError("offline");
    }
    if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
      throw new SyncError("signin");
    }
    if (!response.ok) {
      throw new SyncError("server", String(response.status));
    }
    return response.json();
  }

  async function api(method, url, csrf, body) {
    let response;
    try {
      response = await fetch(url, {
        method,
        credentials: "same-origin",
        cache: "no-store",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/json",
          "X-CSRFToken": csrf,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new SyncError("offline");
    }
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (!response.ok) {
      const code = response.status === 401 ? "signin" : response.status === 403 ? "refused" : "server";
      throw new SyncError(code, reasonOf(data) || String(response.status));
    }
    return data;
  }

  async function device(who) {
    const known = await root.FieldStore.meta("device");
    if (known && known.user_id === who.user_id) {
      return known.device_id;
    }
    const agent = (root.navigator && root.navigator.userAgent) || "";
    const made = await api("POST", urls.devices, who.csrf_token, {
      name: agent.includes("Mobile") ? "手机" : "浏览器",
      user_agent: agent.slice(0, 250),
    });
    await root.FieldStore.setMeta({ id: "device", device_id: made.id, user_id: who.user_id });
    return made.id;
  }

  /* Today's route, stored encrypted; the device is registered first. */
  async function download(horizonDays) {
    const who = await session();
    const owner = await root.FieldStore.owner();
    if (owner !== null && owner !== who.user_id) {
      await root.FieldStore.wipeAll(); // another account's data on this phone
    }
    await device(who);
    const route = await api("GET", `${urls.route}?horizon_days=${horizonDays || 0}`, who.csrf_token);
    await root.FieldStore.saveRoute(route, who.user_id);
    return route;
  }

  function batches(items) {
    const out = [];
    let current = [];
    let size = 0;
    for (const item of items) {
      const record = {
        client_id: item.client_id,
        kind: item.kind,
        recorded_at: item.recorded_at,
        payload: item.payload,
      };
      const length = JSON.stringify(record).length;
      if (current.length && (current.length >= MAX_RECORDS || size + length > MAX_BODY)) {
        out.push(current);
        current = [];
        size = 0;
      }
      current.push({ item, record });
      size += length;
    }
    if (current.length) {
      out.push(current);
    }
    return out;
  }

  const STATUS_OF = { stored: "sent", duplicate: "sent", conflict: "conflict", rejected: "rejected" };

  async function send(options) {
    const all = await root.FieldStore.queue();
    const include = (options && options.include) || RESENDABLE;
    const todo = all.filter((item) => include.has(item.status));
    const summary = { sent: 0, conflict: 0, rejected: 0, failed: 0, error: null };
    if (!todo.length) {
      return summary;
    }
    let who;
    let deviceId;
    try {
      who = await session();
      if ((await root.FieldStore.owner()) !== who.user_id) {
        throw new SyncError("other-account");
      }
      deviceId = await device(who);
    } catch (error) {
      summary.error = error.code || "server";
      return summary;
    }
    for (const batch of batches(todo)) {
      let answer;
      try {
        answer = await api("POST", urls.sync, who.csrf_token, {
          device_id: deviceId,
          records: batch.map((entry) => entry.record),
        });
      } catch (error) {
        const code = error.code || "server";
        summary.error = code;
        if (code !== "offline") {
          // Refused (revoked device or account) or a server error: each record says why.
          for (const entry of batch) {
            await root.FieldStore.mark(entry.item, "failed", { code, message: error.detail });
            summary.failed += 1;
          }
        }
        if (code === "offline" || code === "signin" || code === "refused") {
          break;
        }
        continue;
      }
      const results = (answer && answer.results) || [];
      for (let i = 0; i < batch.length; i += 1) {
        const result = results.find((r) => r.client_id === batch[i].item.client_id) || results[i];
        const status = (result && STATUS_OF[result.status]) || "failed";
        await root.FieldStore.mark(batch[i].item, status, result || { code: "server" });
        summary[status === "sent" ? "sent" : status] += 1;
      }
    }
    return summary;
  }

  let running = null;
  function run(options) {
    if (!running) {
      // One sender at a time across the page and the service worker (the Web Locks API): the
      // online event and Background Sync fire together when the signal comes back.
      const locks = root.navigator && root.navigator.locks;
      const work = locks ? locks.request("shegong-field-sync", () => send(options)) : send(options);
      running = work.finally(() => {
        running = null;
      });
    }
    return running;
  }

  async function tellPages(summary) {
    if (!root.clients) {
      return;
    }
    const pages = await root.clients.matchAll({ type: "window" });
    for (const page of pages) {
      page.postMessage({ type: "field-synced", summary });
    }
  }

  root.FieldSync = { TAG: "field-sync", urls, session, download, run, tellPages, SyncError };
})(self);

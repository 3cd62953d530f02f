/* 社工外勤: the phone's encrypted store (IndexedDB + WebCrypto AES-GCM), shared by the page and the
   service worker. docs/decisions/field-0002-phone-storage.md

   One database, "shegong-field":
     keys   {id: "data", key: CryptoKey (AES-GCM 256, non-extractable), user_id, created_at}
     meta   {id: "device" | "route", ...}: the device id, the route's download time and wipe days
     route  {id: "current", iv, ct}: the downloaded route, encrypted
     queue  {client_id, kind, status, recorded_at, updated_at, iv, ct}: the records made on the
            phone, encrypted (payload, the resident's name for the list, the server's answer)
   The key never leaves the browser (not extractable); signing out deletes the whole database. */
(function (root) {
  "use strict";

  const DB_NAME = "shegong-field";
  const DB_VERSION = 1;
  const DAY_MS = 24 * 60 * 60 * 1000;

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  let opening = null;
  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB_NAME, DB_VERSION);
        req.onupgradeneeded = () => {
          const db = req.result;
          db.createObjectStore("keys", { keyPath: "id" });
          db.createObjectStore("meta", { keyPath: "id" });
          db.createObjectStore("route", { keyPath: "id" });
          const queue = db.createObjectStore("queue", { keyPath: "client_id" });
          queue.createIndex("status", "status");
        };
        req.onsuccess = () => {
          const db = req.result;
          // Another tab (or the sign-out) deletes the database: let it.
          db.onversionchange = () => {
            db.close();
            opening = null;
          };
          resolve(db);
        };
        req.onerror = () => reject(req.error);
        req.onblocked = () => reject(new Error("blocked"));
      });
      opening.catch(() => {
        opening = null;
      });
    }
    return opening;
  }

  async function tx(storeName, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const t = db.transaction(storeName, mode);
      const store = t.objectStore(storeName);
      let result;
      Promise.resolve(work(store)).then((value) => {
        result = value;
      }, reject);
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }

  const get = (store, id) => tx(store, "readonly", (s) => request(s.get(id)));
  const put = (store, value) => tx(store, "readwrite", (s) => request(s.put(value)));
  const all = (store) => tx(store, "readonly", (s) => request(s.getAll()));

  // ---- the key -------------------------------------------------------------------------------

  async function dataKey(userId) {
    const found = await get("keys", "data");
    if (found) {
      return found.key;
    }
    const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
      "encrypt",
      "decrypt",
    ]);
    await put("keys", { id: "data", key, user_id: userId, created_at: Date.now() });
    return key;
  }

  async function existingKey() {
    const found = await get("keys", "data");
    if (!found) {
      throw new Error("no-key");
    }
    return found.key;
  }

  async function seal(key, value) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(JSON.stringify(value));
    const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain);
    return { iv, ct };
  }

  async function open_(key, row) {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: row.iv }, key, row.ct);
    return JSON.parse(new TextDecoder().decode(plain));
  }

  // ---- the route -----------------------------------------------------------------------------

  async function saveRoute(route, userId) {
    const key = await dataKey(userId);
    const sealed = await seal(key, route);
    await put("route", { id: "current", iv: sealed.iv, ct: sealed.ct });
    await put("meta", {
      id: "route",
      downloaded_at: Date.now(),
      server_time: route.downloaded_at,
      wipe_after_days: route.wipe_after_days,
      user_id: userId,
    });
  }

  async function readRoute() {
    const row = await get("route", "current");
    if (!row) {
      return null;
    }
    return open_(await existingKey(), row);
  }

  // ---- the queue -----------------------------------------------------------------------------

  async function enqueue(kind, payload, label) {
    const key = await existingKey();
    const clientId = crypto.randomUUID();
    const now = new Date().toISOString();
    const sealed = await seal(key, { payload, label, result: null });
    await put("queue", {
      client_id: clientId,
      kind,
      status: "pending",
      recorded_at: now,
      updated_at: now,
      iv: sealed.iv,
      ct: sealed.ct,
    });
    return clientId;
  }

  async function queue() {
    const key = await existingKey();
    const rows = await all("queue");
    const items = [];
    for (const row of rows) {
      const inner = await open_(key, row);
      items.push({
        client_id: row.client_id,
        kind: row.kind,
        status: row.status,
        recorded_at: row.recorded_at,
        updated_at: row.updated_at,
        payload: inner.payload,
        label: inner.label,
        result: inner.result,
      });
    }
    items.sort((a, b) => (a.recorded_at < b.recorded_at ? -1 : 1));
    return items;
  }

  // status: pending (not yet accepted), sent (stored / duplicate), conflict (kept, flagged),
  // rejected (not kept: see result), failed (the request did not get through: see result).
  async function mark(item, status, result) {
    const key = await existingKey();
    const sealed = await seal(key, { payload: item.payload, label: item.label, result });
    await put("queue", {
      client_id: item.client_id,
      kind: item.kind,
      status,
      recorded_at: item.recorded_at,
      updated_at: new Date().toISOString(),
      iv: sealed.iv,
      ct: sealed.ct,
    });
  }

  // ---- device, wipe, sign-out --------------------------------------------------------------

  async function meta(id) {
    return (await get("meta", id)) || null;
  }

  async function setMeta(value) {
    await put("meta", value);
  }

  async function owner() {
    const found = await get("keys", "data");
    return found ? found.user_id : null;
  }

  /* The downloaded route (and records already accepted by the server) are wiped once they are
     older than the route's `wipe_after_days`; records not yet accepted are the worker's own work
     and stay (encrypted) until they are sent. */
  async function wipeStale(now) {
    const route = await meta("route");
    if (!route || !route.wipe_after_days) {
      return false;
    }
    if ((now || Date.now()) - route.downloaded_at < route.wipe_after_days * DAY_MS) {
      return false;
    }
    await tx("route", "readwrite", (s) => request(s.clear()));
    await tx("meta", "readwrite", (s) => request(s.delete("route")));
    await tx("queue", "readwrite", async (s) => {
      const sent = await request(s.index("status").getAllKeys("sent"));
      for (const id of sent) {
        s.delete(id);
      }
    });
    return true;
  }

  async function wipeOne(clientId) {
    await tx("queue", "readwrite", (s) => request(s.delete(clientId)));
  }

  /* Everything goes, the key first: what might survive is unreadable. */
  async function wipeAll() {
    try {
      await tx("keys", "readwrite", (s) => request(s.clear()));
    } catch (e) {
      /* no database yet */
    }
    if (opening) {
      const db = await opening.catch(() => null);
      if (db) {
        db.close();
      }
      opening = null;
    }
    await new Promise((resolve) => {
      const req = indexedDB.deleteDatabase(DB_NAME);
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    });
  }

  root.FieldStore = {
    DB_NAME,
    open,
    saveRoute,
    readRoute,
    enqueue,
    queue,
    mark,
    meta,
    setMeta,
    owner,
    wipeStale,
    wipeOne,
    wipeAll,
  };
})(self);

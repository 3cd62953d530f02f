/* 社工外勤: the app's page (route, forms, queue). Data live encrypted in FieldStore; FieldSync talks
   to the server. No inline scripts, no eval: the page's words come from #fa-words. */
(function () {
  "use strict";

  const body = document.body;
  const $ = (id) => document.getElementById(id);
  const state = { route: null, queue: [], current: null, locked: false };

  function word(name, values) {
    const node = document.querySelector(`#fa-words [data-word="${name}"]`);
    let text = node ? node.textContent : name;
    for (const [k, v] of Object.entries(values || {})) {
      text = text.replace(`%(${k})s`, String(v));
    }
    return text;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function flash(text, kind) {
    const box = $("flash");
    box.className = `alert alert-${kind || "info"} fa-flash`;
    box.textContent = text;
    box.hidden = !text;
  }

  // ---- views ---------------------------------------------------------------------------------

  function show(name) {
    for (const view of document.querySelectorAll(".fa-view")) {
      view.hidden = view.id !== `view-${name}`;
    }
    $("download").hidden = name !== "route";
    $("sync-now").hidden = name !== "queue";
    for (const tab of document.querySelectorAll(".fa-tab")) {
      tab.classList.toggle("active", tab.dataset.go === name);
    }
    window.scrollTo(0, 0);
  }

  function fillSelect(select, choices, blank) {
    select.replaceChildren();
    if (blank !== undefined) select.append(el("option", { value: "", text: blank }));
    for (const c of choices || []) select.append(el("option", { value: c.value, text: c.label }));
  }

  function choices(name) {
    return (state.route && state.route.choices && state.route.choices[name]) || [];
  }

  // ---- route ---------------------------------------------------------------------------------

  function recordedFor(residentId) {
    return state.queue.filter(
      (q) => q.payload && q.payload.resident_id === residentId && q.kind !== "finding"
    );
  }

  async function renderRoute() {
    const list = $("route-list");
    list.replaceChildren();
    const meta = await FieldStore.meta("route").catch(() => null);
    if (!state.route) {
      $("route-info").textContent = state.locked ? word("locked") : word("route-none");
      return;
    }
    const visits = state.route.visits || [];
    $("route-info").textContent = word("route-info", {
      n: visits.length,
      when: new Date(meta ? meta.downloaded_at : Date.now()).toLocaleString(),
      days: state.route.wipe_after_days,
    });
    if (!visits.length) {
      list.append(el("li", { class: "fa-item text-secondary", text: word("route-empty") }));
    }
    visits.forEach((visit, index) => {
      const r = visit.resident;
      const done = recordedFor(r.id);
      const head = el(
        "div",
        { class: "fa-item-head" },
        el("strong", { text: r.name }),
        el("span", {
          class: `badge ${visit.overdue ? "bg-red-lt" : "bg-azure-lt"}`,
          text: `${visit.overdue ? word("overdue") : word("due")} ${visit.due_date}`,
        })
      );
      const lines = el(
        "div",
        { class: "small text-secondary" },
        document.createTextNode(
          [r.risk_label, r.age ? `${r.age}` : "", (r.categories || []).map((c) => c.name).join("、")]
            .filter(Boolean)
            .join(" · ")
        ),
        el("br"),
        document.createTextNode([r.region_name, r.address].filter(Boolean).join(" ")),
        r.phone ? el("br") : null,
        r.phone ? el("a", { href: `tel:${r.phone}`, text: r.phone }) : null
      );
      const actions = el(
        "div",
        { class: "fa-item-actions" },
        el("button", {
          type: "button",
          class: "btn btn-primary fa-btn",
          "data-visit": String(index),
          "data-testid": "record-visit",
          text: word("record-visit"),
        }),
        el("button", {
          type: "button",
          class: "btn btn-outline-warning fa-btn",
          "data-missed": String(index),
          "data-testid": "not-reached",
          text: word("not-reached"),
        })
      );
      const item = el("li", { class: "fa-item", "data-testid": "route-item" }, head, lines);
      if (done.length) {
        item.append(el("div", { class: "badge bg-green-lt", "data-testid": "route-recorded", text: word("recorded") }));
      }
      item.append(actions);
      list.append(item);
    });
  }

  // ---- emergency sweep (应急排查) -------------------------------------------------------------

  function sweepLabel(value) {
    const found = choices("sweep_outcomes").find((c) => c.value === value);
    return found ? found.label : value;
  }

  function renderSweeps() {
    const sweeps = (state.route && state.route.sweeps) || [];
    const list = $("sweep-list");
    list.replaceChildren();
    $("sweep-block").hidden = !sweeps.length;
    sweeps.forEach((task, index) => {
      const r = task.resident;
      const queued = state.queue.filter(
        (q) => q.kind === "sweep_outcome" && q.payload && q.payload.task_id === task.task_id
      );
      const last = queued[queued.length - 1];
      const item = el(
        "li",
        { class: "fa-item", "data-testid": "sweep-item", "data-task": String(task.task_id) },
        el(
          "div",
          { class: "fa-item-head" },
          el("strong", { text: r.name }),
          el("span", { class: "badge bg-red-lt", text: task.event.title })
        ),
        el(
          "div",
          { class: "small text-secondary" },
          document.createTextNode(
            word("sweep-by", { when: new Date(task.event.due_at).toLocaleString() })
          ),
          el("br"),
          document.createTextNode([r.region_name, r.address].filter(Boolean).join(" ")),
          r.phone ? el("br") : null,
          r.phone ? el("a", { href: `tel:${r.phone}`, text: r.phone }) : null,
          task.outcome === "not_reached" ? el("br") : null,
          task.outcome === "not_reached"
            ? document.createTextNode(
                word("sweep-not-reached-before", { n: task.attempts, reason: task.reason })
              )
            : null
        )
      );
      if (last) {
        item.append(
          el("div", {
            class: "badge bg-green-lt",
            "data-testid": "sweep-recorded",
            text: `${word("recorded")}：${sweepLabel(last.payload.outcome)}`,
          })
        );
      }
      const button = (value, style) =>
        el("button", {
          type: "button",
          class: `btn ${style} fa-btn`,
          "data-sweep": String(index),
          "data-outcome": value,
          "data-testid": `sweep-${value}`,
          text: sweepLabel(value),
        });
      item.append(
        el(
          "div",
          { class: "fa-item-actions" },
          button("reached_safe", "btn-success"),
          button("reached_needs_help", "btn-warning"),
          button("not_reached", "btn-outline-secondary")
        )
      );
      list.append(item);
    });
  }

  async function queueSweep(task, payload) {
    await FieldStore.enqueue("sweep_outcome", payload, `${task.resident.name} · ${task.event.title}`);
    await saved();
  }

  function openSweep(index, outcome) {
    const task = state.route.sweeps[index];
    if (outcome === "reached_safe") {
      queueSweep(task, { task_id: task.task_id, outcome });
      return;
    }
    state.current = { task, outcome };
    $("sweep-form").reset();
    $("sweep-title").textContent = sweepLabel(outcome);
    $("sweep-name").textContent = task.resident.name;
    $("sweep-event").textContent = task.event.title;
    $("sweep-help").hidden = outcome !== "reached_needs_help";
    $("sweep-missed").hidden = outcome !== "not_reached";
    fillSelect($("sweep-category"), choices("sweep_need_categories"), "");
    show("sweep");
  }

  async function saveSweep(event) {
    event.preventDefault();
    const { task, outcome } = state.current;
    const payload = { task_id: task.task_id, outcome };
    if (outcome === "reached_needs_help") {
      payload.need_category = $("sweep-category").value;
      payload.need_text = $("sweep-text").value.trim();
      if (!payload.need_category || !payload.need_text) {
        flash(word("required"), "warning");
        return;
      }
    } else {
      payload.reason = $("sweep-reason").value.trim();
      if (!payload.reason) {
        flash(word("required"), "warning");
        return;
      }
    }
    const where = await position($("sweep-position").checked);
    if (where) payload.position = where;
    await queueSweep(task, payload);
  }

  // ---- forms ---------------------------------------------------------------------------------

  function openVisit(index) {
    const visit = state.route.visits[index];
    state.current = visit;
    const form = $("visit-form");
    form.reset();
    delete form.dataset.photo;
    $("visit-photo-info").textContent = "";
    $("visit-name").textContent = visit.resident.name;
    fillSelect($("visit-mode"), choices("visit_modes"));
    const checklist = $("visit-checklist");
    checklist.replaceChildren();
    for (const item of visit.checklist || []) {
      const id = `check-${item.field}`;
      checklist.append(
        el("label", { class: "form-label", for: id, text: item.label }),
        el("textarea", { class: "form-control fa-input", id, "data-field": item.field, rows: "2" })
      );
    }
    const needs = $("visit-needs-categories");
    needs.replaceChildren();
    for (const c of choices("needs_categories")) {
      const id = `need-${c.value}`;
      needs.append(
        el(
          "label",
          { class: "form-check form-check-inline fa-check" },
          el("input", { class: "form-check-input", type: "checkbox", id, value: c.value }),
          el("span", { class: "form-check-label", text: c.label })
        )
      );
    }
    const recent = $("visit-recent");
    recent.replaceChildren();
    for (const note of visit.recent_notes || []) {
      recent.append(
        el(
          "div",
          { class: "fa-note" },
          el("b", { text: `${note.visited_on} ${note.by || ""}` }),
          document.createTextNode(
            ` ${(note.notes || []).map((n) => `${n.label}：${n.text}`).join("；")}`
          )
        )
      );
    }
    show("visit");
  }

  function openMissed(index) {
    state.current = state.route.visits[index];
    $("missed-form").reset();
    $("missed-name").textContent = state.current.resident.name;
    fillSelect($("missed-reason"), choices("not_reached_reasons"));
    show("missed");
  }

  function openFinding() {
    const form = $("finding-form");
    form.reset();
    delete form.dataset.photo;
    $("finding-photo-info").textContent = "";
    fillSelect($("finding-category"), choices("finding_categories"));
    fillSelect($("finding-urgency"), choices("finding_urgency"));
    const places = new Map();
    for (const v of (state.route && state.route.visits) || []) {
      places.set(v.resident.region_code, v.resident.region_name || v.resident.region_code);
    }
    fillSelect(
      $("finding-place"),
      [...places].map(([value, label]) => ({ value, label })),
      word("no-place")
    );
    show("finding");
  }

  async function photoInto(input, form, info) {
    const file = input.files && input.files[0];
    delete form.dataset.photo;
    info.textContent = "";
    if (!file) return;
    try {
      const photo = await FieldPhoto.compress(file);
      form.dataset.photo = photo.base64;
      info.textContent = word("photo-ready", {
        w: photo.width,
        h: photo.height,
        kb: Math.round(photo.bytes / 1024),
      });
    } catch (e) {
      info.textContent = word("photo-bad");
    }
  }

  function position(wanted) {
    if (!wanted || !navigator.geolocation) return Promise.resolve(null);
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (p) =>
          resolve({
            latitude: p.coords.latitude,
            longitude: p.coords.longitude,
            accuracy: Math.round(p.coords.accuracy),
          }),
        () => {
          flash(word("position-none"), "warning");
          resolve(null);
        },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
      );
    });
  }

  function today() {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  }

  async function saved() {
    flash(word("saved"), "success");
    await refresh();
    show("route");
    if (navigator.onLine) syncNow(true);
    else askBackgroundSync();
  }

  async function saveVisit(event) {
    event.preventDefault();
    const visit = state.current;
    const form = $("visit-form");
    const checklist = {};
    for (const field of document.querySelectorAll("#visit-checklist [data-field]")) {
      if (field.value.trim()) checklist[field.dataset.field] = field.value.trim();
    }
    const payload = {
      resident_id: visit.resident.id,
      plan_id: visit.plan_id,
      route_version: state.route.downloaded_at,
      visited_on: today(),
      mode: $("visit-mode").value,
      visitors: "",
      checklist,
      needs: $("visit-needs").value.trim(),
      needs_categories: [...document.querySelectorAll("#visit-needs-categories input:checked")].map(
        (i) => i.value
      ),
    };
    if (form.dataset.photo) payload.photo = form.dataset.photo;
    const where = await position($("visit-position").checked);
    if (where) payload.position = where;
    await FieldStore.enqueue("visit", payload, visit.resident.name);
    await saved();
  }

  async function saveMissed(event) {
    event.preventDefault();
    const visit = state.current;
    const payload = {
      resident_id: visit.resident.id,
      plan_id: visit.plan_id,
      route_version: state.route.downloaded_at,
      attempted_on: today(),
      reason: $("missed-reason").value,
      note: $("missed-note").value.trim(),
    };
    const where = await position($("missed-position").checked);
    if (where) payload.position = where;
    await FieldStore.enqueue("not_reached", payload, visit.resident.name);
    await saved();
  }

  async function saveFinding(event) {
    event.preventDefault();
    const form = $("finding-form");
    const summary = $("finding-summary").value.trim();
    const party = $("finding-party").value.trim();
    if (!summary || !party || !$("finding-category").value) {
      flash(word("required"), "warning");
      return;
    }
    const payload = {
      category: $("finding-category").value,
      summary,
      facts: $("finding-facts").value.trim(),
      address: $("finding-address").value.trim(),
      parties: [{ name: party, phone: $("finding-party-phone").value.trim() }],
    };
    if ($("finding-place").value) payload.region_code = $("finding-place").value;
    if ($("finding-urgency").value) payload.urgency = $("finding-urgency").value;
    if (form.dataset.photo) payload.photo = form.dataset.photo;
    const where = await position($("finding-position").checked);
    if (where) payload.position = where;
    await FieldStore.enqueue("finding", payload, summary);
    await saved();
  }

  // ---- queue ---------------------------------------------------------------------------------

  function renderQueue() {
    const counts = { pending: 0, sent: 0, failed: 0, conflict: 0 };
    const list = $("queue-list");
    list.replaceChildren();
    for (const item of [...state.queue].reverse()) {
      const bucket = item.status === "rejected" ? "failed" : item.status;
      counts[bucket] = (counts[bucket] || 0) + 1;
      const result = item.result || {};
      let why = "";
      if (item.status !== "sent" && item.status !== "pending") {
        const errors = result.errors ? Object.values(result.errors).join("；") : "";
        const parts = [result.code ? word(result.code) : "", result.message, errors].filter(Boolean);
        why = [...new Set(parts)].join("：");
      }
      const row = el(
        "li",
        { class: `fa-item fa-q-${item.status}`, "data-testid": "queue-item", "data-status": item.status },
        el(
          "div",
          { class: "fa-item-head" },
          el("strong", { text: `${word(`kind-${item.kind}`)} · ${item.label || ""}` }),
          el("span", { class: "badge fa-status", "data-testid": "queue-status", text: word(`status-${item.status}`) })
        ),
        el("div", { class: "small text-secondary", text: new Date(item.recorded_at).toLocaleString() })
      );
      if (why) row.append(el("div", { class: "small text-danger", "data-testid": "queue-why", text: why }));
      if (result.url && navigator.onLine) {
        row.append(el("a", { href: result.url, class: "small", text: word("view") }));
      }
      if (item.status === "rejected") {
        row.append(
          el("button", {
            type: "button",
            class: "btn btn-sm btn-outline-danger ms-2",
            "data-drop": item.client_id,
            text: word("drop"),
          })
        );
      }
      list.append(row);
    }
    if (!state.queue.length) list.append(el("li", { class: "fa-item text-secondary", text: word("queue-empty") }));
    for (const [k, v] of Object.entries(counts)) if ($(`count-${k}`)) $(`count-${k}`).textContent = v;
    $("tab-pending").textContent = counts.pending + counts.failed;
  }

  async function refresh() {
    try {
      if (await FieldStore.wipeStale()) flash(word("wiped"), "warning");
      state.route = await FieldStore.readRoute();
      state.queue = await FieldStore.queue();
      state.locked = false;
    } catch (e) {
      // No key (never downloaded, signed out, wiped): nothing here can be read.
      state.route = null;
      state.queue = [];
      state.locked = e && e.message === "no-key" && !!(await FieldStore.meta("route").catch(() => null));
    }
    await renderRoute();
    renderSweeps();
    renderQueue();
  }

  // ---- network -------------------------------------------------------------------------------

  function showNet() {
    const net = $("net-state");
    net.textContent = navigator.onLine ? word("online") : word("offline");
    net.className = `badge fa-net ${navigator.onLine ? "bg-green" : "bg-secondary"} text-white`;
  }

  async function download() {
    const button = $("download");
    button.disabled = true;
    try {
      await FieldSync.download(0);
      flash(word("downloaded"), "success");
    } catch (e) {
      const code = e.code || "server";
      if (code === "signin") {
        window.location.assign(body.dataset.login);
        return;
      }
      flash(code === "offline" ? word("offline-now") : `${word(code)} ${e.detail || ""}`.trim(), "danger");
    } finally {
      button.disabled = false;
    }
    await refresh();
  }

  async function syncNow(quiet) {
    if (!navigator.onLine) {
      if (!quiet) flash(word("offline-now"), "warning");
      return null;
    }
    $("sync-now").disabled = true;
    let summary;
    try {
      summary = await FieldSync.run();
    } finally {
      $("sync-now").disabled = false;
    }
    await refresh();
    report(summary, quiet);
    return summary;
  }

  function report(summary, quiet) {
    if (!summary) return;
    body.dataset.lastSync = JSON.stringify(summary);
    if (summary.error && summary.error !== "offline") {
      flash(word(summary.error), "danger");
    } else if (summary.sent || summary.conflict || summary.failed || summary.rejected) {
      flash(
        word("sync-done", {
          sent: summary.sent,
          conflict: summary.conflict,
          failed: summary.failed + summary.rejected,
        }),
        summary.failed || summary.rejected ? "warning" : "success"
      );
    } else if (!quiet) {
      flash(word("nothing"), "info");
    }
  }

  async function askBackgroundSync() {
    try {
      const reg = await navigator.serviceWorker.ready;
      if (reg.sync) await reg.sync.register(FieldSync.TAG);
    } catch (e) {
      /* no Background Sync here: the online event and the button do it */
    }
  }

  async function signOut() {
    const waiting = state.queue.filter((q) => q.status === "pending" || q.status === "failed").length;
    if (waiting && !window.confirm(word("signout-pending", { n: waiting }))) return;
    let csrf = null;
    try {
      csrf = (await FieldSync.session()).csrf_token;
    } catch (e) {
      csrf = null;
    }
    await FieldStore.wipeAll();
    if (!csrf) {
      window.location.assign(body.dataset.login);
      return;
    }
    const form = el(
      "form",
      { method: "post", action: body.dataset.logout },
      el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrf })
    );
    body.append(form);
    form.submit();
  }

  /* A phone left with another account's data (signed in as someone else since): wipe it. */
  async function checkOwner() {
    if (!navigator.onLine) return;
    try {
      const who = await FieldSync.session();
      body.dataset.user = who.name;
      const owner = await FieldStore.owner();
      if (owner !== null && owner !== who.user_id) {
        await FieldStore.wipeAll();
        await refresh();
      }
    } catch (e) {
      /* not signed in or offline: the data stay locked to their owner */
    }
  }

  // ---- start ---------------------------------------------------------------------------------

  document.addEventListener("click", (event) => {
    const target = event.target.closest("button, a");
    if (!target) return;
    if (target.dataset.go) {
      if (target.dataset.go === "finding") openFinding();
      else show(target.dataset.go);
    } else if (target.dataset.visit) openVisit(Number(target.dataset.visit));
    else if (target.dataset.missed) openMissed(Number(target.dataset.missed));
    else if (target.dataset.sweep) openSweep(Number(target.dataset.sweep), target.dataset.outcome);
    else if (target.dataset.drop) {
      FieldStore.wipeOne(target.dataset.drop).then(refresh);
    }
  });
  $("download").addEventListener("click", download);
  $("sync-now").addEventListener("click", () => syncNow(false));
  $("sign-out").addEventListener("click", signOut);
  $("visit-form").addEventListener("submit", saveVisit);
  $("missed-form").addEventListener("submit", saveMissed);
  $("finding-form").addEventListener("submit", saveFinding);
  $("sweep-form").addEventListener("submit", saveSweep);
  $("visit-photo").addEventListener("change", (e) =>
    photoInto(e.target, $("visit-form"), $("visit-photo-info"))
  );
  $("finding-photo").addEventListener("change", (e) =>
    photoInto(e.target, $("finding-form"), $("finding-photo-info"))
  );
  window.addEventListener("online", () => {
    showNet();
    syncNow(true);
  });
  window.addEventListener("offline", showNet);

  FieldSync.urls.session = body.dataset.session;
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register(body.dataset.sw, { scope: body.dataset.scope })
      .catch((e) => console.warn("service worker", e));
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "field-synced") {
        refresh().then(() => report(event.data.summary, true));
      }
    });
  }
  showNet();
  show("route");
  refresh().then(async () => {
    await checkOwner();
    if (navigator.onLine && state.queue.some((q) => q.status === "pending" || q.status === "failed")) {
      await syncNow(true);
    }
    body.dataset.ready = "1";
  });
})();

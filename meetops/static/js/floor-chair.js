// The chair's console: actions (each carries the floor version it was taken on), keyboard
// shortcuts, the queue with its row actions, the record of interventions and the totals.
// Needs floor.js (window.MeetopsFloor).
(function () {
  "use strict";
  var Floor = window.MeetopsFloor;
  if (!Floor || Floor.root.dataset.role !== "chair") { return; }
  var root = Floor.root, text = Floor.text, $ = Floor.$;
  var api = root.dataset.api;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var selected = null;  // request_id selected with the keyboard
  var busy = false;

  function send(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return { status: r.status, data: data };
      });
    });
  }

  function handle(result) {
    var data = result.data || {};
    if (result.status === 409 && data.error === "stale_version") {
      Floor.apply(data.floor);
      Floor.message(text.stale);
    } else if (result.status >= 400) {
      Floor.message(text.failed + " " + (data.message || result.status));
      Floor.refresh();
    } else {
      Floor.message("");
      Floor.apply(data.floor || data);
    }
  }

  function act(action, extra) {
    if (!Floor.state || busy) { return; }
    busy = true;
    var body = { version: Floor.state.version };
    Object.keys(extra || {}).forEach(function (k) { body[k] = extra[k]; });
    send("POST", api + "/" + action, body).then(handle)
      .catch(function () { Floor.message(text.failed); })
      .then(function () { busy = false; });
  }

  function remove(requestId) {
    if (!Floor.state) { return; }
    send("DELETE", api + "/requests/" + requestId + "?version=" + Floor.state.version)
      .then(handle);
  }

  function move(requestId, delta) {
    var queue = Floor.state.queue;
    var index = queue.findIndex(function (q) { return q.request_id === requestId; });
    if (index < 0) { return; }
    var target = index + delta;
    if (target < 0 || target >= queue.length) { return; }
    act("move", { request_id: requestId, to_index: target });
  }

  var actions = {
    next: function () { act("next"); },
    "pause-resume": function () {
      var c = Floor.state && Floor.state.current;
      if (c) { act(c.state === "paused" ? "resume" : "pause"); }
    },
    end: function () { act("end"); },
    list: function () { act(Floor.state && Floor.state.list_closed ? "open" : "close"); },
    sound: function () { Floor.toggleSound(); }
  };

  root.querySelectorAll("[data-action]").forEach(function (button) {
    var name = button.getAttribute("data-action");
    if (name !== "sound") {
      button.addEventListener("click", function () { actions[name](); });
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") { return; }
    var queue = Floor.state ? Floor.state.queue : [];
    var index = queue.findIndex(function (q) { return q.request_id === selected; });
    var key = event.key.toLowerCase();
    var handled = true;
    if (key === "n") { actions.next(); }
    else if (key === "p") { actions["pause-resume"](); }
    else if (key === "e") { actions.end(); }
    else if (key === "l") { actions.list(); }
    else if (key === "s") { actions.sound(); }
    else if (key === "j" && queue.length) { select(queue[Math.min(index + 1, queue.length - 1)].request_id); }
    else if (key === "k" && queue.length) { select(queue[Math.max(index - 1, 0)].request_id); }
    else if (key === "g" && selected !== null) { act("give", { request_id: selected }); }
    else if (key === "u" && selected !== null) { move(selected, -1); }
    else if (key === "d" && selected !== null) { move(selected, 1); }
    else if (key === "x" && selected !== null) { remove(selected); }
    else { handled = false; }
    if (handled) { event.preventDefault(); }
  });

  function select(requestId) {
    selected = requestId;
    renderQueue(Floor.state);
    var row = root.querySelector('tr[data-request="' + requestId + '"]');
    if (row) { row.focus(); }
  }

  function cell(row, value) {
    var td = document.createElement("td");
    td.textContent = value;
    row.appendChild(td);
    return td;
  }

  function button(label, handler, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls || "secondary";
    b.textContent = label;
    b.addEventListener("click", handler);
    return b;
  }

  function renderQueue(state) {
    var body = $("queue");
    body.textContent = "";
    if (!state.queue.some(function (q) { return q.request_id === selected; })) { selected = null; }
    state.queue.forEach(function (q, i) {
      var row = document.createElement("tr");
      row.setAttribute("data-request", q.request_id);
      row.tabIndex = -1;
      if (q.request_id === selected) {
        row.className = "selected";
        row.setAttribute("aria-selected", "true");
      }
      cell(row, String(i + 1) + (q.request_id === selected ? " ▶" : ""));
      cell(row, q.participant.name + (q.added_by_chair ? " (" + text.byChair + ")" : ""));
      cell(row, q.participant.country);
      cell(row, q.participant.organization);
      cell(row, Floor.kind(q.kind));
      cell(row, q.language.toUpperCase());
      var actionsCell = cell(row, "");
      actionsCell.appendChild(button(text.give, function () {
        act("give", { request_id: q.request_id });
      }, ""));
      actionsCell.appendChild(button(text.up, function () { move(q.request_id, -1); }));
      actionsCell.appendChild(button(text.down, function () { move(q.request_id, 1); }));
      actionsCell.appendChild(button(text.remove, function () { remove(q.request_id); }));
      body.appendChild(row);
    });
  }

  // the meeting's local time of day (the console may run anywhere)
  function timeOfDay(iso) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || "en", {
        hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
        timeZone: root.dataset.zone || undefined
      }).format(new Date(iso));
    } catch (e) { return iso; }
  }

  function renderDone(state) {
    var body = $("done");
    body.textContent = "";
    state.done.slice().reverse().forEach(function (d) {
      var row = document.createElement("tr");
      cell(row, d.participant.name);
      cell(row, Floor.kind(d.kind));
      cell(row, d.language.toUpperCase());
      cell(row, timeOfDay(d.started_at));
      cell(row, String(d.spoken_seconds));
      cell(row, String(d.overtime_seconds));
      cell(row, d.ended_by === "limit" ? text.endedLimit : text.endedChair);
      body.appendChild(row);
    });
  }

  function renderControls(state) {
    var c = state.current;
    var pause = $("pause-label");
    pause.firstChild.nodeValue = (c && c.state === "paused" ? text.resume : text.pause) + " ";
    pause.disabled = !c;
    root.querySelector('[data-action="end"]').disabled = !c;
    $("list-label").firstChild.nodeValue = (state.list_closed ? text.openList : text.closeList) + " ";
  }

  var totalsTimer = null;
  function loadTotals() {
    clearTimeout(totalsTimer);
    totalsTimer = setTimeout(function () {
      fetch(root.dataset.totals, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { renderTotals(data); } })
        .catch(function () { /* next change will retry */ });
    }, 300);
  }

  function renderTotals(data) {
    var names = ($("category-names") || {}).dataset || {};
    var people = $("totals-participants");
    people.textContent = "";
    data.participants.forEach(function (p) {
      var row = document.createElement("tr");
      cell(row, p.participant.name);
      cell(row, p.participant.organization);
      cell(row, String(p.interventions));
      cell(row, String(p.spoken_seconds));
      cell(row, String(p.overtime_seconds));
      people.appendChild(row);
    });
    var cats = $("totals-categories");
    cats.textContent = "";
    data.categories.forEach(function (c) {
      var row = document.createElement("tr");
      var key = "cat" + c.category.charAt(0).toUpperCase() + c.category.slice(1);
      cell(row, names[key] || c.category);
      cell(row, String(c.interventions));
      cell(row, String(c.spoken_seconds));
      cell(row, String(c.overtime_seconds));
      cats.appendChild(row);
    });
  }

  var form = $("add-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      act("add", {
        registration_id: parseInt(form.elements.registration_id.value, 10),
        kind: form.elements.kind.value,
        language: form.elements.language.value.trim().toLowerCase()
      });
    });
  }

  Floor.listeners.push(function (state, previous) {
    renderQueue(state);
    renderDone(state);
    renderControls(state);
    if (!previous || previous.done.length !== state.done.length || state.current) { loadTotals(); }
  });
})();

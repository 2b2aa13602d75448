// The floor client shared by the live page and the chair's console.
//
// * Server clock: the offset between this browser's clock and the server's is measured
//   against /floor/clock, corrected for the round trip (the sample with the shortest round
//   trip wins), so a laptop with a wrong clock still counts down correctly and two screens
//   agree to a fraction of a second.
// * State: the Server-Sent Events stream pushes every new floor state; if it fails, the
//   JSON API is polled (the browser revalidates it with its ETag).
// * Timer: computed every frame from the state's server timestamps (deadline_at while
//   speaking, elapsed_ms while paused) and the corrected clock; the warning is shown with
//   text and an icon (never colour alone), heard as a short beep, and announced politely.
(function () {
  "use strict";
  var root = document.getElementById("floor");
  if (!root) { return; }
  var text = (document.getElementById("floor-text") || {}).dataset || {};
  var Floor = window.MeetopsFloor = {
    state: null, offset: 0, samples: [], listeners: [], soundOn: false, root: root, text: text
  };

  function $(name) { return root.querySelector('[data-floor="' + name + '"]'); }
  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }
  Floor.fmt = fmt;
  Floor.$ = $;

  // --- the server clock ---------------------------------------------------------------
  function sampleClock() {
    var sent = performance.now();
    var wall = Date.now();
    return fetch(root.dataset.clock, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var rtt = performance.now() - sent;
        var server = Date.parse(body.server_now);
        // the server read its clock about half-way through the round trip
        Floor.samples.push({ rtt: rtt, offset: server - (wall + rtt / 2) });
        if (Floor.samples.length > 8) { Floor.samples.shift(); }
        var best = Floor.samples.reduce(function (a, b) { return b.rtt < a.rtt ? b : a; });
        Floor.offset = best.offset;
      })
      .catch(function () { /* keep the last offset */ });
  }
  Floor.serverNow = function () { return Date.now() + Floor.offset; };

  function calibrate() {
    var chain = Promise.resolve();
    for (var i = 0; i < 5; i++) { chain = chain.then(sampleClock); }
    return chain;
  }

  // --- sound ----------------------------------------------------------------------------
  var audio = null;
  function audioContext() {
    if (!audio) { audio = new (window.AudioContext || window.webkitAudioContext)(); }
    if (audio.state === "suspended") { audio.resume(); }
    return audio;
  }
  // browsers allow sound only after a gesture: the first key or click unlocks it
  function unlock() {
    try { if (Floor.soundOn) { audioContext(); } } catch (e) { /* no audio here */ }
    document.removeEventListener("keydown", unlock);
    document.removeEventListener("pointerdown", unlock);
  }
  document.addEventListener("keydown", unlock);
  document.addEventListener("pointerdown", unlock);

  Floor.beep = function (times, freq) {
    if (!Floor.soundOn) { return; }
    try {
      audioContext();
      for (var i = 0; i < (times || 1); i++) {
        var start = audio.currentTime + i * 0.3;
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = freq || 880;
        gain.gain.setValueAtTime(0.25, start);
        gain.gain.exponentialRampToValueAtTime(0.001, start + 0.2);
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(start); osc.stop(start + 0.22);
      }
    } catch (e) { /* no audio here */ }
  };
  function setSound(on) {
    Floor.soundOn = on;
    root.querySelectorAll('[data-action="sound"]').forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.firstChild.nodeValue = (on ? text.soundOn : text.soundOff) + " ";
    });
  }
  Floor.toggleSound = function () {
    setSound(!Floor.soundOn);
    if (Floor.soundOn) { Floor.beep(1, 660); }  // heard at once: this gesture unlocks audio
  };
  root.querySelectorAll('[data-action="sound"]').forEach(function (b) {
    b.addEventListener("click", Floor.toggleSound);
  });
  setSound(root.dataset.sound === "on");  // the chair's console starts with sound on

  // --- announcements (polite, on events, never every second) -----------------------------
  Floor.announce = function (message) {
    var el = $("announce");
    if (el) { el.textContent = ""; setTimeout(function () { el.textContent = message; }, 50); }
  };
  Floor.message = function (message) {
    var el = $("message");
    if (el) { el.textContent = message || ""; }
  };

  // --- the state ------------------------------------------------------------------------
  var lastIntervention = null, warned = false, timeUp = false;

  // data-kind-point_of_order is dataset.kindPoint_of_order
  Floor.kind = function (kind) {
    return text["kind" + kind.charAt(0).toUpperCase() + kind.slice(1)] || kind;
  };

  Floor.apply = function (state) {
    if (!state || (Floor.state && state.version < Floor.state.version)) { return; }
    var previous = Floor.state;
    Floor.state = state;
    var current = state.current;
    var id = current ? current.intervention_id : null;
    if (id !== lastIntervention) {
      lastIntervention = id;
      warned = false; timeUp = false;
      if (current) { Floor.announce(fmt(text.hasFloor, { name: current.participant.name })); }
    } else if (current && previous && previous.current && previous.current.state !== current.state) {
      Floor.announce(current.state === "paused" ? text.announcePaused : text.speaking);
    }
    renderSpeaker(state);
    renderNext(state);
    Floor.listeners.forEach(function (fn) { fn(state, previous); });
    tick();
  };

  function renderSpeaker(state) {
    var current = state.current;
    $("name").textContent = current ? current.participant.name : text.nobody;
    $("detail").textContent = current ? [
      current.participant.organization, current.participant.country,
      Floor.kind(current.kind), current.language.toUpperCase()
    ].filter(Boolean).join(" · ") : "";
    var language = $("language");
    if (language) { language.textContent = current ? current.language.toUpperCase() : "–"; }
    var limit = $("limit");
    if (limit) { limit.textContent = clock((current ? current.limit_seconds : state.limit_seconds) * 1000); }
    root.querySelectorAll('[data-floor="list-state"]').forEach(function (el) {
      el.textContent = state.list_closed ? "(" + text.listClosed + ")" : "";
    });
  }

  function renderNext(state) {
    var list = $("next");
    var empty = $("queue-empty");
    if (empty) { empty.hidden = state.queue.length > 0; }
    if (!list) { return; }
    list.textContent = "";
    state.queue.slice(0, 8).forEach(function (q) {
      var li = document.createElement("li");
      li.textContent = q.participant.name + " (" + q.participant.country + ") · " +
        Floor.kind(q.kind) + " · " + q.language.toUpperCase();
      list.appendChild(li);
    });
  }

  // a countdown shows whole seconds rounded up (0:01 until the very end); a count up
  // (elapsed, overtime) rounds down
  function clock(ms, up) {
    var total = Math.max(0, up ? Math.floor(ms / 1000) : Math.ceil(ms / 1000));
    var m = Math.floor(total / 60), s = total % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  Floor.clock = clock;

  function tick() {
    var state = Floor.state;
    var box = $("clock"), timer = $("timer"), phase = $("phase-text");
    if (!state || !box) { return; }
    var current = state.current;
    var view = "idle", shown = "–:––", label = "";
    if (current) {
      var limitMs = current.limit_seconds * 1000;
      var elapsedMs;
      if (current.state === "speaking" && current.deadline_at) {
        var remaining = Date.parse(current.deadline_at) - Floor.serverNow();
        elapsedMs = limitMs - remaining;
      } else {
        elapsedMs = current.elapsed_ms;
      }
      var left = limitMs - elapsedMs;
      var warnMs = state.warning_seconds * 1000;
      if (current.state === "paused") {
        view = "paused"; shown = clock(left); label = text.paused;
      } else if (left <= 0) {
        if (state.enforcement === "soft") {
          view = "overtime"; shown = "+" + clock(-left, true); label = text.overtime;
        } else {
          view = "up"; shown = "0:00"; label = text.timeUp;
        }
        if (!timeUp) { timeUp = true; Floor.beep(3, 520); Floor.announce(text.announceUp); }
      } else if (left <= warnMs) {
        view = "warning"; shown = clock(left); label = text.warning;
        if (!warned) {
          warned = true; Floor.beep(1, 880);
          Floor.announce(fmt(text.announceWarning, { seconds: Math.ceil(left / 1000) }));
        }
      } else {
        view = "speaking"; shown = clock(left); label = text.speaking + " · " +
          clock(elapsedMs, true) + " " + text.elapsed;
      }
    }
    box.setAttribute("data-phase", view);
    if (timer.textContent !== shown) { timer.textContent = shown; }
    if (phase && phase.textContent !== label) { phase.textContent = label; }
  }

  // --- getting states: the stream, else polling -----------------------------------------
  var pollTimer = null, source = null, failures = 0;

  Floor.refresh = function () {
    return fetch(root.dataset.api, { credentials: "same-origin", cache: "no-cache" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) { Floor.apply(state); } })
      .catch(function () { /* try again later */ });
  };

  function startPolling() {
    if (pollTimer) { return; }
    pollTimer = setInterval(Floor.refresh, 2000);
  }
  function stopPolling() {
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }

  function connect() {
    if (!window.EventSource) { startPolling(); return; }
    source = new EventSource(root.dataset.stream);
    source.onmessage = function (event) {
      failures = 0; stopPolling(); Floor.message("");
      try { Floor.apply(JSON.parse(event.data)); } catch (e) { /* ignore a broken event */ }
    };
    source.onerror = function () {
      failures += 1;
      if (failures >= 2) { Floor.message(text.offline); startPolling(); }
    };
  }

  calibrate().then(function () {
    Floor.refresh();
    connect();
    setInterval(sampleClock, 30000);
  });
  setInterval(tick, 100);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { sampleClock(); Floor.refresh(); }
  });
})();

// The interpreters' view: on top of floor.js (the stream, the timer, the polite
// announcements), the booth's own details. Read-only: it never sends anything.
//
// * The speaker's language, country, organisation, kind, elapsed and remaining time.
// * A mark when the floor language changes (ES -> EN), or when a language is neither
//   Spanish nor English (relay needed): text and an icon, never colour alone.
// * The next three speakers, each with its language and the change it brings.
// * The agenda's "Now" mark follows the server clock; the current item's documents,
//   glossaries and notes are shown with it.
(function () {
  "use strict";
  var Floor = window.MeetopsFloor;
  if (!Floor || Floor.root.dataset.role !== "interpret") { return; }
  var root = Floor.root, fmt = Floor.fmt;
  var words = (document.getElementById("booth-text") || {}).dataset || {};
  var pageLang = document.documentElement.lang || "en";
  var names = null;
  try { names = new Intl.DisplayNames([pageLang], { type: "language" }); } catch (e) { names = null; }

  function el(name) { return root.querySelector('[data-booth="' + name + '"]'); }
  function set(name, value) {
    var node = el(name);
    if (node && node.textContent !== value) { node.textContent = value; }
  }

  // "EN (English)", "PT (portugués)"
  function language(code) {
    if (!code) { return "–"; }
    var label = code.toUpperCase();
    try {
      var name = names ? names.of(code) : null;
      if (name && name.toLowerCase() !== code.toLowerCase()) { label += " (" + name + ")"; }
    } catch (e) { /* an unknown code: the code alone */ }
    return label;
  }
  function relay(code) { return code && code !== "es" && code !== "en"; }

  // the language spoken before the current speaker: the last finished intervention
  function previousLanguage(state) {
    var done = state.done || [];
    return done.length ? done[done.length - 1].language : null;
  }

  function renderChange(state) {
    var box = el("change"), current = state.current;
    var kind = "none", message = Floor.text.nobody;
    if (current) {
      var before = previousLanguage(state);
      if (relay(current.language)) {
        kind = "relay";
        message = fmt(words.relay, { language: language(current.language) });
        if (before && before !== current.language) {
          message = fmt(words.change, { from: before.toUpperCase(), to: current.language.toUpperCase() }) +
            " · " + message;
        }
      } else if (before && before !== current.language) {
        kind = "change";
        message = fmt(words.change, { from: before.toUpperCase(), to: current.language.toUpperCase() });
      } else if (before) {
        kind = "same";
        message = fmt(words.same, { language: language(current.language) });
      } else {
        kind = "same";
        message = fmt(words.first, { language: language(current.language) });
      }
    }
    box.setAttribute("data-kind", kind);
    set("change-text", message);
    // a new speaker whose language changes: said once, politely, with the name
    var id = current ? current.intervention_id : null;
    if (id !== announcedId) {
      announcedId = id;
      if (kind === "change" || kind === "relay") {
        Floor.announce(fmt(Floor.text.hasFloor, { name: current.participant.name }) + " " + message);
      }
    }
  }
  var announcedId = null;

  function renderSpeaker(state) {
    var c = state.current;
    set("language", c ? language(c.language) : "–");
    set("country", c ? (c.participant.country || "–") : "–");
    set("organization", c ? (c.participant.organization || "–") : "–");
    set("kind", c ? Floor.kind(c.kind) : "–");
  }

  function renderNext(state) {
    var list = el("next");
    list.textContent = "";
    var before = state.current ? state.current.language : previousLanguage(state);
    state.queue.slice(0, 3).forEach(function (q) {
      var li = document.createElement("li");
      var who = document.createElement("span");
      who.className = "booth-next-name";
      who.textContent = q.participant.name;
      li.appendChild(who);
      var facts = [q.participant.country, q.participant.organization, Floor.kind(q.kind)]
        .filter(Boolean).join(" · ");
      li.appendChild(document.createTextNode(" · " + facts + " · "));
      var lang = document.createElement("strong");
      lang.className = "booth-next-language";
      lang.textContent = language(q.language);
      li.appendChild(lang);
      var marks = [];
      if (before && before !== q.language) { marks.push(fmt(words.nextChange, { language: before.toUpperCase() })); }
      if (relay(q.language)) { marks.push(words.nextRelay); }
      if (marks.length) {
        var mark = document.createElement("span");
        mark.className = "booth-next-mark";
        mark.textContent = " ⇄ " + marks.join(", ");
        li.appendChild(mark);
      }
      before = q.language;
      list.appendChild(li);
    });
  }

  // elapsed and remaining, from the same server timestamps as the big timer
  function tick() {
    var state = Floor.state;
    if (!state) { return; }
    var c = state.current;
    if (!c) { set("elapsed", "–"); set("remaining", "–"); return; }
    var limitMs = c.limit_seconds * 1000, elapsedMs;
    if (c.state === "speaking" && c.deadline_at) {
      elapsedMs = limitMs - (Date.parse(c.deadline_at) - Floor.serverNow());
    } else {
      elapsedMs = c.elapsed_ms;
    }
    var left = limitMs - elapsedMs;
    var paused = c.state === "paused" ? " (" + words.paused + ")" : "";
    set("elapsed", Floor.clock(elapsedMs, true) + paused);
    set("remaining", left >= 0 ? Floor.clock(left) + paused
      : fmt(words.overtime, { time: Floor.clock(-left, true) }));
  }

  // the agenda's "Now" follows the server clock (an item may start while the page is open)
  function markAgenda() {
    var now = Floor.serverNow(), currentId = null;
    root.querySelectorAll("tr[data-item]").forEach(function (row) {
      var on = Date.parse(row.dataset.starts) <= now && now < Date.parse(row.dataset.ends);
      if (on && currentId === null) { currentId = row.dataset.item; } else { on = false; }
      row.classList.toggle("current", on);
      if (on) { row.setAttribute("aria-current", "true"); } else { row.removeAttribute("aria-current"); }
      var mark = row.querySelector('[data-booth="now-mark"]');
      if (mark) { mark.hidden = !on; }
    });
    root.querySelectorAll("[data-item-panel]").forEach(function (panel) {
      var id = panel.getAttribute("data-item-panel");
      panel.hidden = currentId === null ? id !== "none" : id !== currentId;
    });
  }

  Floor.listeners.push(function (state) {
    renderSpeaker(state);
    renderChange(state);
    renderNext(state);
    tick();
  });
  setInterval(tick, 100);
  setInterval(markAgenda, 5000);
  setTimeout(markAgenda, 1500);  // once the clock offset is measured
})();

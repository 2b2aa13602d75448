// Shows meeting times also in the visitor's own time zone, and remembers the zone in a
// cookie so that server-rendered pages (and ?tz=) can use it.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  if (document.cookie.indexOf("tz=" + encodeURIComponent(zone)) === -1) {
    document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
  }
  var lang = document.documentElement.lang || "en";
  document.querySelectorAll("[data-utc]").forEach(function (el) {
    if (el.getAttribute("data-meeting-zone") === zone) { return; }
    var when = new Date(el.getAttribute("data-utc"));
    var opts = el.getAttribute("data-fmt") === "time"
      ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
      : { weekday: "long", day: "numeric", month: "long", year: "numeric",
          hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    opts.timeZone = zone;
    var text = new Intl.DateTimeFormat(lang, opts).format(when);
    var endAttr = el.getAttribute("data-utc-end");
    if (endAttr) {
      var end = new Date(endAttr);
      var day = { year: "numeric", month: "2-digit", day: "2-digit", timeZone: zone };
      var sameDay = new Intl.DateTimeFormat("en", day).format(when) ===
        new Intl.DateTimeFormat("en", day).format(end);
      var endOpts = sameDay ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : opts;
      endOpts.timeZone = zone;
      text += "\u2013" + new Intl.DateTimeFormat(lang, endOpts).format(end);
    }
    el.textContent = text + " (" + el.getAttribute("data-label") + ", " +
      zone.split("/").pop().replace(/_/g, " ") + ")";
    el.hidden = false;
  });
})();

// Injected into every page of the browser tests (context.add_init_script) before the page's
// own scripts: it records each Content-Security-Policy violation in
// window.__cspViolations and logs it to the console, where the fixtures collect it.
(function () {
  "use strict";
  window.__cspViolations = window.__cspViolations || [];
  document.addEventListener("securitypolicyviolation", function (event) {
    var entry = event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
      " at " + (event.sourceFile || event.documentURI) + ":" + (event.lineNumber || 0) +
      (event.sample ? " (" + event.sample + ")" : "");
    window.__cspViolations.push(entry);
    console.error("[csp-violation] " + entry);
  }, true);
})();

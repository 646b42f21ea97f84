// openleash portal enhancements. Every page works without this file: it only adds confirmation
// dialogs, the theme toggle and live refresh over the owner event stream (when the server has it).
(function () {
  "use strict";
  var root = document.documentElement;
  try {
    var saved = localStorage.getItem("openleash-theme");
    if (saved === "light" || saved === "dark") root.setAttribute("data-theme", saved);
  } catch (e) { /* storage disabled: follow the system */ }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("theme-toggle");
    if (toggle) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var current = root.getAttribute("data-theme") ||
          (window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
        var next = current === "dark" ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { localStorage.setItem("openleash-theme", next); } catch (e) { /* ignore */ }
      });
    }

    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        if (!window.confirm(form.getAttribute("data-confirm"))) ev.preventDefault();
      });
    });

    // Times: the server renders absolute UTC in <time datetime> with a relative text; refresh
    // the relative text every 30 s so "2 min ago" stays true on an open tab.
    function relative(ms) {
      var s = Math.round(ms / 1000), a = Math.abs(s), out;
      if (a < 45) out = "just now";
      else if (a < 3600) out = Math.round(a / 60) + " min";
      else if (a < 86400) out = Math.round(a / 3600) + " h";
      else out = Math.round(a / 86400) + " d";
      if (out === "just now") return out;
      return s < 0 ? "in " + out : out + " ago";
    }
    function tick() {
      document.querySelectorAll("time[data-rel]").forEach(function (t) {
        var d = Date.parse(t.getAttribute("datetime"));
        if (!isNaN(d)) t.textContent = relative(Date.now() - d);
      });
    }
    setInterval(tick, 30000);

    // Live refresh: pages marked data-live reload when an approval or audit event arrives, at
    // most once every 5 s (a busy agent must not turn every open tab into a reload loop), and not
    // while the user is typing. A server without the stream (404) just closes it.
    if (document.body.hasAttribute("data-live") && window.EventSource) {
      var es;
      try { es = new EventSource("/v1/owner/events/stream"); } catch (e) { return; }
      var scheduled = false;
      var reload = function () {
        var active = document.activeElement;
        if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.value) {
          setTimeout(reload, 5000);
          return;
        }
        window.location.reload();
      };
      es.onmessage = function (ev) {
        var type = "";
        try { type = JSON.parse(ev.data).type || ""; } catch (e) { return; }
        if (!/^(approval_created|approval_resolved|audit)$/.test(type) || scheduled) return;
        scheduled = true;
        setTimeout(reload, type === "audit" ? 5000 : 500);
      };
      es.onerror = function () { if (es.readyState === 2) es.close(); };
    }
  });
})();

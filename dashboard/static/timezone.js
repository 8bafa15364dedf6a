// The browser's time zone, reported once: while the user has none set, the page's body carries
// data-detect-time-zone (the URL to post it to). The server keeps the first one it gets and the
// page reloads so its times follow the new zone. (A file, not an inline script: the CSP forbids those.)
(function () {
  "use strict";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function report() {
    var url = document.body && document.body.getAttribute("data-detect-time-zone");
    var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!url || !zone) {
      return;
    }
    document.body.removeAttribute("data-detect-time-zone");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrfToken()},
      body: "time_zone=" + encodeURIComponent(zone)
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (answer) {
      // the times on this page were in UTC: draw them again in the new zone (unless that is UTC now)
      if (answer && answer.adopted && new Date().getTimezoneOffset() !== 0) {
        window.location.reload();
      }
    }).catch(function () { /* the zone stays unset; the next page tries again */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", report);
  } else {
    report();
  }
}());

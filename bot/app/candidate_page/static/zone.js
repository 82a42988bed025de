// Shows the times in the browser's time zone: when the page was not asked for a zone, reload it
// with the detected one (only once, and only when it differs from the page's).
(function () {
  "use strict";
  var select = document.getElementById("tz");
  if (!select) { return; }
  var detected;
  try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var params = new URLSearchParams(window.location.search);
  if (!detected || params.has("tz") || detected === select.dataset.current) { return; }
  params.set("tz", detected);
  window.location.replace(window.location.pathname + "?" + params.toString());
})();

// Polls an import job's status while it is checked or written; reloads the page when it is done.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box) { return; }
  var url = box.getAttribute("data-import-progress");
  var bar = box.querySelector(".progress-bar");
  var meter = box.querySelector("[role=progressbar]");
  var text = box.querySelector("[data-import-progress-text]");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.running) { window.location.reload(); return; }
        var percent = data.total ? Math.min(100, Math.round(100 * data.processed / data.total)) : 0;
        bar.style.width = percent + "%";
        meter.setAttribute("aria-valuenow", String(percent));
        text.textContent = data.status_label + ": обработано строк " + data.processed + (data.total ? " из " + data.total : "") + ".";
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();

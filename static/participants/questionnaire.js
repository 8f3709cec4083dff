// The answer page of a personal link: keeps the draft in this browser's localStorage while the page
// is open, so closing it loses nothing; the key is derived from the token on the server (never the
// token itself), and the draft is removed when the answers are sent.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !window.localStorage) { return; }
  var key = form.getAttribute("data-draft-key");
  var storage = window.localStorage;

  function collect() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken") { return; }
      if (el.type === "radio") { if (el.checked) { data[el.name] = el.value; } }
      else if (el.type === "checkbox") {
        data[el.name] = data[el.name] || [];
        if (el.checked) { data[el.name].push(el.value); }
      } else if (el.tagName === "TEXTAREA") { data[el.name] = el.value; }
    });
    return data;
  }

  function restore() {
    var raw;
    try { raw = storage.getItem(key); } catch (e) { return; }
    if (!raw) { return; }
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data)) { return; }
      var value = data[el.name];
      if (el.type === "radio") {
        // The server's own values (a form sent back with an error) win over the draft.
        if (!form.querySelector('input[name="' + el.name + '"]:checked')) { el.checked = el.value === value; }
      } else if (el.type === "checkbox") {
        if (Array.isArray(value) && value.indexOf(el.value) !== -1) { el.checked = true; }
      } else if (el.tagName === "TEXTAREA" && !el.value) { el.value = value; }
    });
  }

  function save() {
    try { storage.setItem(key, JSON.stringify(collect())); } catch (e) { /* storage full or disabled */ }
  }

  restore();
  form.addEventListener("change", save);
  form.addEventListener("input", save);
  form.addEventListener("submit", function () {
    try { storage.removeItem(key); } catch (e) { /* nothing to clean */ }
  });
}());

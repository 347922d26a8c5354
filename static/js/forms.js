// Progressive enhancement for the public forms (works without it):
// - fills 都道府県 / 市区町村 / 町域 from the 郵便番号 (our own endpoint, offline Japan Post data),
//   never overwriting what the person typed, and says what it did to screen readers;
// - moves focus to the error summary after a refused submit;
// - disables the submit button after the first click (the server also refuses double submits).
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }

  document.querySelectorAll("form.public-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    });
  });

  var postal = document.querySelector("input[data-postal-lookup]");
  if (!postal) { return; }
  var status = document.getElementById("postal-status");
  var targets = ["prefecture", "city", "town"].map(function (name) {
    return document.querySelector("input[name=" + name + "]");
  });
  var filled = {};
  function toDigits(value) {
    return value.replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
      .replace(/[^0-9]/g, "");
  }
  function lookup() {
    var code = toDigits(postal.value);
    if (code.length !== 7) { return; }
    fetch("/postal-code/" + code + "/", { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.found) {
          if (status) { status.textContent = postal.dataset.notFound || ""; }
          return;
        }
        var values = [data.prefecture, data.city, data.town];
        targets.forEach(function (input, i) {
          if (input && (input.value === "" || filled[input.name] === input.value)) {
            input.value = values[i];
            filled[input.name] = values[i];
          }
        });
        if (status) { status.textContent = (postal.dataset.found || "") + " " + values.join(""); }
      })
      .catch(function () { /* the server fills the address on submit anyway */ });
  }
  postal.addEventListener("change", lookup);
  postal.addEventListener("blur", lookup);
})();

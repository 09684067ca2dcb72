/* Shows the category as the officer ticks: the server applies the rule (no copy of it here). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  if (!form) { return; }
  var target = document.getElementById("category-preview");
  var timer = null;
  var latest = 0;
  function refresh() {
    var query = new URLSearchParams(new FormData(form));
    query.delete("csrfmiddlewaretoken");
    var asked = ++latest;
    fetch(form.dataset.previewUrl + "?" + query.toString(), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        // A slower answer to an earlier tick must not replace the answer to the last one.
        if (html !== null && asked === latest) { target.innerHTML = html; }
      });
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 250); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 50); });
})();

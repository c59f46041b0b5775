/* Enhancements for the campaign site. Every page works without this file: it only
   moves focus to a form's error summary, and suggests areas while someone types in a
   field that asks for one. Loaded from the site's own static files with `defer`
   (the Content-Security-Policy allows no inline script). */
(function () {
  "use strict";

  /* A form came back with errors: take keyboard and screen reader users to the
     summary, and let its links move focus to the field itself, not only scroll. */
  function errorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      event.preventDefault();
      // Bring the question (the legend or label) into view with its field.
      var group = target.closest(".form-group");
      (group || target).scrollIntoView();
      target.focus({ preventScroll: true });
    });
  }

  /* Area suggestions: an input with data-suggest="<url>" and a list="<datalist id>"
     fills the datalist from the URL (?q=what was typed) as the person types. The
     server matches the typed name itself when the form is sent, so suggestions are
     only a shortcut. */
  function suggestions() {
    var inputs = document.querySelectorAll("input[data-suggest][list]");
    Array.prototype.forEach.call(inputs, function (input) {
      var list = document.getElementById(input.getAttribute("list"));
      var url = input.getAttribute("data-suggest");
      var timer = null;
      var last = "";
      if (!list || !url) {
        return;
      }
      input.addEventListener("input", function () {
        var query = input.value.trim();
        window.clearTimeout(timer);
        if (query.length < 2 || query === last) {
          return;
        }
        timer = window.setTimeout(function () {
          last = query;
          fetch(url + "?q=" + encodeURIComponent(query), {
            headers: { Accept: "application/json" },
            credentials: "same-origin"
          })
            .then(function (response) {
              return response.ok ? response.json() : { results: [] };
            })
            .then(function (data) {
              if (input.value.trim() !== query) {
                return; // the person typed on; a newer request follows
              }
              list.textContent = "";
              (data.results || []).forEach(function (name) {
                var option = document.createElement("option");
                option.value = name;
                list.appendChild(option);
              });
            })
            .catch(function () {
              /* Suggestions are optional: the form still works. */
            });
        }, 200);
      });
    });
  }

  errorSummary();
  suggestions();
})();

// The mailing target search (updates/admin_widgets.py): suggests areas while the
// editor types and adds the picked one as a ticked box the form submits. Its words
// come from the widget's data attributes (templates/updates/admin/).
(function () {
  function setUp(root) {
    var input = root.querySelector("[data-area-search-input]");
    var results = root.querySelector("[data-area-search-results]");
    var chosen = root.querySelector("[data-area-search-chosen]");
    var name = root.dataset.name;
    var timer = null;

    function isChosen(id) {
      return !!chosen.querySelector('input[value="' + id + '"]');
    }

    function add(area) {
      var none = chosen.querySelector("[data-area-search-none]");
      if (none) none.remove();
      if (isChosen(area.id)) return;
      var li = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = area.id;
      box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + area.label));
      li.appendChild(label);
      chosen.appendChild(li);
    }

    function show(areas) {
      results.replaceChildren();
      areas.forEach(function (area) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button-small button-secondary";
        button.textContent = root.dataset.add + " " + area.label;
        button.disabled = isChosen(area.id);
        button.addEventListener("click", function () {
          add(area);
          button.disabled = true;
          input.focus();
        });
        li.appendChild(button);
        results.appendChild(li);
      });
      if (!areas.length && input.value.trim()) {
        var li = document.createElement("li");
        li.textContent = root.dataset.noMatch;
        results.appendChild(li);
      }
    }

    function search() {
      var text = input.value.trim();
      if (!text) { show([]); return; }
      fetch(root.dataset.url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { show(data.results); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      // Enter searches now instead of submitting the whole mailing form.
      if (event.key === "Enter") { event.preventDefault(); search(); }
    });
  }

  function init() {
    document.querySelectorAll("[data-area-search]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

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

  /* The hex map: without this every hexagon is a link in the Tab order. With it the
     map is one Tab stop (a roving tabindex): the arrow keys move to the nearest
     hexagon in that direction, Home and End to the first and last, and Enter opens
     the constituency, as the link does anyway. */
  function hexMap() {
    var maps = document.querySelectorAll(".hexmap svg");
    Array.prototype.forEach.call(maps, function (svg) {
      var links = Array.prototype.slice.call(svg.querySelectorAll("a.hex"));
      if (!links.length) {
        return;
      }
      var centres = links.map(function (link) {
        var use = link.querySelector("use");
        return {
          x: parseFloat(use.getAttribute("x")),
          y: parseFloat(use.getAttribute("y"))
        };
      });
      var current = 0;
      // Chromium otherwise makes the drawing itself a Tab stop before the hexagon.
      svg.setAttribute("tabindex", "-1");
      links.forEach(function (link, index) {
        link.setAttribute("tabindex", index === 0 ? "0" : "-1");
      });
      var hint = document.querySelector(".hexmap__keys-js");
      if (hint) {
        hint.hidden = false;
      }
      function move(to) {
        links[current].setAttribute("tabindex", "-1");
        current = to;
        links[current].setAttribute("tabindex", "0");
        links[current].focus();
      }
      // The nearest hexagon in the direction (dx, dy), within 45 degrees of it.
      // Moving up or down keeps to the column the person started from, so
      // repeated presses zigzag down the staggered rows rather than drift.
      var column = centres[0].x;
      function nearest(dx, dy) {
        var from = centres[current];
        var best = -1;
        var bestScore = Infinity;
        centres.forEach(function (c, index) {
          var ax = c.x - from.x;
          var ay = c.y - from.y;
          var along = ax * dx + ay * dy;
          var across = dx ? Math.abs(ay) : Math.abs(ax);
          if (index === current || along <= 0.1 || across > along) {
            return;
          }
          var score = along + (dy ? Math.abs(c.x - column) : across);
          if (score < bestScore - 0.01) {
            bestScore = score;
            best = index;
          }
        });
        return best;
      }
      var directions = {
        ArrowRight: [1, 0],
        ArrowLeft: [-1, 0],
        ArrowDown: [0, 1],
        ArrowUp: [0, -1]
      };
      svg.addEventListener("focusin", function (event) {
        var index = links.indexOf(event.target.closest("a.hex"));
        if (index >= 0 && index !== current) {
          links[current].setAttribute("tabindex", "-1");
          current = index;
          links[current].setAttribute("tabindex", "0");
          column = centres[current].x;
        }
      });
      svg.addEventListener("keydown", function (event) {
        var to = -1;
        if (directions[event.key]) {
          to = nearest(directions[event.key][0], directions[event.key][1]);
        } else if (event.key === "Home") {
          to = 0;
        } else if (event.key === "End") {
          to = links.length - 1;
        } else {
          return;
        }
        event.preventDefault();
        if (to >= 0) {
          move(to);
          if (!directions[event.key] || directions[event.key][0]) {
            column = centres[current].x;
          }
        }
      });
    });
  }

  errorSummary();
  suggestions();
  hexMap();
})();

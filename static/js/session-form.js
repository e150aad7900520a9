/* The session form (/spreekuren/nieuw/) for keyboard users. Without JavaScript every field shows
   and the form works the same; with it:
   - the skip link "Naar de inhoud" jumps straight to the first useful field;
   - date and time collapse to "Nu (…)" with a "Wijzigen" button that shows the field again;
   - a filter box above the themes hides the themes that do not match, with a live count;
     Enter in the filter box goes to the first matching theme instead of sending the form;
   - Ctrl+Enter (Cmd+Enter on a Mac) saves from any field; Enter in the summary stays a new line. */
(function () {
  "use strict";

  function setUp() {
    var form = document.querySelector("form.session-form");
    if (!form) {
      return;
    }
    var firstField = form.querySelector("[data-first-field]");

    // The skip link goes to the form's first useful field, past the header and the hint.
    var skip = document.querySelector(".skip-link");
    if (skip && firstField) {
      skip.addEventListener("click", function (event) {
        event.preventDefault();
        firstField.focus();
      });
    }

    // Date and time: "Nu (…)" with a button to change them.
    var now = form.querySelector("[data-now]");
    var when = form.querySelector("[data-when]");
    if (now && when) {
      now.hidden = false;
      when.hidden = true;
      now.querySelector("button").addEventListener("click", function () {
        now.hidden = true;
        when.hidden = false;
        var input = when.querySelector("input");
        if (input) {
          input.focus();
        }
      });
    }

    // Themes, filtered as you type.
    var filter = form.querySelector("[data-theme-filter]");
    if (filter) {
      var box = filter.querySelector("input");
      var count = filter.querySelector("[data-theme-count]");
      var choices = Array.prototype.slice.call(form.querySelectorAll("[data-theme]"));
      var groups = Array.prototype.slice.call(form.querySelectorAll(".theme-group"));
      filter.hidden = false;

      var apply = function () {
        var query = box.value.trim().toLocaleLowerCase("nl");
        var shown = 0;
        choices.forEach(function (choice) {
          var checkbox = choice.querySelector("input");
          var match = !query || choice.getAttribute("data-theme").indexOf(query) !== -1;
          var visible = match || checkbox.checked; // a chosen theme never disappears
          choice.hidden = !visible;
          if (visible) {
            shown += 1;
          }
        });
        groups.forEach(function (group) {
          group.hidden = !group.querySelector("[data-theme]:not([hidden])");
        });
        var template = count.getAttribute(shown === 1 ? "data-one" : "data-many");
        count.textContent = template.replace("%(n)s", String(shown));
      };
      box.addEventListener("input", apply);
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
          event.preventDefault(); // Enter here chooses, it does not send the form
          var first = form.querySelector("[data-theme]:not([hidden]) input");
          if (first) {
            first.focus();
          }
        } else if (event.key === "Escape" && box.value) {
          box.value = "";
          apply();
        }
      });
      apply();
    }

    // Ctrl+Enter or Cmd+Enter saves from anywhere in the form.
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      }
    });
    document.querySelectorAll("[data-js-hint]").forEach(function (hint) {
      hint.hidden = false;
    });
    document.querySelectorAll("[data-nojs-hint]").forEach(function (hint) {
      hint.hidden = true;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

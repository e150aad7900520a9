/* A table that scrolls sideways inside its own box (static/css/site.css) gets a tab stop, so
   that it can be scrolled with the keyboard too; a wrapper around it becomes a named region.
   Without JavaScript the box still scrolls by touch, mouse and trackpad. */
(function () {
  "use strict";

  function scrolls(box) {
    var overflow = window.getComputedStyle(box).overflowX;
    return (overflow === "auto" || overflow === "scroll") && box.scrollWidth > box.clientWidth + 1;
  }

  function mark() {
    document.querySelectorAll(".table-scroll, .data-table").forEach(function (box) {
      if (scrolls(box)) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("data-scroll-stop", "");
        }
        var caption = box.querySelector("caption");
        if (box.tagName !== "TABLE" && !box.hasAttribute("aria-label") && caption) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (box.hasAttribute("data-scroll-stop")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-stop");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();

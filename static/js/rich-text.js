// Tables in stored rich text scroll inside their own box on a narrow screen
// (css/site.css): each box takes the keyboard focus, so it scrolls without a mouse.
(function () {
  "use strict";
  document.querySelectorAll(".rich-text table, .pack-rich-text table").forEach(function (table) {
    if (!table.hasAttribute("tabindex")) {
      table.setAttribute("tabindex", "0");
    }
  });
})();

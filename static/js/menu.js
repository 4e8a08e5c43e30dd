// The main menu folds behind a button on narrow screens. Without this script
// the menu simply stays open: nothing is hidden from a browser without JS.
(function () {
  "use strict";
  var button = document.querySelector("[data-menu-toggle]");
  if (!button) {
    return;
  }
  var menu = document.getElementById(button.getAttribute("aria-controls"));

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.documentElement.classList.add("js-menu");
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
  menu.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !menu.contains(event.relatedTarget) && event.relatedTarget !== button) {
      setOpen(false);
    }
  });
})();

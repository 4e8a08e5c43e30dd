// The rich-text editor replaces its textarea with an editable area that has no
// name of its own: give it the textarea's label (and its help text), so a
// screen reader announces "Note, edit text" rather than an unnamed text box,
// and clicking the label puts the cursor in the editor.
(function () {
  "use strict";

  function name(textarea) {
    var container = textarea.closest(".prose-editor");
    var surface = container && container.querySelector("[contenteditable]");
    var label = textarea.labels && textarea.labels[0];
    if (!surface || !label) {
      return;
    }
    if (!label.id) {
      label.id = textarea.id + "-label";
    }
    surface.setAttribute("aria-labelledby", label.id);
    surface.setAttribute("aria-multiline", "true");
    var help = textarea.getAttribute("aria-describedby");
    if (help) {
      surface.setAttribute("aria-describedby", help);
    }
    label.addEventListener("click", function (event) {
      event.preventDefault();
      surface.focus();
    });
  }

  // Editors made after this script ran announce themselves; those made before are found.
  document.addEventListener("prose-editor:ready", function (event) {
    name(event.detail.textarea);
  });
  document.querySelectorAll(".prose-editor textarea").forEach(name);
})();

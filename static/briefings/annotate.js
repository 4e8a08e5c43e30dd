// Notes on passages, in the briefing pack in the browser. Select words of a
// paper and a button offers to note them: it fills the paper's "Note on a
// passage" form and opens it. The passages already noted are highlighted.
// Without this script the form is still there: the passage is copied into it.
(function () {
  "use strict";

  function textOf(selection) {
    return selection.toString().replace(/\s+/g, " ").trim();
  }

  function richTextOf(node) {
    var element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return element ? element.closest(".pack-rich-text") : null;
  }

  function highlight(body, passage) {
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var at = node.data.indexOf(passage);
      if (at >= 0) {
        var range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + passage.length);
        var mark = document.createElement("mark");
        mark.className = "pack-highlight";
        range.surroundContents(mark);
        return;
      }
    }
  }

  document.querySelectorAll(".pack-paper").forEach(function (paper) {
    var body = paper.querySelector(".pack-rich-text");
    var form = paper.querySelector(".pack-annotate");
    if (!body || !form) {
      return;
    }
    paper.querySelectorAll(".pack-annotation[data-passage]").forEach(function (note) {
      highlight(body, note.getAttribute("data-passage"));
    });
    var chosen = "";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pack-note-selection";
    button.textContent = "Note on the selected words";
    button.hidden = true;
    body.after(button);
    document.addEventListener("selectionchange", function () {
      var selection = document.getSelection();
      if (!selection || selection.isCollapsed) {
        return;  // a click elsewhere keeps the words last chosen
      }
      var inside = richTextOf(selection.anchorNode) === body && richTextOf(selection.focusNode) === body;
      chosen = inside ? textOf(selection) : "";
      button.hidden = !chosen;
    });
    button.addEventListener("click", function () {
      form.open = true;
      form.querySelector("textarea[name=passage]").value = chosen;
      form.querySelector("textarea[name=body_html]").focus();
    });
  });
})();

// The browser's spellcheck in the story editor: ProseMirror's editable element
// gets spellcheck="true", so no stylesheet or extension default turns it off.
(function () {
  "use strict";

  function checkSpelling(element) {
    element.setAttribute("spellcheck", "true");
  }

  document.addEventListener("prose-editor:ready", function (event) {
    checkSpelling(event.detail.editor.view.dom);
  });
  // Editors made before this listener was added.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".ProseMirror[contenteditable]").forEach(checkSpelling);
  });
})();

// The body editor's figure dialog opens this window with ?CKEditorFuncNum=N and
// waits for window.opener.CKEDITOR.tools.callFunction(N, url, details): the
// protocol django-prose-editor's Figure extension speaks. It stores details.id
// as the image's data-file, which is how the public page finds the library image.
"use strict";
(function () {
  const root = document.querySelector(".image-picker");
  const funcNum = root.dataset.funcNum;
  root.addEventListener("click", function (event) {
    const choice = event.target.closest(".image-picker__choice");
    if (!choice) {
      return;
    }
    const editor = window.opener && window.opener.CKEDITOR;
    if (!editor || !funcNum) {
      window.alert("Open this window from the story editor's “Browse…” button.");
      return;
    }
    editor.tools.callFunction(Number(funcNum), choice.dataset.url, {
      id: choice.dataset.id,
      alternative_text: choice.dataset.alt,
      caption: choice.dataset.caption,
    });
    window.close();
  });
})();

// Click the picture to set its focal point: the fields hold fractions (0–1)
// of the width and height, and crops keep that point in view.
"use strict";
(function () {
  function setUp(frame) {
    const image = frame.querySelector(".focal-point__image");
    const marker = frame.querySelector(".focal-point__marker");
    const inputX = document.getElementById(frame.dataset.focalX);
    const inputY = document.getElementById(frame.dataset.focalY);
    if (!image || !inputX || !inputY) {
      return;
    }
    function show() {
      marker.style.left = `${Number(inputX.value) * 100}%`;
      marker.style.top = `${Number(inputY.value) * 100}%`;
    }
    image.addEventListener("click", function (event) {
      const box = image.getBoundingClientRect();
      const clamp = (value) => Math.min(1, Math.max(0, value));
      inputX.value = clamp((event.clientX - box.left) / box.width).toFixed(3);
      inputY.value = clamp((event.clientY - box.top) / box.height).toFixed(3);
      inputX.dispatchEvent(new Event("change", { bubbles: true }));
      show();
    });
    inputX.addEventListener("input", show);
    inputY.addEventListener("input", show);
    show();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".focal-point").forEach(setUp);
  });
})();

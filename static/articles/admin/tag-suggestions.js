// Suggest existing tags for the term being typed after the last comma.
// Uses the admin's own autocomplete endpoint and a native <datalist>: no library.
"use strict";
(function () {
  function setUp(input) {
    const [appLabel, modelName, fieldName] = input.dataset.suggestionsField.split(".");
    const list = document.getElementById(input.getAttribute("list"));
    let pending;
    input.addEventListener("input", function () {
      clearTimeout(pending);
      const parts = input.value.split(",");
      const term = parts.pop().trim();
      const chosen = parts.map((part) => part.trim()).filter(Boolean);
      if (term.length < 2) {
        list.replaceChildren();
        return;
      }
      pending = setTimeout(async function () {
        const params = new URLSearchParams({
          term: term, app_label: appLabel, model_name: modelName, field_name: fieldName,
        });
        const response = await fetch(`${input.dataset.suggestionsUrl}?${params}`, {
          credentials: "same-origin",
        });
        if (!response.ok) {
          return;
        }
        const data = await response.json();
        list.replaceChildren(...data.results
          .filter((result) => !chosen.includes(result.text))
          .map(function (result) {
            const option = document.createElement("option");
            // The whole field's value, so picking keeps the tags already typed.
            option.value = [...chosen, result.text].join(", ");
            return option;
          }));
      }, 150);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggestions-field]").forEach(setUp);
  });
})();

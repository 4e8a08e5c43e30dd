// Starts ReDoc on the API reference page without an inline script.
"use strict";
(function () {
  const container = document.getElementById("redoc-container");
  const settings = document.getElementById("redoc-settings");
  const options = settings ? JSON.parse(JSON.parse(settings.textContent) || "{}") : {};
  // The style sheets ReDoc inserts as it renders pass the policy with this nonce.
  options.nonce = document.currentScript.nonce;
  Redoc.init(container.dataset.schemaUrl, options, container);
})();

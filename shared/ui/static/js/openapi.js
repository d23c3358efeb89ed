/*
 * Starts Swagger UI on an OpenAPI page: the spec's address comes from the page (data-spec-url), so
 * the page needs no inline script (the Content-Security-Policy forbids them).
 */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("swagger-ui");
    if (!root || typeof window.SwaggerUIBundle !== "function") {
      return;
    }
    window.SwaggerUIBundle({
      url: root.getAttribute("data-spec-url"),
      domNode: root,
      deepLinking: true,
      tryItOutEnabled: false,
      validatorUrl: null
    });
  });
})();

/* Starts Swagger UI on the API docs page (templates/ninja/swagger.html) without inline script.
   Settings come from django-ninja through data-swagger-settings; "try it out" requests from the
   signed-in browser carry the CSRF token from data-csrf-token. No online validator badge: it
   would load an image from validator.swagger.io, outside this platform. */
(function () {
  "use strict";
  var body = document.body;
  var config = JSON.parse(body.getAttribute("data-swagger-settings") || "{}");
  var csrfToken = body.getAttribute("data-csrf-token");
  config.dom_id = "#swagger-ui";
  config.validatorUrl = null;
  config.presets = [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset];
  if (csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = csrfToken;
      return request;
    };
  }
  window.SwaggerUIBundle(config);
})();

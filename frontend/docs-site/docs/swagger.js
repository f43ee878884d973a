/* global SwaggerUIBundle, SwaggerUIStandalonePreset */
// Swagger UI over both documents, with the top bar's selector. A file, not an inline script: the
// docs CSP allows scripts of this origin only.
window.ui = SwaggerUIBundle({
  urls: window.NOTIFY_APIS,
  'urls.primaryName': new URLSearchParams(location.search).get('urls.primaryName') ?? window.NOTIFY_APIS[0].name,
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
  // validator.swagger.io would be a third-party request (and is outside connect-src)
  validatorUrl: null,
});

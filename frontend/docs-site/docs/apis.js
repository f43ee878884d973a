// The two OpenAPI documents as the one origin serves them (OneOriginProxy, compose's nginx and the
// Kubernetes Ingress map these paths to each service's /q/openapi; /q itself stays closed).
window.NOTIFY_APIS = [
  { name: 'auth-service', url: '/docs/openapi/auth.json' },
  { name: 'notification-service', url: '/docs/openapi/notification.json' },
];

/**
 * alerts/: what tells people that something is wrong. Today: example
 * Prometheus recording and alerting rules for Statusvakt's /metrics
 * (`prometheus/statusvakt.rules.yml`, unit-tested with promtool). E-mail to
 * subscribers and operators and webhooks, delivered from a transactional
 * outbox (DESIGN.md), are not built yet.
 */
export const PROMETHEUS_RULES_FILE = new URL('./prometheus/statusvakt.rules.yml', import.meta.url);

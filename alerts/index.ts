/**
 * alerts/: e-mail to subscribers and operators and webhooks, delivered from a
 * transactional outbox (DESIGN.md). Nothing is delivered yet: this folder is
 * the place for it in the data flow, after api/ and before status-site/.
 */
export {};

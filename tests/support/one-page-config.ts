/**
 * The smallest useful configuration: one organisation, one status page in
 * Danish and English with one component whose check never succeeds (port 1).
 * Suites that need more append pages to it.
 */
export const ONE_PAGE_CONFIG = `organisations: [{ id: kommune, name: Kommune }]
slaProfiles: [{ id: basic, name: Basic, availabilityTargetPercent: 99.9 }]
pages:
  - id: status
    organisation: kommune
    name: { da: Driftsstatus, en: Service status }
    languages: [da, en]
    groups:
      - id: core
        name: { da: Kerne, en: Core }
        components:
          - id: web
            name: { da: Hjemmeside, en: Website }
            slaProfile: basic
            checks: [{ kind: https, url: "https://127.0.0.1:1/", intervalSeconds: 60 }]
`;

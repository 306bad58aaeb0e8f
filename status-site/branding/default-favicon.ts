/** The icon of a page that configures none: a plain check mark in a rounded square, legible at 16 px in either scheme. */
export const DEFAULT_FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1a7f37"/><path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/></svg>
`;

/** Where the default icon is served. */
export const DEFAULT_FAVICON_PATH = '/favicon.svg';

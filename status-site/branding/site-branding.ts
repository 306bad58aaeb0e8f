import { createHash } from 'node:crypto';
import type { Branding, LocalizedText, SiteFile, SiteFiles, StatusvaktConfig } from '../../config/index.ts';
import { DEFAULT_FAVICON_PATH, DEFAULT_FAVICON_SVG } from './default-favicon.ts';

/** What a page's header and footer show: its owner's name, logo, contact and links, and its icon. */
export type PageBranding = {
  organisation: string;
  logo?: { src: string; alt: LocalizedText };
  favicon: { href: string; type: string };
  contact?: { email?: string; phone?: string; url?: string };
  links: { label: LocalizedText; url: string }[];
};

/** A file served by Statusvakt under a stable address, with its validator. */
export type ServedFile = { contentType: string; bytes: Buffer; etag: string };

/** Everything the public pages need from the config that the API does not carry: branding per page, region names, and the files behind them. */
export type SiteBranding = {
  pages: ReadonlyMap<string, PageBranding>;
  regionNames: ReadonlyMap<string, LocalizedText>;
  /** By address: `/branding/{pageId}/logo.{ext}`, `/branding/{pageId}/favicon.{ext}` and the default `/favicon.svg`. */
  files: ReadonlyMap<string, ServedFile>;
};

const served = (contentType: string, bytes: Buffer): ServedFile => ({ contentType, bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"` });

/**
 * Works out each page's branding (the page's own fields, else its
 * organisation's) and the addresses its files are served at. A file the
 * config names but `files` lacks (a config parsed from text alone) is left
 * out rather than linked to nothing.
 *
 * @example siteBrandingOf(loaded.config, loaded.siteFiles).pages.get('status')?.logo?.src // '/branding/status/logo.svg'
 */
export function siteBrandingOf(config: StatusvaktConfig, files: SiteFiles): SiteBranding {
  const servedFiles = new Map<string, ServedFile>([[DEFAULT_FAVICON_PATH, served('image/svg+xml', Buffer.from(DEFAULT_FAVICON_SVG))]]);
  const pages = new Map<string, PageBranding>();
  const organisations = new Map(config.organisations.map((o) => [o.id, o]));
  for (const page of config.pages) {
    const organisation = organisations.get(page.organisation);
    const own: Branding = page.branding ?? {};
    const inherited: Branding = organisation?.branding ?? {};
    const pick = <K extends keyof Branding>(key: K): Branding[K] => own[key] ?? inherited[key];
    const publish = (name: string, file: SiteFile | undefined) => {
      if (!file) return undefined;
      const path = `/branding/${page.id}/${name}.${file.type === 'jpeg' ? 'jpg' : file.type}`;
      servedFiles.set(path, served(file.contentType, file.bytes));
      return { path, type: file.contentType };
    };
    const logo = pick('logo');
    const logoFile = logo ? publish('logo', files.get(logo.file)) : undefined;
    const favicon = pick('favicon');
    const faviconFile = favicon ? publish('favicon', files.get(favicon)) : undefined;
    const contact = pick('contact');
    const name = organisation?.name ?? page.organisation;
    pages.set(page.id, {
      organisation: name,
      ...(logo && logoFile ? { logo: { src: logoFile.path, alt: logo.alt ?? name } } : {}),
      favicon: faviconFile ? { href: faviconFile.path, type: faviconFile.type } : { href: DEFAULT_FAVICON_PATH, type: 'image/svg+xml' },
      ...(contact && (contact.email || contact.phone || contact.url) ? { contact } : {}),
      links: pick('links') ?? [],
    });
  }
  const regionNames = new Map(config.regions.filter((r) => r.name !== undefined).map((r) => [r.id, r.name!]));
  return { pages, regionNames, files: servedFiles };
}

/** Branding of a deployment without a config at hand (tests, tools): the default icon and nothing else. */
export function emptySiteBranding(): SiteBranding {
  return { pages: new Map(), regionNames: new Map(), files: new Map([[DEFAULT_FAVICON_PATH, served('image/svg+xml', Buffer.from(DEFAULT_FAVICON_SVG))]]) };
}

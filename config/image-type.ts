/** The picture formats a public page may show, judged by a file's bytes, not its name. */
export type ImageType = 'png' | 'jpeg' | 'webp' | 'svg' | 'ico';

export const IMAGE_CONTENT_TYPES: Record<ImageType, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
};

/**
 * What the bytes are: PNG, JPEG and WebP by their signatures, ICO by its
 * header, SVG as UTF-8 text whose first element is `<svg` (after an XML
 * declaration, comments or a doctype). Undefined for anything else.
 *
 * @example imageTypeOf(await readFile('logo.png')) // 'png'
 */
export function imageTypeOf(bytes: Uint8Array): ImageType | undefined {
  const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'webp';
  // an icon directory: reserved 0, type 1, at least one image
  if (starts(0x00, 0x00, 0x01, 0x00) && bytes.length > 6 && (bytes[4]! > 0 || bytes[5]! > 0)) return 'ico';
  return isSvg(bytes) ? 'svg' : undefined;
}

function isSvg(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 4096));
  } catch {
    return false; // an SVG is text
  }
  // what may come before the root element: a byte-order mark, white space, the XML declaration, comments, a doctype
  const prologue = /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?((<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)\s*)*/i;
  const rest = text.replace(prologue, '');
  return /^<svg[\s>]/.test(rest);
}

import { textsFor } from './page-texts.ts';

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A small, script-free page for the subscription flows: readable without JavaScript, in the reader's language. */
export function subscriptionPage(args: { language: string; heading: string; paragraphs?: string[]; form?: string; pageId?: string | undefined; status?: 'ok' | 'problem' }): string {
  const t = textsFor(args.language);
  const back = args.pageId ? `<p><a href="/pages/${encodeURIComponent(args.pageId)}/">${escape(t.back)}</a></p>` : '';
  const role = args.status === 'problem' ? ' role="alert"' : '';
  return `<!doctype html><html lang="${escape(args.language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(args.heading)}</title>
<style>body{font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}button{font:inherit;padding:.5rem 1rem}fieldset{border:1px solid #767676}label{display:block;margin:.25rem 0}</style></head>
<body><main><h1${role}>${escape(args.heading)}</h1>${(args.paragraphs ?? []).map((p) => `<p>${escape(p)}</p>`).join('')}${args.form ?? ''}${back}</main></body></html>`;
}

/** A form that POSTs a token back: a GET from a mail scanner changes nothing, the reader's click does. `language` rides along, so a problem page speaks it too. */
export function tokenForm(args: { action: string; token: string; button: string; fields?: string; language?: string }): string {
  const lang = args.language ? `<input type="hidden" name="lang" value="${escape(args.language)}">` : '';
  return `<form method="post" action="${escape(args.action)}"><input type="hidden" name="token" value="${escape(args.token)}">${lang}${args.fields ?? ''}<p><button type="submit">${escape(args.button)}</button></p></form>`;
}

/** The manage form's fields: the mail language, and per group a box for the whole group (its components now and later) and one per component. */
export function manageFields(args: { language: string; languages: { code: string; name: string }[]; groups: { id: string; name: string; followed: boolean; components: { id: string; name: string; followed: boolean }[] }[] }): string {
  const t = textsFor(args.language);
  const options = args.languages.map((l) => `<option value="${escape(l.code)}"${l.code === args.language ? ' selected' : ''}>${escape(l.name)}</option>`).join('');
  const box = (value: string, label: string, checked: boolean) => `<label><input type="checkbox" name="components" value="${escape(value)}"${checked ? ' checked' : ''}> ${escape(label)}</label>`;
  const groups = args.groups
    .map((g) => `<fieldset><legend>${escape(g.name)}</legend>${box(`group:${g.id}`, t.manageGroup.replace('{group}', g.name), g.followed)}${g.components.map((c) => box(c.id, c.name, c.followed)).join('')}</fieldset>`)
    .join('');
  return `<p><label for="language">${escape(t.manageLanguage)}</label><select id="language" name="language">${options}</select></p><p>${escape(t.manageComponents)}</p>${groups}`;
}

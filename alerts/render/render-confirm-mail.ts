import { localize, type Language, type LocalizedText } from '../../config/index.ts';
import { layoutMail, type RenderedMail } from './layout.ts';
import { fill, mailLanguage, MAIL_MESSAGES } from './messages.ts';

/** The double opt-in mail: one link that confirms, nothing else is sent before it is used. */
export function renderConfirmMail(args: { page: { name: LocalizedText; defaultLanguage: string }; language: string; confirmUrl: string; pageUrl: string }): RenderedMail {
  const language = mailLanguage(args.language, args.page.defaultLanguage);
  const m = MAIL_MESSAGES[language];
  const pageName = localize(args.page.name, language as Language, args.page.defaultLanguage as Language);
  return layoutMail({
    language,
    subject: fill(m.confirmSubject, { page: pageName }),
    pageName,
    blocks: [
      { kind: 'paragraph', text: fill(m.confirmIntro, { page: pageName }) },
      { kind: 'link', label: m.confirmAction, url: args.confirmUrl },
      { kind: 'note', text: m.confirmExpiry },
    ],
    links: { pageUrl: args.pageUrl },
  });
}

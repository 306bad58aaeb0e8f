export { diffNotices, type NoticeChange, type StoredNotice } from './diff-notices.ts';
export { storeNotices, type StoredNoticeChange } from './store-notices.ts';
export { loadActiveNotices, type PublicNotice } from './load-active-notices.ts';
export { recordNoticeEvents, type NoticePayload } from './record-notice-events.ts';

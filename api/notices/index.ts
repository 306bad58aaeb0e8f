export { diffNotices, type NoticeChange, type StoredNotice } from './diff-notices.ts';
export { storeNotices, type StoredNoticeChange } from './store-notices.ts';

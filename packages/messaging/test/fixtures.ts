import type { EventFactory } from '../src/index.js';

/** A small NoticeCompleted for notice `noticeId`: the event these tests send through the outbox. */
export const noticeCompleted = (events: EventFactory, noticeId: string) =>
  events.event('notices', noticeId, 'noticeCompleted', {
    noticeId,
    requests: 1,
    done: 1,
    partial: 0,
    cannotAssist: 0,
    refused: 0,
    failed: 0,
  });

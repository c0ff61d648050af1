/*
 * The outbox's decisions, pure so they are unit-tested (tools/ward/outbox-rules.spec.ts):
 * when to try again, which items to send now, and what an answer means for an item.
 */

/** Wait before the next try after `attempts` failed ones: 2 s, doubling, at most 5 minutes. */
export const BACKOFF_START_MS = 2000;
export const BACKOFF_CAP_MS = 5 * 60 * 1000;
export function backoffMs(attempts) {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * Math.pow(2, Math.max(0, attempts)));
}

/**
 * The items to send now, oldest first: only the signed-in user's own (an item is sent only under its
 * author's session) and, unless `ignoreBackoff` (page open, back online, Save), only those due.
 */
export function dueItems(items, userId, now, ignoreBackoff) {
  return items
    .filter(function (item) { return item.author && item.author.id === userId && (ignoreBackoff || item.nextTry <= now); })
    .sort(function (a, b) { return a.createdAt - b.createdAt; });
}

/** Items waiting for another carer to sign in (shown with "Send as me"). */
export function othersItems(items, userId) {
  return items.filter(function (item) { return !item.author || item.author.id !== userId; });
}

/**
 * What an answer means: 'sent'; 'signin' (no session: keep it, ask to sign in); 'csrf' (a 403 is
 * first taken for a stale token: fetch a fresh one and try once more); 'retry' (the network (status
 * 0), a timeout, throttling or the server's own failure: try again later); 'refused' (the server
 * will not take it, for a reason the carer must see: into "could not send").
 */
export function outcome(status, triedFreshToken) {
  if (status === 0) return 'retry';
  if (status >= 200 && status < 300) return 'sent';
  if (status === 401) return 'signin';
  if (status === 403 && !triedFreshToken) return 'csrf';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'refused';
}

/** The local calendar day of an instant, as YYYY-MM-DD: a draft belongs to the day it was tapped. */
export function localDay(ms) {
  var d = new Date(ms);
  var pad = function (n) { return (n < 10 ? '0' : '') + n; };
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
}

/** The draft's entries a save covered: tapped no later than the save was made (later taps stay). */
export function entriesLeftAfterSave(draftEntries, savedAt) {
  var left = {};
  Object.keys(draftEntries).forEach(function (residentId) {
    if (draftEntries[residentId].at > savedAt) left[residentId] = draftEntries[residentId];
  });
  return left;
}

/**
 * What the tablet holds for each activity, for the badge and Today's cards: `waiting`, saves in the
 * outbox; `unsaved`, the draft's taps no Save has taken yet (tapped after the latest save of the
 * activity waiting or refused: a refused save's taps are told as "could not be sent"), with the
 * draft's title and log link. Only activities with either, by activity id.
 */
export function deviceState(drafts, outbox, refused) {
  var state = {};
  var of = function (activityId) {
    if (!state[activityId]) state[activityId] = { waiting: 0, unsaved: 0, title: '', href: '/activities/' + activityId + '/log' };
    return state[activityId];
  };
  var savedAt = {};
  outbox.forEach(function (item) {
    of(item.activityId).waiting += 1;
    savedAt[item.activityId] = Math.max(savedAt[item.activityId] || 0, item.createdAt);
  });
  (refused || []).forEach(function (item) {
    savedAt[item.activityId] = Math.max(savedAt[item.activityId] || 0, item.createdAt);
  });
  drafts.forEach(function (draft) {
    var after = savedAt[draft.activityId] || 0;
    var n = Object.keys(draft.entries).filter(function (id) { return draft.entries[id].at > after; }).length;
    if (n === 0) return;
    var one = of(draft.activityId);
    one.unsaved = n;
    if (draft.title) one.title = draft.title;
  });
  return state;
}

/*
 * What the ward tablet keeps on the device, in one IndexedDB database (docs/offline-log.md):
 * - drafts:   one per activity (with its title), each resident's latest tapped entry with who tapped it and when;
 * - outbox:   saves waiting to be sent, each with its Idempotency-Key (made once, at Save);
 * - refused:  saves the server would not take, with its reason, until a person dismisses them;
 * - notices:  entries another tablet's later tap beat (the conflict rule), until dismissed.
 * Only today's drafts are kept: older ones are dropped when the database opens. Unsent saves are
 * never dropped silently: an old one stays in the outbox (or "could not send") until sent or dismissed.
 */
import { openDB } from '/static/vendor/idb/index.js';
import { entriesLeftAfterSave, localDay } from './outbox-rules.js';

var DB_NAME = 'insieme-ward';
var opening = null;

function db() {
  if (!opening) {
    opening = openDB(DB_NAME, 1, {
      upgrade: function (database) {
        database.createObjectStore('drafts', { keyPath: 'activityId' });
        database.createObjectStore('outbox', { keyPath: 'key' });
        database.createObjectStore('refused', { keyPath: 'key' });
        database.createObjectStore('notices', { keyPath: 'id' });
      },
    }).then(function (database) {
      return dropOldDrafts(database).then(function () { return database; });
    });
  }
  return opening;
}

function dropOldDrafts(database) {
  var today = localDay(Date.now());
  return database.getAll('drafts').then(function (drafts) {
    var old = drafts.filter(function (draft) { return draft.day !== today; });
    if (old.length === 0) return undefined;
    var tx = database.transaction('drafts', 'readwrite');
    old.forEach(function (draft) { tx.store.delete(draft.activityId); });
    return tx.done;
  });
}

function newKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  var bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  var hex = Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
}

/** The activity's draft: { activityId, day, title, entries: { residentId: { entry, by: { id, name }, at } } }, or undefined. */
export function getDraft(activityId) {
  return db().then(function (database) { return database.get('drafts', activityId); });
}

/** Every draft kept on the tablet (today's: older ones are dropped when the database opens). */
export function listDrafts() {
  return db().then(function (database) { return database.getAll('drafts'); });
}

/**
 * Keeps one tap at once: the resident's entry as it now stands, who tapped, when (the device's clock),
 * and the activity's title, so Today and the badge can name an activity with unsaved taps.
 */
export function recordTap(activityId, entry, by, at, title) {
  return db().then(function (database) {
    var tx = database.transaction('drafts', 'readwrite');
    return tx.store.get(activityId).then(function (draft) {
      var today = localDay(at);
      var next = draft && draft.day === today ? draft : { activityId: activityId, day: today, entries: {} };
      next.entries[entry.residentId] = { entry: entry, by: by, at: at };
      if (title) next.title = title;
      tx.store.put(next);
      return tx.done;
    });
  });
}

/** After a save was accepted: the taps it covered leave the draft; taps made after Save stay. */
export function clearSavedTaps(activityId, savedAt) {
  return db().then(function (database) {
    var tx = database.transaction('drafts', 'readwrite');
    return tx.store.get(activityId).then(function (draft) {
      if (!draft) return tx.done;
      var left = entriesLeftAfterSave(draft.entries, savedAt);
      if (Object.keys(left).length === 0) tx.store.delete(activityId);
      else { draft.entries = left; tx.store.put(draft); }
      return tx.done;
    });
  });
}

/**
 * Puts a save in the outbox: { key (the Idempotency-Key, kept across retries), activityId, title,
 * entries (each with tappedAt), complete, names (resident id → name, for messages), author, createdAt,
 * attempts, nextTry }.
 */
export function addToOutbox(save) {
  var now = Date.now();
  var item = {
    key: newKey(), activityId: save.activityId, title: save.title, href: save.href, entries: save.entries, complete: !!save.complete,
    names: save.names || {}, author: save.author, createdAt: now, attempts: 0, nextTry: now,
  };
  return db().then(function (database) { return database.put('outbox', item); }).then(function () { return item; });
}

export function listOutbox() {
  return db().then(function (database) { return database.getAll('outbox'); });
}

export function putOutboxItem(item) {
  return db().then(function (database) { return database.put('outbox', item); });
}

export function removeOutboxItem(key) {
  return db().then(function (database) { return database.delete('outbox', key); });
}

/** The server refused the save: it leaves the outbox for the "could not send" list, with the reason. */
export function moveToRefused(item, reason, status) {
  return db().then(function (database) {
    var tx = database.transaction(['outbox', 'refused'], 'readwrite');
    tx.objectStore('outbox').delete(item.key);
    tx.objectStore('refused').put(Object.assign({}, item, { reason: reason, status: status, refusedAt: Date.now() }));
    return tx.done;
  });
}

export function listRefused() {
  return db().then(function (database) { return database.getAll('refused'); });
}

/** Refused saves of the same activity, made before `item`, whose every resident `item` sent again: it replaced them. */
export function dropRefusedCoveredBy(item) {
  var sent = item.entries.map(function (entry) { return entry.residentId; });
  return db().then(function (database) {
    var tx = database.transaction('refused', 'readwrite');
    return tx.store.getAll().then(function (refused) {
      refused.filter(function (old) {
        return old.activityId === item.activityId && old.createdAt <= item.createdAt &&
          old.entries.every(function (entry) { return sent.indexOf(entry.residentId) >= 0; });
      }).forEach(function (old) { tx.store.delete(old.key); });
      return tx.done;
    });
  });
}

/**
 * A person dismissed a refused save: it goes, and so do the draft's taps it held (tapped no later than
 * it was saved), which would otherwise be shown as unsaved taps that nothing can send.
 */
export function dismissRefused(key) {
  return db().then(function (database) {
    var tx = database.transaction(['refused', 'drafts'], 'readwrite');
    var drafts = tx.objectStore('drafts');
    return tx.objectStore('refused').get(key).then(function (item) {
      tx.objectStore('refused').delete(key);
      if (!item) return tx.done;
      return drafts.get(item.activityId).then(function (draft) {
        if (draft) {
          var left = entriesLeftAfterSave(draft.entries, item.createdAt);
          if (Object.keys(left).length === 0) drafts.delete(item.activityId);
          else { draft.entries = left; drafts.put(draft); }
        }
        return tx.done;
      });
    });
  });
}

/** Entries a later tap on another tablet beat: { id, activityId, title, href, residentId, name, kept, yours, author, at }. */
export function addNotices(notices) {
  return db().then(function (database) {
    var tx = database.transaction('notices', 'readwrite');
    notices.forEach(function (notice) { tx.store.put(Object.assign({ id: newKey() }, notice)); });
    return tx.done;
  });
}

export function listNotices() {
  return db().then(function (database) { return database.getAll('notices'); });
}

export function dismissNotice(id) {
  return db().then(function (database) { return database.delete('notices', id); });
}

/** Everything the tablet holds for the ward, for sign-out, lock and revoke (the tablet's owner calls it). */
export function clearAll() {
  return db().then(function (database) {
    var tx = database.transaction(['drafts', 'outbox', 'refused', 'notices'], 'readwrite');
    ['drafts', 'outbox', 'refused', 'notices'].forEach(function (name) { tx.objectStore(name).clear(); });
    return tx.done;
  });
}

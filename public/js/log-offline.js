/*
 * The log page, offline first: every change a carer makes is kept on the tablet at once (the draft);
 * on opening, the draft is laid back over the page; Save puts the log in the outbox with its
 * Idempotency-Key and sends it when it can. The draft stays until the server has accepted it.
 * Without JavaScript the form posts as it always did.
 */
import * as store from './ward-store.js';
import { clock, conflictText, currentUser, flashNext, flush, keepAlive, openSignIn, outcomeOf, render, say } from './outbox.js';

var log = window.InsiemeLog;
var form = document.querySelector('.log-form');
var pageOpenedAt = Date.now();
/** When the server wrote the log as the page first showed it (a page kept offline can be hours old). */
var renderedAt = form && form.getAttribute('data-rendered-at') ? form.getAttribute('data-rendered-at') : new Date(pageOpenedAt).toISOString();
/** The entries as the server wrote them, before the draft was laid over them. */
var initial = {};
if (log) log.entries().forEach(function (entry) { initial[entry.residentId] = entry; });

function notice(kind, role, nodes, attrs) {
  var p = document.createElement('p');
  p.className = 'notice notice-' + kind;
  p.setAttribute('role', role);
  Object.keys(attrs || {}).forEach(function (name) { p.setAttribute(name, attrs[name]); });
  p.append.apply(p, nodes);
  return p;
}

/** Where the carer's messages about this log appear: just above the form. */
var messages = document.createElement('div');
messages.setAttribute('data-ward-log-messages', '');
if (form) form.parentNode.insertBefore(messages, form);

function same(a, b) {
  return ['engagement', 'moodBefore', 'moodAfter', 'staffNote', 'familyNote'].every(function (field) {
    return (a[field] === undefined || a[field] === '' ? null : a[field]) === (b[field] === undefined || b[field] === '' ? null : b[field]);
  });
}

function residentName(residentId) {
  var input = form.querySelector('input[name=residentId][value="' + residentId + '"]');
  var label = input && input.closest('.log-tile') && input.closest('.log-tile').querySelector('.tile-label');
  return label ? label.textContent.trim() : say('someone');
}

function restoreDraft() {
  return Promise.all([store.getDraft(log.activityId), store.listOutbox()]).then(function (found) {
    var draft = found[0];
    if (!draft) return;
    // Taps a Save already put in the outbox are laid back too, but they are not "unsaved".
    var savedAt = Math.max.apply(null, [0].concat(found[1].filter(function (item) { return item.activityId === log.activityId; }).map(function (item) { return item.createdAt; })));
    var restored = Object.keys(draft.entries).map(function (id) { return draft.entries[id]; }).filter(function (tap) {
      var shown = log.entry(tap.entry.residentId);
      if (shown && same(shown, tap.entry)) return false;
      return log.set(tap.entry.residentId, tap.entry) !== false && tap.at > savedAt;
    });
    if (restored.length === 0) return;
    var names = restored.map(function (tap) { return tap.by ? tap.by.name : say('someone'); }).filter(function (name, i, all) { return all.indexOf(name) === i; });
    var last = Math.max.apply(null, restored.map(function (tap) { return tap.at; }));
    messages.append(notice('info', 'status', [say('restored', { n: restored.length, names: names.join(', '), time: clock(last) })], { 'data-ward-restored': '' }));
  });
}

function showConflicts() {
  return store.listNotices().then(function (notices) {
    messages.querySelectorAll('[data-ward-conflict]').forEach(function (old) { old.remove(); });
    notices.filter(function (n) { return n.activityId === log.activityId; }).forEach(function (n) {
      var dismiss = document.createElement('button');
      dismiss.type = 'button';
      dismiss.className = 'button button-quiet';
      dismiss.textContent = say('dismiss');
      var p = notice('warning', 'alert', [conflictText(n) + ' ', dismiss], { 'data-ward-conflict': n.residentId });
      dismiss.addEventListener('click', function () { store.dismissNotice(n.id).then(function () { p.remove(); return render(); }); });
      messages.append(p);
    });
  });
}

function returnPath() {
  var today = document.querySelector('main a[href="/today"]');
  return today ? '/today' : '/activities/' + log.activityId;
}

/**
 * The entries to send: what was tapped on this tablet, each with its tap time; anything else the page
 * now shows differently from what the server wrote, as of now; and with neither (only "Save and
 * complete"), the page as the server wrote it, as of then, so it loses to any later tap elsewhere.
 */
function entriesToSend(draft) {
  var byResident = {};
  var taps = draft ? Object.keys(draft.entries).map(function (id) { return draft.entries[id]; }) : [];
  taps.forEach(function (tap) {
    var entry = Object.assign({}, log.entry(tap.entry.residentId) || tap.entry, { tappedAt: new Date(tap.at).toISOString() });
    if (entry.engagement) byResident[entry.residentId] = entry;
  });
  var now = new Date().toISOString();
  log.entries().forEach(function (entry) {
    var wasShown = initial[entry.residentId];
    if (!byResident[entry.residentId] && !(wasShown && same(wasShown, entry))) byResident[entry.residentId] = Object.assign({}, entry, { tappedAt: now });
  });
  var changed = Object.keys(byResident).map(function (id) { return byResident[id]; });
  if (changed.length > 0) return changed;
  return log.entries().map(function (entry) { return Object.assign({}, entry, { tappedAt: renderedAt }); });
}

function onSave(event) {
  var complete = !!(event.submitter && event.submitter.name === 'complete');
  event.preventDefault();
  messages.querySelectorAll('[data-ward-save]').forEach(function (old) { old.remove(); });
  // A mood or a note typed for someone with no way of taking part chosen would be dropped: nothing is sent until it is.
  var unchosen = log.notedWithoutEngagement();
  if (unchosen.length > 0) {
    messages.append(notice('error', 'alert', [say('noteWithoutEngagement', { names: unchosen.map(residentName).join(', ') })], { 'data-ward-save': '' }));
    log.focus(unchosen[0]);
    return null;
  }
  var buttons = form.querySelectorAll('button[type=submit]');
  buttons.forEach(function (b) { b.disabled = true; });
  var done = function () { buttons.forEach(function (b) { b.disabled = false; }); };
  return store.getDraft(log.activityId).then(function (draft) {
    var entries = entriesToSend(draft);
    if (entries.length === 0) { done(); form.submit(); return null; }
    var names = {};
    entries.forEach(function (entry) { names[entry.residentId] = residentName(entry.residentId); });
    var h1 = document.querySelector('main h1');
    return store.addToOutbox({
      activityId: log.activityId, title: h1 ? h1.textContent.trim() : '', href: '/activities/' + log.activityId + '/log',
      entries: entries, complete: complete, names: names, author: currentUser(),
    }).then(function (item) { return sendSaved(item.key, done); });
  });
}

function sendSaved(key, done) {
  return flush(true).then(function (report) {
    // Another send (a retry on a timer, coming back online) may have taken this save first.
    var outcome = outcomeOf(key) || {};
    var sent = report.sent.filter(function (s) { return s.item.key === key; })[0] || outcome.sent;
    var refused = report.refused.filter(function (r) { return r.item.key === key; })[0] || outcome.refused;
    if (sent) {
      var conflicts = sent.body.conflicts || [];
      if (conflicts.length === 0) {
        // As the form's redirect says it, so the carer reads the same on Today with or without the outbox.
        // "Marked as held" only when this save asked for it: a plain save of a held activity is a plain save.
        var marked = !!(sent.item && sent.item.complete) && sent.body.status === 'completed';
        flashNext(say(marked ? 'logSavedCompleted' : 'logSaved', { n: (sent.body.participation || []).length }));
        window.location.assign(returnPath());
        return;
      }
      // Another tablet's later taps were kept: the page shows them (ward:flushed), and the carer stays to read them.
      messages.append(notice('success', 'status', [say('sentWithConflicts')], { 'data-ward-save': '' }));
      done();
      return;
    }
    if (refused) {
      var said = notice('error', 'alert', [say('refusedNow', { reason: refused.reason })], { 'data-ward-save': '' });
      messages.append(said);
      // Said above the form: a carer who scrolled down to a tile would not see it otherwise.
      said.scrollIntoView({ block: 'nearest' });
      done();
      return;
    }
    if (report.signin) {
      messages.append(notice('warning', 'status', [say('savedSignIn')], { 'data-ward-save': '' }));
      done();
      return openSignIn().then(function (signedIn) { return signedIn ? sendSaved(key, done) : undefined; });
    }
    // Kept on the tablet. Today opens without a network only where the ward app's service worker
    // serves it; elsewhere the carer stays here, told, rather than meeting the browser's error page.
    if (navigator.onLine && navigator.serviceWorker && navigator.serviceWorker.controller) {
      flashNext(say('savedOnTablet'));
      window.location.assign(returnPath());
      return;
    }
    messages.append(notice('info', 'status', [say('savedOnTablet')], { 'data-ward-save': '' }));
    done();
  });
}

/** After any send: lay the kept entries of this activity over the page and say what was not kept. */
function onFlushed(event) {
  var mine = event.detail.sent.filter(function (s) { return s.item.activityId === log.activityId; });
  mine.forEach(function (s) {
    (s.body.conflicts || []).forEach(function (c) {
      log.set(c.residentId, Object.assign({}, log.entry(c.residentId), { engagement: c.kept.engagement }));
    });
  });
  if (mine.length) {
    messages.querySelectorAll('[data-ward-save]').forEach(function (old) { if (old.classList.contains('notice-info')) old.remove(); });
    showConflicts();
  }
}

if (log && form) {
  log.onChange(function (residentId, entry) {
    var me = currentUser();
    var h1 = document.querySelector('main h1');
    // With the title, Today and the badge of other pages can name the activity a tap left unsaved.
    store.recordTap(log.activityId, entry, me ? { id: me.id, name: me.name } : null, Date.now(), h1 ? h1.textContent.trim() : '');
    keepAlive();
  });
  form.addEventListener('submit', onSave);
  document.addEventListener('ward:flushed', onFlushed);
  // Marked once taps are being kept and the draft is back on the page (tests wait for it).
  restoreDraft().then(showConflicts).then(function () { form.setAttribute('data-ward-ready', ''); });
}

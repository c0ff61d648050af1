/*
 * On every signed-in page (views/partials/outbox-badge.hbs): the badge "N waiting to send" /
 * "All sent" with its lists (waiting, could not send, not kept), and the sender that empties the
 * outbox through PUT /api/activities/:id/participation, on page open, when the tablet comes back
 * online, and with growing waits while the network or the server fails. An item is sent only under
 * its author's session; another carer's items wait for them or for an explicit "Send as me".
 * When the session has ended, a sign-in dialog opens in place and nothing is lost.
 */
import * as store from './ward-store.js';
import { formatMessage } from './message-format.js';
import { backoffMs, deviceState, dueItems, othersItems, outcome } from './outbox-rules.js';

var root = document.querySelector('[data-ward-outbox]');
var texts = {};
if (root) {
  Array.prototype.forEach.call(document.getElementById('ward-texts').content.querySelectorAll('[data-k]'), function (el) {
    texts[el.getAttribute('data-k')] = el.textContent;
  });
}

/** A text from the page's catalogue (ICU messages as written: views/partials/outbox-badge.hbs), its arguments filled. */
export function say(key, params) {
  return texts[key] === undefined ? key : formatMessage(texts[key], params, document.documentElement.lang);
}

export function clock(ms) {
  return new Date(ms).toLocaleTimeString(document.documentElement.lang || undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** The signed-in user as the page was rendered, and after an in-place sign-in. */
var current = root ? { id: root.getAttribute('data-user-id'), name: root.getAttribute('data-user-name') } : null;
var csrfToken = null;
var timer = null;
var flushing = null;
var signInWanted = false;
/** What became of each save sent from this page, by key: a Save waits for its own item, whichever send took it. */
var outcomes = {};

/** { sent: { item, body } } or { refused: { item, reason } } once this page has sent the save, else undefined. */
export function outcomeOf(key) {
  return outcomes[key];
}

export function currentUser() {
  return current;
}

function engagementLabel(value) {
  return say('engagement.' + value);
}

// The session --------------------------------------------------------------------------------------

/** GET /api/session: { user, csrfToken }, or 'signin' (401), or 'offline' (no answer). */
function fetchSession() {
  return fetch('/api/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (res) {
      // Signed out, the answer carries the token a signed-out visitor's PIN sign-in sends.
      if (res.status === 401) return res.json().catch(function () { return {}; }).then(function (body) { csrfToken = body.csrfToken || null; return 'signin'; });
      if (!res.ok) return 'offline';
      return res.json().then(function (body) {
        csrfToken = body.csrfToken;
        current = { id: body.user.id, name: body.user.displayName };
        return body;
      });
    })
    .catch(function () { return 'offline'; });
}

var lastKeepAlive = 0;
/** Taps count as use: at most once a minute, a tap asks for the session, which moves its idle expiry on. */
export function keepAlive() {
  if (Date.now() - lastKeepAlive < 60 * 1000 || !navigator.onLine) return;
  lastKeepAlive = Date.now();
  fetchSession();
}

// Sending ------------------------------------------------------------------------------------------

function put(item) {
  return fetch('/api/activities/' + encodeURIComponent(item.activityId) + '/participation', {
    method: 'PUT',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': item.key, 'X-CSRF-Token': csrfToken || '' },
    body: JSON.stringify({ entries: item.entries, complete: item.complete }),
  }).then(function (res) {
    return res.json().catch(function () { return {}; }).then(function (body) { return { status: res.status, body: body }; });
  }, function () { return { status: 0, body: {} }; });
}

/**
 * The server's reason, each field error of an entry led by the resident's name ("Aldo Rossi: Enter 5
 * or less."): the API names fields by their place in the save (`entries.2.moodBefore`), which a carer
 * cannot read.
 */
function refusalReason(answer, item) {
  var body = answer.body || {};
  var fields = body.fields ? Object.keys(body.fields).map(function (k) {
    var place = /^entries\.(\d+)\./.exec(k);
    var entry = place && item && item.entries[Number(place[1])];
    var name = entry && item.names ? item.names[entry.residentId] : null;
    return name && body.fields[k].indexOf(name) < 0 ? name + ': ' + body.fields[k] : body.fields[k];
  }) : [];
  var reason = [body.message].concat(fields).filter(Boolean).join(' ');
  return reason || say('refusedStatus', { status: answer.status });
}

function noticesFrom(item, conflicts) {
  return conflicts.map(function (c) {
    return {
      activityId: item.activityId, title: item.title, href: item.href, residentId: c.residentId,
      name: item.names[c.residentId] || say('someone'), kept: c.kept, yours: c.yours, author: item.author, at: Date.now(),
    };
  });
}

/** The sentence that tells a carer their tap was not kept. */
export function conflictText(notice) {
  return say('conflict', {
    resident: notice.name,
    kept: engagementLabel(notice.kept.engagement),
    by: notice.kept.recordedBy || say('someone'),
    keptAt: clock(Date.parse(notice.kept.tappedAt)),
    yours: engagementLabel(notice.yours.engagement),
    yoursAt: clock(Date.parse(notice.yours.tappedAt)),
  });
}

/**
 * Sends what the signed-in carer may send. Answers { sent: [{ item, body }], refused: [{ item, reason }],
 * waiting: n, signin: bool }. `ignoreBackoff` on page open, back online and Save.
 */
export function flush(ignoreBackoff) {
  if (flushing) return flushing.then(function () { return flush(ignoreBackoff); });
  var report = { sent: [], refused: [], waiting: 0, signin: false };
  flushing = store.listOutbox().then(function (items) {
    if (items.length === 0) return report;
    return fetchSession().then(function (session) {
      if (session === 'signin') { report.signin = true; return report; }
      if (session === 'offline') return report;
      var due = dueItems(items, current.id, Date.now(), ignoreBackoff);
      return due.reduce(function (chain, item) {
        return chain.then(function (stop) { return stop ? true : sendOne(item, report); });
      }, Promise.resolve(false)).then(function () { return report; });
    });
  }).then(function (result) {
    flushing = null;
    signInWanted = result.signin;
    return render().then(function (waiting) {
      result.waiting = waiting;
      // Waiting for a sign-in, nothing is retried on a timer: signing in sends what waits.
      if (!result.signin) schedule();
      // The log page shows what another tablet's later taps beat, however the save was sent.
      if (result.sent.length || result.refused.length) document.dispatchEvent(new CustomEvent('ward:flushed', { detail: result }));
      return result;
    });
  }, function (error) {
    flushing = null;
    throw error;
  });
  return flushing;
}

/** One item; resolves true when sending must stop (no session, or the network is gone). */
function sendOne(item, report, triedFreshToken) {
  return put(item).then(function (answer) {
    switch (outcome(answer.status, triedFreshToken)) {
      case 'sent':
        report.sent.push({ item: item, body: answer.body });
        outcomes[item.key] = { sent: report.sent[report.sent.length - 1] };
        return Promise.all([
          store.removeOutboxItem(item.key),
          store.clearSavedTaps(item.activityId, item.createdAt),
          // A refused save this one carries again (the draft kept its taps) is no longer "could not be sent".
          store.dropRefusedCoveredBy(item),
          answer.body.conflicts && answer.body.conflicts.length ? store.addNotices(noticesFrom(item, answer.body.conflicts)) : null,
        ]).then(function () { return false; });
      case 'signin':
        report.signin = true;
        return true;
      case 'csrf':
        return fetchSession().then(function (session) {
          return typeof session === 'object' ? sendOne(item, report, true) : true;
        });
      case 'refused':
        report.refused.push({ item: item, reason: refusalReason(answer, item) });
        outcomes[item.key] = { refused: report.refused[report.refused.length - 1] };
        return store.moveToRefused(item, refusalReason(answer, item), answer.status).then(function () { return false; });
      default:
        item.attempts += 1;
        item.nextTry = Date.now() + backoffMs(item.attempts);
        return store.putOutboxItem(item).then(function () { return answer.status === 0; });
    }
  });
}

function schedule() {
  clearTimeout(timer);
  store.listOutbox().then(function (items) {
    var mine = current ? dueItems(items, current.id, Infinity, true) : [];
    if (mine.length === 0) return;
    var next = Math.min.apply(null, mine.map(function (item) { return item.nextTry; }));
    timer = setTimeout(function () { flush(false); }, Math.max(1000, next - Date.now()));
  });
}

/** Another carer's waiting save, sent by the one signed in now: they become its author, explicitly. */
function sendAsMe(key) {
  return store.listOutbox().then(function (items) {
    var item = items.filter(function (i) { return i.key === key; })[0];
    if (!item) return null;
    item.author = { id: current.id, name: current.name };
    item.nextTry = Date.now();
    return store.putOutboxItem(item);
  }).then(function () { return flush(true); });
}

// The badge and its lists ------------------------------------------------------------------------

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
  (children || []).forEach(function (child) { node.append(child); });
  return node;
}

function button(label, onClick, extraClass) {
  var b = el('button', { type: 'button', class: 'button button-quiet' + (extraClass ? ' ' + extraClass : '') }, [label]);
  b.addEventListener('click', onClick);
  return b;
}

/**
 * Today's cards (views/activities/today.hbs, `data-ward-card`) say what this tablet holds of their
 * activity: a save waiting to be sent, taps not saved yet (a link back to the log). The page itself
 * was written by the server without them, and may be a copy kept for offline use.
 */
function renderCards(state) {
  Array.prototype.forEach.call(document.querySelectorAll('[data-ward-card]'), function (card) {
    var held = state[card.getAttribute('data-ward-card')];
    var parts = [];
    if (held && held.waiting) parts.push(el('span', { class: 'ward-card-waiting' }, [say('cardWaiting')]));
    if (held && held.unsaved) parts.push(el('a', { href: held.href, class: 'ward-card-unsaved' }, [say('cardUnsaved', { n: held.unsaved })]));
    card.replaceChildren.apply(card, parts);
    card.hidden = parts.length === 0;
    // What the server counted is not the whole story: no green "Log" inviting the carer to start again.
    var action = card.closest('li') && card.closest('li').querySelector('a.today-log[data-review-label]');
    if (action && held && (held.waiting || held.unsaved) && action.classList.contains('button-primary')) {
      action.classList.replace('button-primary', 'button-quiet');
      action.firstChild.textContent = action.getAttribute('data-review-label');
    }
  });
}

/**
 * Offline, the page on screen is a copy (the service worker's, or this one from when it loaded): it
 * says from when, so a count written before a save was made is not taken as now.
 */
function showPageCopy() {
  var place = document.querySelector('[data-ward-page-copy]');
  if (!place) return;
  if (navigator.onLine) { place.replaceChildren(); return; }
  var loaded = Math.round(performance.timeOrigin || Date.now());
  var kept = window.caches ? window.caches.match(location.pathname + location.search).catch(function () { return null; }) : Promise.resolve(null);
  kept.then(function (copy) {
    var written = copy && copy.headers.get('date') ? Date.parse(copy.headers.get('date')) : NaN;
    var said = say('pageCopy', { time: clock(isNaN(written) ? loaded : Math.min(written, loaded)) });
    place.replaceChildren.apply(place, navigator.onLine ? [] : [el('p', { class: 'notice notice-warning', role: 'status' }, [said])]);
  });
}

/** Draws the badge and its lists and Today's cards; resolves the number of saves waiting. */
export function render() {
  if (!root) return Promise.resolve(0);
  return Promise.all([store.listOutbox(), store.listRefused(), store.listNotices(), store.listDrafts()]).then(function (all) {
    var outbox = all[0];
    var refused = all[1];
    var notices = all[2];
    var state = deviceState(all[3], outbox, refused);
    // On a log page its own taps are on the page itself; counted in the badge they would change its
    // width under the carer's taps, and the header could wrap and move the tiles.
    var here = window.InsiemeLog ? window.InsiemeLog.activityId : null;
    var unsaved = Object.keys(state).filter(function (id) { return state[id].unsaved > 0 && id !== here; }).map(function (id) { return state[id]; });
    var unsavedTaps = unsaved.reduce(function (n, one) { return n + one.unsaved; }, 0);
    renderCards(state);
    var status = root.querySelector('[data-ward-status]');
    var parts = outbox.length ? [say('waiting', { n: outbox.length })] : [];
    if (unsavedTaps) parts.push(say('unsavedCount', { n: unsavedTaps }));
    if (refused.length) parts.push(say('refusedCount', { n: refused.length }));
    if (notices.length) parts.push(say('notKeptCount', { n: notices.length }));
    // "All sent" only when nothing is waiting, unsaved or refused: not "All sent · 1 not sent".
    status.textContent = parts.length ? parts.join(' · ') : say('allSent');
    root.setAttribute('data-state', refused.length || notices.length ? 'attention' : outbox.length ? 'waiting' : unsavedTaps ? 'unsaved' : 'sent');

    var panel = root.querySelector('[data-ward-panel]');
    panel.replaceChildren();
    if (unsaved.length) {
      var ul = el('ul', { class: 'ward-list', 'aria-label': say('unsavedTitle') });
      unsaved.forEach(function (one) {
        ul.append(el('li', { 'data-unsaved': one.href }, [
          el('span', {}, [say('unsavedLine', { title: one.title || say('someActivity'), n: one.unsaved })]),
          el('a', { href: one.href, class: 'button button-quiet' }, [say('openLog')]),
        ]));
      });
      panel.append(el('h2', {}, [say('unsavedTitle')]), ul);
    }
    if (signInWanted && outbox.length) panel.append(el('p', {}, [button(say('signInToSend'), function () { openSignIn().then(function (ok) { return ok ? flush(true) : null; }); })]));
    if (outbox.length) {
      var mine = current ? outbox.filter(function (i) { return othersItems([i], current.id).length === 0; }) : outbox;
      var list = el('ul', { class: 'ward-list', 'aria-label': say('waitingTitle') });
      outbox.forEach(function (item) {
        var li = el('li', {}, [el('span', {}, [say('itemLine', { title: item.title || '', n: item.entries.length, time: clock(item.createdAt) })])]);
        if (mine.indexOf(item) < 0) {
          li.append(el('span', { class: 'muted' }, [' ' + say('waitingFor', { name: item.author ? item.author.name : say('someone') })]));
          li.append(button(say('sendAsMe'), function () { sendAsMe(item.key); }));
        }
        list.append(li);
      });
      panel.append(el('h2', {}, [say('waitingTitle')]), list);
    }
    if (refused.length) {
      var rl = el('ul', { class: 'ward-list' });
      refused.forEach(function (item) {
        var li = el('li', { 'data-refused': item.activityId }, [
          el('span', {}, [say('itemLine', { title: item.title || '', n: item.entries.length, time: clock(item.createdAt) })]),
          el('span', { class: 'ward-reason' }, [item.reason]),
        ]);
        if (item.href) li.append(el('a', { href: item.href, class: 'button button-quiet' }, [say('openLog')]));
        li.append(button(say('dismiss'), function () { store.dismissRefused(item.key).then(render); }));
        rl.append(li);
      });
      panel.append(el('h2', {}, [say('refusedTitle')]), rl);
    }
    if (notices.length) {
      var nl = el('ul', { class: 'ward-list' });
      notices.forEach(function (notice) {
        var li = el('li', { 'data-conflict': notice.residentId }, [el('span', {}, [conflictText(notice)])]);
        if (notice.href) li.append(el('a', { href: notice.href, class: 'button button-quiet' }, [say('openLog')]));
        li.append(button(say('dismiss'), function () { store.dismissNotice(notice.id).then(render); }));
        nl.append(li);
      });
      panel.append(el('h2', {}, [say('notKeptTitle')]), nl);
    }
    if (!outbox.length && !refused.length && !notices.length && !unsaved.length) panel.append(el('p', {}, [say('nothingWaiting')]));
    return outbox.length;
  });
}

// Signing in again, in place ---------------------------------------------------------------------

var dialog = document.querySelector('[data-ward-signin]');
var signInDone = [];

/** Opens the sign-in dialog; resolves when someone has signed in (never rejects: closing leaves everything waiting). */
export function openSignIn() {
  if (!dialog) return Promise.resolve(false);
  return new Promise(function (resolve) {
    signInDone.push(resolve);
    if (!dialog.open) {
      dialog.querySelector('[data-ward-signin-error]').textContent = '';
      dialog.showModal();
      var first = dialog.querySelector('input:not([type=hidden])');
      if (first) first.focus();
    }
  });
}

function signedIn(body) {
  csrfToken = body.csrfToken;
  current = { id: body.user.id, name: body.user.displayName };
  root.setAttribute('data-user-id', current.id);
  root.setAttribute('data-user-name', current.name);
  // The page's own forms carry the old session's token.
  Array.prototype.forEach.call(document.querySelectorAll('input[name=_csrf]'), function (input) { input.value = body.csrfToken; });
  var who = document.querySelector('.session-box .who');
  if (who && who.firstChild) who.firstChild.textContent = current.name + ' ';
  dialog.close();
  // Whoever opened the dialog sends what waited for it.
  signInDone.splice(0).forEach(function (resolve) { resolve(true); });
}

function postJson(url, body) {
  return fetch(url, {
    method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrfToken || '' },
    body: JSON.stringify(body),
  }).then(function (res) {
    return res.json().catch(function () { return {}; }).then(function (json) { return { status: res.status, body: json }; });
  });
}

function setUpDialog() {
  if (!dialog) return;
  var error = dialog.querySelector('[data-ward-signin-error]');
  var fail = function (answer) {
    error.textContent = answer.status === 0 ? say('offlineSignIn') : refusalReason(answer);
  };
  dialog.querySelector('[data-ward-password-form]').addEventListener('submit', function (event) {
    event.preventDefault();
    var form = event.target;
    postJson('/api/auth/login', { email: form.elements.email.value, password: form.elements.password.value })
      .then(function (answer) {
        form.elements.password.value = '';
        if (answer.status === 200) return signedIn(answer.body);
        return fail(answer);
      }, function () { fail({ status: 0 }); });
  });
  dialog.querySelector('[data-ward-signin-cancel]').addEventListener('click', function () {
    dialog.close();
    signInDone.splice(0).forEach(function (resolve) { resolve(false); });
  });
  var pinForm = dialog.querySelector('[data-ward-pin-form]');
  if (!pinForm || !document.documentElement.hasAttribute('data-ward-device')) return;
  // The ward tablet's carer PIN (issue 15 item 4): offered only where the endpoints answer.
  var tabs = dialog.querySelectorAll('[data-ward-tab]');
  Array.prototype.forEach.call(tabs, function (tab) {
    tab.addEventListener('click', function () {
      Array.prototype.forEach.call(tabs, function (other) { other.setAttribute('aria-pressed', other === tab ? 'true' : 'false'); });
      var pin = tab.getAttribute('data-ward-tab') === 'pin';
      pinForm.hidden = !pin;
      dialog.querySelector('[data-ward-password-form]').hidden = pin;
    });
  });
  fetch('/api/ward/carers', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (res) { return res.ok ? res.json() : null; })
    .then(function (body) {
      var carers = body && (Array.isArray(body) ? body : body.carers);
      if (!carers || carers.length === 0) return;
      var select = pinForm.elements.userId;
      carers.forEach(function (carer) { select.append(el('option', { value: carer.id }, [carer.displayName || carer.name])); });
      dialog.querySelector('[data-ward-tabs]').hidden = false;
    })
    .catch(function () { return undefined; });
  pinForm.addEventListener('submit', function (event) {
    event.preventDefault();
    postJson('/api/ward/pin', { userId: pinForm.elements.userId.value, pin: pinForm.elements.pin.value })
      .then(function (answer) {
        pinForm.elements.pin.value = '';
        if (answer.status === 200 && answer.body.user) return signedIn(answer.body.csrfToken ? answer.body : Object.assign({ csrfToken: csrfToken }, answer.body));
        return fail(answer);
      }, function () { fail({ status: 0 }); });
  });
}

// A message carried to the next page (after Save, the log goes back to Today) ----------------------

var FLASH = 'insieme-ward-flash';
export function flashNext(text) {
  try { sessionStorage.setItem(FLASH, text); } catch (e) { /* private mode: the badge still tells */ }
}

function showFlash() {
  var text = null;
  try { text = sessionStorage.getItem(FLASH); sessionStorage.removeItem(FLASH); } catch (e) { return; }
  if (!text) return;
  var main = document.getElementById('main');
  if (main) main.prepend(el('p', { class: 'notice notice-success', role: 'status', 'data-ward-flash': '' }, [text]));
}

/**
 * Sign-out and "Switch carer" first give what waits a last chance to go (at most 3 seconds), so a
 * carer who leaves right after saving does not leave the save behind. Whatever is still unsent stays
 * in the outbox either way (never cleared by leaving) and goes when its author is next signed in here.
 */
function leaveAfterSending(selector) {
  Array.prototype.forEach.call(document.querySelectorAll(selector), function (form) {
    form.addEventListener('submit', function (event) {
      if (form.hasAttribute('data-ward-leaving')) return;
      event.preventDefault();
      form.setAttribute('data-ward-leaving', '');
      var giveUp = new Promise(function (resolve) { setTimeout(resolve, 3000); });
      var attempt = store.listOutbox().then(function (items) { return items.length > 0 && navigator.onLine ? flush(true) : null; });
      Promise.race([attempt, giveUp]).catch(function () { return null; }).then(function () { form.submit(); });
    });
  });
}

// Start ------------------------------------------------------------------------------------------

if (root) {
  root.hidden = false;
  setUpDialog();
  showFlash();
  window.addEventListener('online', function () { showPageCopy(); flush(true); });
  window.addEventListener('offline', showPageCopy);
  showPageCopy();
  leaveAfterSending('form[action="/logout"], form[action="/ward/lock"]');
  render().then(function () { return flush(true); }).then(function (report) {
    if (report.signin) return openSignIn().then(function (signedIn) { return signedIn ? flush(true) : null; });
    return null;
  });
}

/*
 * Insieme ward tablet (src/ward-devices, docs/ward-tablet.md). Loaded on an enrolled tablet only.
 * 1. The PIN page submits itself at the sixth digit (the button stays for no-JS).
 * 2. In a carer's PIN session the tablet locks back to the carer picker after 5 idle minutes:
 *    POST /ward/lock (ends the session), then the picker. The server ends an idle PIN session after
 *    5 minutes as well, so the picker follows even when the lock request cannot be answered.
 */
(function () {
  'use strict';

  var IDLE_MS = 5 * 60 * 1000;

  function setUpPinInput() {
    var input = document.querySelector('input[data-ward-pin]');
    if (!input) return;
    input.addEventListener('input', function () {
      var digits = input.value.replace(/\D/g, '').slice(0, 6);
      if (digits !== input.value) input.value = digits;
      if (digits.length === 6 && input.form) {
        if (input.form.requestSubmit) input.form.requestSubmit();
        else input.form.submit();
      }
    });
    // A wrong PIN comes back with the field empty and the error beside it: the next try starts at once.
    input.focus();
  }

  function lock() {
    var form = document.querySelector('form.ward-switch');
    var token = form ? form.querySelector('input[name="_csrf"]') : null;
    var done = function () { window.location.assign('/ward'); };
    if (!token) { done(); return; }
    fetch('/ward/lock', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '_csrf=' + encodeURIComponent(token.value),
      redirect: 'manual',
    }).then(done, done);
  }

  function setUpIdleLock() {
    if (document.documentElement.getAttribute('data-pin-session') !== '1') return;
    var timer;
    var reset = function () {
      clearTimeout(timer);
      timer = setTimeout(lock, IDLE_MS);
    };
    ['pointerdown', 'keydown', 'input'].forEach(function (name) {
      document.addEventListener(name, reset, { capture: true, passive: true });
    });
    reset();
  }

  function start() {
    setUpPinInput();
    setUpIdleLock();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

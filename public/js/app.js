/* Insieme: small progressive enhancements. No dependencies; CSP-safe (no inline code). */
(function () {
  'use strict';

  // 1. After a failed submit, put the cursor in the first field the server marked invalid.
  function focusFirstInvalid() {
    const field = document.querySelector(
      'input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"]');
    if (field) field.focus();
  }

  // 2. Prevent double submits. Buttons are disabled on the next tick so the clicked button's
  //    name/value (e.g. locale=it) is still included in the submitted data.
  //    Opt out with <form data-allow-resubmit> (e.g. downloads that do not leave the page).
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute('data-allow-resubmit')) return;
    if (form.dataset.submitting) { event.preventDefault(); return; }
    if (event.defaultPrevented) return;
    form.dataset.submitting = 'true';
    setTimeout(() => {
      form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]')
        .forEach((button) => {
          if (!button.disabled) { button.disabled = true; button.dataset.autoDisabled = 'true'; }
        });
    }, 0);
  });

  // Coming back via the back button (bfcache) must not leave forms stuck.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    document.querySelectorAll('form[data-submitting]').forEach((form) => { delete form.dataset.submitting; });
    document.querySelectorAll('[data-auto-disabled]').forEach((button) => {
      button.disabled = false;
      delete button.dataset.autoDisabled;
    });
  });

  // 3. A form that sends the reader back to a section of a long page (/portal/residents/…#coming) has
  //    its one-off messages ("Thank you: the staff will be in touch.") shown at the top of that section,
  //    where the reader is, rather than at the top of the page, out of sight above it.
  function showFlashAtSection() {
    const notices = document.querySelectorAll('main > .notice[data-flash]');
    if (notices.length === 0 || location.hash.length < 2) return;
    let target = null;
    try { target = document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch { return; }
    if (!target || !target.closest('main') || target.matches('main')) return;
    const heading = Array.from(target.children).find((child) => /^H[1-6]$/.test(child.tagName));
    let after = heading || null;
    notices.forEach((notice) => {
      if (after) after.after(notice);
      else target.prepend(notice);
      after = notice;
    });
    target.scrollIntoView();
  }

  // 4. A textarea with a limit (<textarea data-char-limit="4000" data-chars-left data-chars-over>) says
  //    how many characters are left, or how many too many, as the reader types or pastes. Nothing is
  //    cut: a maxlength would drop the end of a pasted text without a word; the server refuses a text
  //    over the limit and gives it back to shorten. The words are the catalogue's, as written (ICU),
  //    filled by message-format.js. A line break counts once, as the server counts it.
  function countCharacters() {
    const fields = document.querySelectorAll('textarea[data-char-limit]');
    if (fields.length === 0) return;
    import('/static/js/message-format.js').then(({ formatMessage }) => {
      const locale = document.documentElement.lang || 'en';
      fields.forEach((field) => {
        const limit = Number(field.dataset.charLimit);
        // Shown to the eye as it changes; told to a screen reader once the typing pauses.
        const shown = document.createElement('p');
        shown.setAttribute('aria-hidden', 'true');
        const told = document.createElement('span');
        told.className = 'sr-only';
        told.setAttribute('aria-live', 'polite');
        field.after(shown, told);
        let pause = 0;
        const update = (announce) => {
          const left = limit - field.value.length;
          const text = left >= 0
            ? formatMessage(field.dataset.charsLeft, { n: left }, locale)
            : formatMessage(field.dataset.charsOver, { n: -left }, locale);
          shown.textContent = text;
          shown.className = left >= 0 ? 'hint char-count' : 'field-error char-count';
          clearTimeout(pause);
          if (announce) pause = setTimeout(() => { told.textContent = text; }, 1000);
        };
        field.addEventListener('input', () => update(true));
        update(false);
      });
    }).catch(() => { /* without the counter the hint still gives the limit, and the server checks it */ });
  }

  // 5. A conversation shown with new messages is read once the reader has had it on screen: its "Mark
  //    as read" form (<form data-read-on-view>) is sent in the background, with its CSRF token, when
  //    the page is visible (not while it waits in a background tab or is prerendered). A GET stores
  //    nothing, so the page cannot do it itself; without JavaScript the button stays. Done when the
  //    server answers with the thread again (its redirect): the form goes, and the messages keep their
  //    "New" for this visit. Anything else (a sign-in page, a refusal, no network) leaves the button.
  function readOnView() {
    const form = document.querySelector('form[data-read-on-view]');
    if (!form) return;
    let sent = false;
    const send = () => {
      if (sent || document.visibilityState !== 'visible') return;
      sent = true;
      document.removeEventListener('visibilitychange', send);
      const thread = new URL(form.action).pathname.replace(/\/read$/, '');
      fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin' })
        .then((response) => {
          if (response.ok && new URL(response.url).pathname === thread) form.remove();
        })
        .catch(() => { /* the button is still there */ });
    };
    document.addEventListener('visibilitychange', send);
    send();
  }

  function ready() {
    showFlashAtSection();
    focusFirstInvalid();
    countCharacters();
    readOnView();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();

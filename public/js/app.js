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

  function ready() {
    showFlashAtSection();
    focusFirstInvalid();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();

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

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', focusFirstInvalid);
  else focusFirstInvalid();
})();

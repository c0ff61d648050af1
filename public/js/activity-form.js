// The activity form: choosing a type fills in what that type usually is (title, length, place,
// places and co-production phases). A field the user changed from the previous type's value is kept.
// Without this script the server fills the fields left empty from the type on save.
(function () {
  'use strict';
  var form = document.querySelector('form[data-activity-form]');
  if (!form) return;
  var select = form.querySelector('select[name="activityTypeId"]');
  if (!select) return;
  var fields = { title: 'title', duration: 'durationMinutes', location: 'location', capacity: 'capacity' };

  function defaultsOf(option) {
    var d = option && option.value ? option.dataset : {};
    return { title: d.title || '', duration: d.duration || '', location: d.location || '', capacity: d.capacity || '', phases: (d.phases || '').split(' ').filter(Boolean) };
  }

  function tickedPhases() {
    return Array.prototype.filter.call(form.querySelectorAll('input[name="phases"]'), function (box) { return box.checked; }).map(function (box) { return box.value; });
  }

  function samePhases(a, b) {
    return a.length === b.length && a.every(function (phase) { return b.indexOf(phase) !== -1; });
  }

  var previous = defaultsOf(select.options[select.selectedIndex]);

  select.addEventListener('change', function () {
    var next = defaultsOf(select.options[select.selectedIndex]);
    Object.keys(fields).forEach(function (key) {
      var input = form.elements.namedItem(fields[key]);
      if (!input) return;
      // Empty, or still what the previous type put there: the new type's value replaces it.
      if (input.value === '' || input.value === previous[key]) input.value = next[key];
    });
    var ticked = tickedPhases();
    if (ticked.length === 0 || samePhases(ticked, previous.phases)) {
      Array.prototype.forEach.call(form.querySelectorAll('input[name="phases"]'), function (box) { box.checked = next.phases.indexOf(box.value) !== -1; });
    }
    previous = next;
  });
})();

// The repeat rule (docs/planning.md, "Series"): only the fields of the repeat chosen are shown (the
// days for weekly, the nth weekday for monthly, nothing for a single date). Without this script every
// field shows, and the server reads those of the repeat chosen.
(function () {
  'use strict';
  var form = document.querySelector('form[data-activity-form]');
  if (!form || !form.querySelector('[data-series-rule]')) return;

  function show() {
    var chosen = form.querySelector('input[name="repeat"]:checked');
    var repeat = chosen ? chosen.value : 'never';
    // style.display rather than `hidden`: the grid and field rules of the stylesheet set a display that would win.
    Array.prototype.forEach.call(form.querySelectorAll('[data-series-details]'), function (part) { part.style.display = repeat === 'never' ? 'none' : ''; });
    Array.prototype.forEach.call(form.querySelectorAll('[data-repeat-only]'), function (part) { part.style.display = part.getAttribute('data-repeat-only') !== repeat ? 'none' : ''; });
    // "Ends on a date" shows the date, "after n times" the number; neither chosen yet shows both.
    var ends = form.querySelector('input[name="ends"]:checked');
    Array.prototype.forEach.call(form.querySelectorAll('[data-ends-only]'), function (part) { part.style.display = ends && part.getAttribute('data-ends-only') !== ends.value ? 'none' : ''; });
  }

  Array.prototype.forEach.call(form.querySelectorAll('input[name="repeat"], input[name="ends"]'), function (radio) { radio.addEventListener('change', show); });
  show();
})();

/*
 * The tablet log: a tap on a resident's tile moves their engagement on to the next level
 * (took part, watched, present but not engaged, declined, absent, back to took part);
 * "Everyone took part" marks every tile not yet logged. The selects stay the source of truth,
 * so the form works the same without this script.
 */
(function () {
  'use strict';
  var form = document.querySelector('.log-form');
  if (!form) return;
  document.documentElement.classList.add('js-log');
  var tiles = Array.prototype.slice.call(form.querySelectorAll('.log-tile'));
  var counter = form.querySelector('[data-log-count]');

  function labelFor(select) {
    return select.options[select.selectedIndex].text;
  }

  function render(tile) {
    var select = tile.querySelector('[data-engagement-select]');
    var button = tile.querySelector('.log-tile-button');
    tile.setAttribute('data-engagement', select.value);
    tile.querySelector('[data-state-label]').textContent = labelFor(select);
    button.setAttribute('aria-pressed', select.value ? 'true' : 'false');
    button.setAttribute('aria-label', tile.querySelector('.tile-label').textContent + ': ' + labelFor(select));
  }

  function updateCount() {
    var logged = tiles.filter(function (tile) { return tile.querySelector('[data-engagement-select]').value; }).length;
    if (counter) counter.textContent = logged + ' / ' + tiles.length;
  }

  tiles.forEach(function (tile) {
    var select = tile.querySelector('[data-engagement-select]');
    tile.querySelector('.log-tile-button').addEventListener('click', function () {
      // Option 0 is "not logged": cycle through the engagement levels only.
      var next = select.selectedIndex + 1;
      select.selectedIndex = next >= select.options.length ? 1 : next;
      render(tile);
      updateCount();
    });
    select.addEventListener('change', function () { render(tile); updateCount(); });
    render(tile);
  });

  var everyone = form.querySelector('[data-everyone]');
  if (everyone) {
    everyone.addEventListener('click', function () {
      tiles.forEach(function (tile) {
        var select = tile.querySelector('[data-engagement-select]');
        if (!select.value) { select.value = 'active'; render(tile); }
      });
      updateCount();
    });
  }
  updateCount();
})();

/*
 * The tablet log. A tap on a resident's tile moves their engagement on to the next level (took part,
 * watched, present but not engaged, declined, absent, back to took part); "Choose" in the tile's
 * corner, or pressing and holding the tile, opens a picker with every state. "Everyone took part"
 * marks every tile not yet logged, except residents on leave (their tile says so): a carer who taps it
 * states who is in the room, and a resident away from the home was not; they stay unlogged, still
 * tappable should they come back for the day. Residents are added in place from the page's list of those not yet
 * invited (the whole unit, those who like the activity, or ticked by name): their tiles come from a
 * <template>, so adding needs no request and works offline; saving adds them to the roster.
 *
 * The selects and radios stay the form's source of truth, so the form works the same without this
 * script. window.InsiemeLog is the log's API for the offline layer (drafts and the outbox):
 * activityId, entries(), entry(residentId), set(residentId, entry) and onChange(fn).
 */
(function () {
  'use strict';
  var form = document.querySelector('.log-form');
  if (!form) return;
  document.documentElement.classList.add('js-log');

  var ICONS = '/static/img/log.svg#';
  var HOLD_MS = 500;
  var list = form.querySelector('.log-tiles');
  var counter = form.querySelector('[data-log-count]');
  var addStatus = form.querySelector('[data-add-status]');
  var template = document.getElementById('log-tile-template');
  var addSection = document.querySelector('[data-log-add]');
  var picker = document.getElementById('log-picker');
  var listeners = [];

  // A tile's "Mood and notes" opened near the bottom would open under the sticky Save bar: bring it
  // into view above the bar (the page's scroll-padding), so no tap meant for a mood lands on Save.
  // ('toggle' does not bubble: heard while capturing.)
  form.addEventListener('toggle', function (event) {
    var panel = event.target;
    if (panel.tagName !== 'DETAILS' || !panel.open || !panel.closest('.log-tile')) return;
    var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    panel.scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
  }, true);

  function toArray(nodes) { return Array.prototype.slice.call(nodes); }
  function tiles() { return toArray(list.querySelectorAll('.log-tile')); }
  function residentOf(tile) { return tile.querySelector('input[name=residentId]').value; }
  function selectOf(tile) { return tile.querySelector('[data-engagement-select]'); }
  function nameOf(tile) { return tile.querySelector('.tile-label').textContent; }
  function tileOf(residentId) {
    return tiles().filter(function (tile) { return residentOf(tile) === residentId; })[0] || null;
  }
  function states(tile) {
    return toArray(selectOf(tile).options).map(function (option) { return option.value; });
  }

  // Reading and writing one tile ---------------------------------------------------------------

  function moodOf(tile, field) {
    var group = tile.querySelector('[data-mood="' + field + '"]');
    if (!group) return undefined;
    var checked = group.querySelector('input:checked');
    return checked && checked.value ? Number(checked.value) : null;
  }

  function noteOf(tile, field) {
    var box = tile.querySelector('textarea[name="' + field + '"]');
    if (!box) return undefined;
    return box.value.trim() ? box.value.trim() : null;
  }

  /** One tile's entry; moods and notes only where the page has those fields (null when empty). */
  function entryOf(tile) {
    var entry = { residentId: residentOf(tile), engagement: selectOf(tile).value };
    ['moodBefore', 'moodAfter'].forEach(function (field) {
      var mood = moodOf(tile, field);
      if (mood !== undefined) entry[field] = mood;
    });
    ['staffNote', 'familyNote'].forEach(function (field) {
      var note = noteOf(tile, field);
      if (note !== undefined) entry[field] = note;
    });
    return entry;
  }

  function changed(tile) {
    var entry = entryOf(tile);
    listeners.forEach(function (fn) {
      try { fn(entry.residentId, entry); } catch (error) { console.error(error); }
    });
  }

  function labelFor(select) {
    return select.options[select.selectedIndex].text;
  }

  function render(tile) {
    var select = selectOf(tile);
    var button = tile.querySelector('.log-tile-button');
    tile.setAttribute('data-engagement', select.value);
    tile.querySelector('[data-state-label]').textContent = labelFor(select);
    tile.querySelector('.log-tile-icon use').setAttribute('href', ICONS + 'state-' + (select.value || 'none'));
    button.setAttribute('aria-pressed', select.value ? 'true' : 'false');
    var away = tile.querySelector('.log-away');
    button.setAttribute('aria-label', nameOf(tile) + (away ? ', ' + away.textContent : '') + ': ' + labelFor(select));
  }

  function updateCount() {
    var all = tiles();
    var logged = all.filter(function (tile) { return selectOf(tile).value; }).length;
    if (counter) counter.textContent = logged + ' / ' + all.length;
    // With nobody invited the page says what to do and offers no Save.
    var empty = all.length === 0;
    toArray(form.querySelectorAll('[data-log-controls]')).forEach(function (el) { el.hidden = empty; });
    var notice = form.querySelector('[data-log-empty]');
    if (notice) notice.hidden = !empty;
  }

  function setEngagement(tile, value) {
    var select = selectOf(tile);
    if (states(tile).indexOf(value) < 0) return false;
    select.value = value;
    render(tile);
    updateCount();
    return true;
  }

  /** The chosen face's name under the faces (screen readers hear it from the radio itself). */
  function showMood(group) {
    var checked = group.querySelector('input:checked');
    var shown = group.querySelector('[data-mood-chosen]');
    if (checked && shown) shown.textContent = checked.parentNode.querySelector('.sr-only').textContent;
  }

  function setMood(tile, field, value) {
    var group = tile.querySelector('[data-mood="' + field + '"]');
    if (!group) return;
    var wanted = value === null || value === undefined ? '' : String(value);
    toArray(group.querySelectorAll('input')).forEach(function (radio) { radio.checked = radio.value === wanted; });
    showMood(group);
  }

  function setNote(tile, field, value) {
    var box = tile.querySelector('textarea[name="' + field + '"]');
    if (box) box.value = value === null || value === undefined ? '' : String(value);
  }

  // The picker ---------------------------------------------------------------------------------

  var pickerTile = null;
  var pickerOpener = null;

  function pickerOptions() { return toArray(picker.querySelectorAll('.log-picker-option')); }

  function openPicker(tile, opener) {
    if (!picker || typeof picker.showModal !== 'function') return;
    pickerTile = tile;
    pickerOpener = opener;
    picker.querySelector('[data-picker-title]').textContent = picker.getAttribute('data-title').replace('__NAME__', function () { return nameOf(tile); });
    var current = selectOf(tile).value;
    var focus = null;
    pickerOptions().forEach(function (option) {
      var chosen = option.getAttribute('data-state') === current;
      option.setAttribute('aria-pressed', chosen ? 'true' : 'false');
      if (chosen) focus = option;
    });
    picker.showModal();
    (focus || pickerOptions()[0]).focus();
  }

  if (picker) {
    pickerOptions().forEach(function (option) {
      option.addEventListener('click', function () {
        var tile = pickerTile;
        if (tile && setEngagement(tile, option.getAttribute('data-state'))) changed(tile);
        picker.close();
      });
    });
    picker.querySelector('[data-picker-close]').addEventListener('click', function () { picker.close(); });
    // A tap on the backdrop closes it, as Escape does.
    picker.addEventListener('click', function (event) { if (event.target === picker) picker.close(); });
    picker.addEventListener('keydown', function (event) {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      var options = pickerOptions();
      var at = options.indexOf(document.activeElement);
      var next = event.key === 'ArrowDown' ? at + 1 : at - 1;
      options[(next + options.length) % options.length].focus();
      event.preventDefault();
    });
    picker.addEventListener('close', function () {
      if (pickerOpener && document.contains(pickerOpener)) pickerOpener.focus();
      pickerTile = null;
      pickerOpener = null;
    });
  }

  // One tile's controls ------------------------------------------------------------------------

  function wire(tile) {
    var select = selectOf(tile);
    var button = tile.querySelector('.log-tile-button');
    var holdTimer = null;
    var held = false;
    var start = null;

    function cancelHold() {
      if (holdTimer) clearTimeout(holdTimer);
      holdTimer = null;
    }

    button.addEventListener('pointerdown', function (event) {
      if (event.button !== 0) return;
      held = false;
      start = { x: event.clientX, y: event.clientY };
      cancelHold();
      holdTimer = setTimeout(function () {
        holdTimer = null;
        held = true;
        openPicker(tile, button);
      }, HOLD_MS);
    });
    button.addEventListener('pointermove', function (event) {
      // A finger that moves is scrolling, not holding.
      if (start && Math.abs(event.clientX - start.x) + Math.abs(event.clientY - start.y) > 12) cancelHold();
    });
    ['pointerup', 'pointercancel', 'pointerleave'].forEach(function (type) { button.addEventListener(type, cancelHold); });
    button.addEventListener('contextmenu', function (event) { event.preventDefault(); });
    button.addEventListener('click', function () {
      if (held) { held = false; return; }
      // Option 0 is "not logged": cycle through the engagement levels only.
      var next = select.selectedIndex + 1;
      select.selectedIndex = next >= select.options.length ? 1 : next;
      render(tile);
      updateCount();
      changed(tile);
    });
    tile.querySelector('[data-choose]').addEventListener('click', function (event) { openPicker(tile, event.currentTarget); });
    select.addEventListener('change', function () { render(tile); updateCount(); changed(tile); });
    toArray(tile.querySelectorAll('.log-moods input')).forEach(function (radio) {
      radio.addEventListener('change', function () { showMood(radio.closest('.log-moods')); changed(tile); });
    });
    toArray(tile.querySelectorAll('textarea')).forEach(function (box) {
      box.addEventListener('input', function () { changed(tile); });
    });
    render(tile);
  }

  tiles().forEach(wire);

  var everyone = form.querySelector('[data-everyone]');
  if (everyone) {
    everyone.addEventListener('click', function () {
      var marked = tiles().filter(function (tile) { return !selectOf(tile).value && !tile.hasAttribute('data-on-leave'); });
      marked.forEach(function (tile) { setEngagement(tile, 'active'); });
      updateCount();
      marked.forEach(changed);
    });
  }

  // Adding residents in place ------------------------------------------------------------------

  function addOptions() { return addSection ? toArray(addSection.querySelectorAll('[data-add-option]')) : []; }
  function addOptionOf(residentId) {
    return addOptions().filter(function (option) { return option.getAttribute('data-id') === residentId; })[0] || null;
  }

  /** A tile from the template, filled in for the resident of one option of the list; the option leaves the list. */
  function tileFrom(option) {
    var values = {
      __RID__: option.getAttribute('data-id'),
      __NAME__: option.getAttribute('data-name'),
      __INITIALS__: option.getAttribute('data-initials'),
    };
    var fill = function (text) {
      return text.replace(/__RID__|__NAME__|__INITIALS__/g, function (placeholder) { return values[placeholder]; });
    };
    var tile = template.content.querySelector('.log-tile').cloneNode(true);
    [tile].concat(toArray(tile.querySelectorAll('*'))).forEach(function (el) {
      toArray(el.attributes).forEach(function (attribute) {
        if (attribute.value.indexOf('__') >= 0) el.setAttribute(attribute.name, fill(attribute.value));
      });
    });
    var walker = document.createTreeWalker(tile, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeValue.indexOf('__') >= 0) node.nodeValue = fill(node.nodeValue);
    }
    if (option.hasAttribute('data-photo')) {
      var photo = document.createElement('img');
      photo.className = 'avatar';
      photo.alt = '';
      photo.src = '/residents/' + values.__RID__ + '/photo';
      var initials = tile.querySelector('.avatar');
      initials.parentNode.replaceChild(photo, initials);
    }
    option.parentNode.removeChild(option);
    list.appendChild(tile);
    wire(tile);
    return tile;
  }

  function refreshAddSection() {
    if (!addSection) return;
    var options = addOptions();
    toArray(addSection.querySelectorAll('[data-add-group]')).forEach(function (button) {
      var attribute = button.getAttribute('data-add-group') === 'unit' ? 'data-unit' : 'data-likes';
      var n = options.filter(function (option) { return option.hasAttribute(attribute); }).length;
      button.textContent = button.getAttribute('data-label').replace('__N__', String(n));
      button.hidden = n === 0;
    });
    addSection.hidden = options.length === 0;
    filterOptions();
  }

  function addResidents(options) {
    if (options.length === 0) return [];
    var added = options.map(tileFrom);
    refreshAddSection();
    updateCount();
    // An ICU message ({{tSource}}); message-format.js (loaded by every signed-in page) fills it in the page's language.
    if (addStatus && window.InsiemeFormatMessage) addStatus.textContent = window.InsiemeFormatMessage(addStatus.getAttribute('data-text'), { n: added.length }, document.documentElement.lang);
    added.forEach(changed);
    added[0].querySelector('.log-tile-button').focus();
    return added;
  }

  var search = addSection && addSection.querySelector('[data-add-search]');
  function fold(text) { return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); }
  function filterOptions() {
    if (!search) return;
    var wanted = fold(search.value.trim());
    var shown = 0;
    addOptions().forEach(function (option) {
      var name = fold(option.getAttribute('data-full-name') + ' ' + option.getAttribute('data-name'));
      option.hidden = wanted !== '' && name.indexOf(wanted) < 0;
      if (!option.hidden) shown += 1;
    });
    addSection.querySelector('[data-add-no-match]').hidden = shown > 0;
  }

  if (addSection && template) {
    if (search) {
      addSection.querySelector('[data-add-search-field]').hidden = false;
      search.addEventListener('input', filterOptions);
      // Enter in the search box would submit the form through its first button (the whole unit).
      search.addEventListener('keydown', function (event) { if (event.key === 'Enter') event.preventDefault(); });
    }
    // Everything the form offers is done in place; its posts are for pages without this script.
    addSection.querySelector('[data-add-form]').addEventListener('submit', function (event) { event.preventDefault(); });
    var none = addSection.querySelector('[data-add-none]');
    toArray(addSection.querySelectorAll('[data-add-group]')).forEach(function (button) {
      button.addEventListener('click', function (event) {
        event.preventDefault();
        var attribute = button.getAttribute('data-add-group') === 'unit' ? 'data-unit' : 'data-likes';
        addResidents(addOptions().filter(function (option) { return option.hasAttribute(attribute); }));
      });
    });
    addSection.querySelector('[data-add-chosen]').addEventListener('click', function (event) {
      event.preventDefault();
      var chosen = addOptions().filter(function (option) { return option.querySelector('input[type=checkbox]').checked; });
      none.hidden = chosen.length > 0;
      addResidents(chosen);
    });
    refreshAddSection();
  }

  updateCount();

  // The API the offline layer drives -----------------------------------------------------------

  window.InsiemeLog = {
    activityId: form.getAttribute('data-activity-id'),
    /** Every tile with an engagement, as the participation API takes it. */
    entries: function () {
      return tiles().filter(function (tile) { return selectOf(tile).value; }).map(entryOf);
    },
    /** Residents whose tile has a mood or a note but no way of taking part chosen: saving would drop what was typed. */
    notedWithoutEngagement: function () {
      return tiles().filter(function (tile) {
        if (selectOf(tile).value) return false;
        var entry = entryOf(tile);
        return ['moodBefore', 'moodAfter', 'staffNote', 'familyNote'].some(function (field) { return entry[field] !== undefined && entry[field] !== null; });
      }).map(residentOf);
    },
    /** Puts the keyboard on a resident's tile (its button), scrolled into view. */
    focus: function (residentId) {
      var tile = tileOf(residentId);
      var button = tile && tile.querySelector('.log-tile-button');
      if (button) { button.focus(); tile.scrollIntoView({ block: 'center' }); }
    },
    /** One tile's entry (engagement '' when not logged), or null when the resident has no tile. */
    entry: function (residentId) {
      var tile = tileOf(residentId);
      return tile ? entryOf(tile) : null;
    },
    /**
     * Sets a tile from a stored entry, adding the tile first when the resident is addable; no
     * onChange listener hears it. False when the resident has neither a tile nor a place in the list.
     */
    set: function (residentId, entry) {
      var tile = tileOf(residentId);
      if (!tile) {
        var option = template && addOptionOf(residentId);
        if (!option) return false;
        tile = tileFrom(option);
        refreshAddSection();
      }
      entry = entry || {};
      if (entry.engagement !== undefined) setEngagement(tile, entry.engagement || '');
      ['moodBefore', 'moodAfter'].forEach(function (field) { if (field in entry) setMood(tile, field, entry[field]); });
      ['staffNote', 'familyNote'].forEach(function (field) { if (field in entry) setNote(tile, field, entry[field]); });
      render(tile);
      updateCount();
      return true;
    },
    /** fn(residentId, entry) after every change the carer makes. */
    onChange: function (fn) {
      if (typeof fn === 'function') listeners.push(fn);
    },
  };
})();

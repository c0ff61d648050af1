// The contribution forms (an activity's page, programme-wide contributions): the person list offers
// only the people of the kind chosen under "Who contributed", and follows it when it changes. Without
// this script every kind's people show, each kind under its name, and the server refuses a person of
// another kind beside the field.
(function () {
  'use strict';
  Array.prototype.forEach.call(document.querySelectorAll('form[data-contribution-form]'), function (form) {
    var kind = form.querySelector('select[name="actorType"]');
    var person = form.querySelector('select[name="personId"]');
    if (!kind || !person) return;
    // The groups are taken out of the list rather than hidden: Safari on an iPad still shows hidden options.
    var groups = Array.prototype.slice.call(person.querySelectorAll('optgroup[data-actor-type]'));
    var none = document.createElement('option');
    none.value = '';
    none.disabled = true;
    none.textContent = person.getAttribute('data-none-of-kind') || '';

    // keepChosen: a person already chosen stays, with their kind's group, even of another kind (a form
    // sent back by the server with that mismatch beside the field keeps what was entered).
    function offerChosenKind(keepChosen) {
      var chosen = person.value;
      var chosenGroup = chosen ? person.options[person.selectedIndex].parentNode : null;
      var shown = groups.filter(function (group) {
        return group.getAttribute('data-actor-type') === kind.value || (keepChosen && group === chosenGroup);
      });
      groups.forEach(function (group) { if (group.parentNode) group.parentNode.removeChild(group); });
      if (none.parentNode) none.parentNode.removeChild(none);
      shown.forEach(function (group) { person.appendChild(group); });
      if (shown.length === 0) person.appendChild(none);
      var stillOffered = shown.some(function (group) { return group === chosenGroup; });
      person.value = stillOffered ? chosen : '';
    }

    kind.addEventListener('change', function () { offerChosenKind(false); });
    offerChosenKind(true);
  });
})();

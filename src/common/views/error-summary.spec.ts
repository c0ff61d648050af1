import { errorSummary, fieldLabel } from './error-summary';

const page = `
<form>
  <div class="field"><label for="field-activityTypeId">Activity type</label>
    <select id="field-activityTypeId" name="activityTypeId" aria-invalid="true"><option value="">Choose a type</option></select></div>
  <div class="field"><label for="field-title">Title &amp; <span class="muted">name</span></label><input id="field-title" name="title"></div>
  <input type="hidden" name="homeId" value="x">
  <fieldset class="field" id="field-phases"><legend>Co-production phases</legend>
    <input type="checkbox" id="field-phases-co_design" name="phases" value="co_design"><label for="field-phases-co_design">Designing</label>
    <input type="checkbox" id="field-phases-co_delivery" name="phases" value="co_delivery"><label for="field-phases-co_delivery">Delivering</label>
  </fieldset>
  <form><label for="offer-1-kind">Kind</label><select id="offer-1-kind" name="kind"></select></form>
  <form><label for="offer-2-kind">Kind of help</label><select id="offer-2-kind" name="kind" aria-invalid="true"></select></form>
</form>`;

describe('fieldLabel', () => {
  it('should read the label of the control named when the page labels it', () => {
    expect(fieldLabel(page, 'activityTypeId')).toEqual({ label: 'Activity type', id: 'field-activityTypeId' });
  });

  it('should read the text of a label holding markup and entities as plain text', () => {
    expect(fieldLabel(page, 'title')).toEqual({ label: 'Title & name', id: 'field-title' });
  });

  it('should read the legend of a group of checkboxes when the field is a list', () => {
    expect(fieldLabel(page, 'phases')).toEqual({ label: 'Co-production phases', id: 'field-phases' });
  });

  it('should prefer the control marked invalid when a page repeats a field', () => {
    expect(fieldLabel(page, 'kind')).toEqual({ label: 'Kind of help', id: 'offer-2-kind' });
  });

  it('should find nothing for a hidden field or one the page does not show', () => {
    expect(fieldLabel(page, 'homeId')).toBeNull();
    expect(fieldLabel(page, 'nowhere')).toBeNull();
  });
});

describe('errorSummary', () => {
  it('should prefix each message with its label and link it when the page shows the field', () => {
    const sut = errorSummary(page, { activityTypeId: 'Choose one from the list.', homeId: 'Choose a home.' }, 'en');
    expect(sut).toEqual([
      { text: 'Activity type: Choose one from the list.', href: '#field-activityTypeId' },
      { text: 'Choose a home.', href: null },
    ]);
  });

  it('should drop a sentence label\'s full stop before the colon', () => {
    const confirm = '<label for="field-confirm">I understand that her identity is erased for ever.</label><input type="checkbox" id="field-confirm" name="confirm">';
    expect(errorSummary(confirm, { confirm: 'Tick the box.' }, 'en')).toEqual([{ text: 'I understand that her identity is erased for ever: Tick the box.', href: '#field-confirm' }]);
  });
});

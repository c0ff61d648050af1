import { entriesFromForm, foldMoodRadios, ParticipationFormDto } from './participation.dto';

describe('foldMoodRadios', () => {
  const a = '0b9e7f36-1f6a-4c55-9d7e-2a1b3c4d5e6f';
  const b = '5d1c2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

  it('should turn each tile\'s mood radio groups into the parallel lists, in the order of residentId, when the form sends groups', () => {
    const sut = foldMoodRadios({
      residentId: [a, b], engagement: ['active', 'passive'],
      [`moodBefore-${b}`]: '2', [`moodAfter-${b}`]: '', [`moodAfter-${a}`]: '5', [`moodBefore-${a}`]: '',
    });
    expect(sut).toEqual({ residentId: [a, b], engagement: ['active', 'passive'], moodBefore: ['', '2'], moodAfter: ['5', ''] });
    expect(entriesFromForm(sut as unknown as ParticipationFormDto).map((e) => [e.moodBefore, e.moodAfter])).toEqual([[null, 5], [2, null]]);
  });

  it('should count a tile whose group sent nothing as not noted when another tile sent one', () => {
    expect(foldMoodRadios({ residentId: [a, b], [`moodBefore-${b}`]: '4' })).toEqual({ residentId: [a, b], moodBefore: ['', '4'] });
  });

  it('should take a single residentId as a list of one', () => {
    expect(foldMoodRadios({ residentId: a, [`moodAfter-${a}`]: '3' })).toEqual({ residentId: a, moodAfter: ['3'] });
  });

  it('should leave a group for a resident not in the form in place, so validation names it', () => {
    const stranger = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
    expect(foldMoodRadios({ residentId: [a], [`moodBefore-${a}`]: '1', [`moodBefore-${stranger}`]: '3' }))
      .toEqual({ residentId: [a], moodBefore: ['1'], [`moodBefore-${stranger}`]: '3' });
  });

  it('should leave a body without groups (the parallel lists, or the API) unchanged when there are none', () => {
    const body = { residentId: [a], moodBefore: ['3'] };
    expect(foldMoodRadios(body)).toBe(body);
  });
});

describe('entriesFromForm', () => {
  const a = '0b9e7f36-1f6a-4c55-9d7e-2a1b3c4d5e6f';
  const b = '5d1c2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

  it('should leave out a tile with nothing on it, and refuse one with a note but no way of taking part chosen rather than drop the note', () => {
    const form = (staffNote: string[]) => ({ residentId: [a, b], engagement: ['active', ''], staffNote, familyNote: ['', ''] }) as unknown as ParticipationFormDto;
    expect(entriesFromForm(form(['', ''])).map((e) => e.residentId)).toEqual([a]);
    expect(() => entriesFromForm(form(['', 'Asked for more cake']))).toThrow(expect.objectContaining({ fields: { engagement: { key: 'activities.noteWithoutEngagementForm' } } }));
  });
});

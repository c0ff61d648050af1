import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DemoLine, lineRatings, linesFor, lineText } from './demo-lines';

describe('demo lines', () => {
  const lines: (DemoLine | null)[] = ['Any activity.', { text: 'A bingo win!', types: ['Tombola'], ratings: [5] }, null];

  it('should offer a line written for some types only to activities of those types', () => {
    expect(linesFor(lines, 'Tombola').map(lineText)).toEqual(['Any activity.', 'A bingo win!', null]);
    expect(linesFor(lines, 'Ginnastica dolce').map(lineText)).toEqual(['Any activity.', null]);
    expect(lineRatings(lines[1])).toEqual([5]);
    expect(lineRatings(lines[0])).toBeUndefined();
  });

  it('should refuse a list with nothing for a type, so a demo never writes a bingo win on a gym session', () => {
    expect(() => linesFor([{ text: 'A bingo win!', types: ['Tombola'] }], 'Ginnastica dolce')).toThrow(/No demo line fits/);
  });

  it('should name only types the demo programme has, and ratings from 1 to 5', () => {
    const data = (file: string) => JSON.parse(readFileSync(join(__dirname, '../../data/demo', file), 'utf8'));
    const programme = data('programme.json');
    const types = new Set((programme.activityTypes as { name: string }[]).map((t) => t.name));
    const voice = data('voice.json');
    const all: (DemoLine | null)[] = [...programme.familyNotes, ...Object.values(voice.feedbackComments as Record<string, (DemoLine | null)[]>).flat()];
    for (const line of all) {
      if (line === null || typeof line === 'string') continue;
      for (const type of line.types ?? []) expect(types).toContain(type);
      for (const rating of line.ratings ?? []) expect([1, 2, 3, 4, 5]).toContain(rating);
    }
  });
});

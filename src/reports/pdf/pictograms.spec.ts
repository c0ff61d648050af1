import * as mdi from '@mdi/js';
import { ACTIVITY_CATEGORIES } from '../../activities/activities.enums';
import { PICTOGRAMS } from './pictograms';

describe('PICTOGRAMS', () => {
  it('has one pictogram for every activity category, each exactly as Material Design Icons draws it', () => {
    expect(Object.keys(PICTOGRAMS).sort()).toEqual([...ACTIVITY_CATEGORIES].sort());
    for (const { mdi: name, path } of Object.values(PICTOGRAMS)) expect(path).toBe((mdi as Record<string, string>)[name]);
    expect(new Set(Object.values(PICTOGRAMS).map((p) => p.mdi)).size).toBe(ACTIVITY_CATEGORIES.length);
  });
});

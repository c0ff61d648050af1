import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGAGEMENTS } from '../activities/activities.enums';
import { ENGAGEMENT_COLOURS } from './engagement-colours';

describe('Engagement colours', () => {
  it('should be the same in the PDFs and on screen (app.css)', () => {
    const css = readFileSync(join(__dirname, '../../public/css/app.css'), 'utf8');
    for (const level of ENGAGEMENTS) {
      const rule = new RegExp(`\\.engagement-fill-${level}\\s*\\{\\s*fill:\\s*(#[0-9a-f]{6})`, 'i').exec(css);
      expect({ level, fill: rule?.[1].toLowerCase() }).toEqual({ level, fill: ENGAGEMENT_COLOURS[level] });
    }
  });
});

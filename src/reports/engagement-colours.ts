import type { Engagement } from '../activities/activities.enums';

/**
 * The engagement colours of every chart drawn in a PDF (the quarterly report, a resident's summary).
 * On screen the same colours are the classes `.engagement-fill-<level>` in public/css/app.css, which
 * the report's preview and a resident's 12 weeks use; keep the two lists equal
 * (engagement-colours.spec.ts reads app.css and checks).
 */
export const ENGAGEMENT_COLOURS: Record<Engagement, string> = {
  active: '#1d5c57', passive: '#5fa39b', disengaged: '#e0b35a', declined: '#b4440e', absent: '#8a8178',
};

import { ATTENDED } from '../../activities/activities.enums';
import { ACTOR_TYPES } from '../../contributions/contributions.enums';
import { generateHome, HomeSpec } from './synthetic-home';

const spec: HomeSpec = {
  number: 1, residents: 30, days: 60, futureDays: 7, seed: 42, now: new Date('2026-11-28T12:00:00Z'), passwordHash: 'hash',
};

describe('generateHome', () => {
  it('should give the same rows, ids included, when given the same spec', () => {
    const sut = () => generateHome(spec);
    expect(JSON.stringify(sut())).toBe(JSON.stringify(sut()));
  });

  it('should give another home when the seed changes', () => {
    expect(generateHome({ ...spec, seed: 43 }).home.id).not.toBe(generateHome(spec).home.id);
  });

  it('should log between 60% and 90% attendance when activities are held', () => {
    const sut = generateHome(spec);
    const attended = sut.participation.filter((p) => ATTENDED.includes(p.engagement!)).length;
    expect(attended / sut.participation.length).toBeGreaterThan(0.6);
    expect(attended / sut.participation.length).toBeLessThan(0.9);
  });

  it('should record contributions by every kind of person, on activities and programme-wide', () => {
    const sut = generateHome(spec);
    expect(new Set(sut.contributions.map((c) => c.actorType))).toEqual(new Set(ACTOR_TYPES));
    expect(sut.contributions.some((c) => c.activityId === null)).toBe(true);
  });

  it('should plan a week ahead and keep every activity of the past held or cancelled', () => {
    const sut = generateHome(spec);
    const past = sut.activities.filter((a) => a.startsAt!.getTime() + a.durationMinutes! * 60_000 < spec.now.getTime());
    expect(past.every((a) => a.status !== 'planned')).toBe(true);
    expect(sut.activities.some((a) => a.status === 'planned' && a.startsAt!.getTime() > spec.now.getTime() + 6 * 86_400_000)).toBe(true);
  });

  it('should admit and discharge residents within the period and give each an id in UUID form', () => {
    const sut = generateHome(spec);
    expect(sut.residents.some((r) => r.leftOn !== null && r.leftOn! >= '2026-09-29')).toBe(true);
    expect(sut.residents.every((r) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.id!))).toBe(true);
  });
});

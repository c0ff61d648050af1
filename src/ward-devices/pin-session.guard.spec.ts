import { isWardRoute } from './pin-session.guard';

describe('isWardRoute', () => {
  it('should allow the ward work a PIN session is for', () => {
    for (const path of [
      '/', '/today', '/activities/8b1c/log', '/activities/8b1c/log/residents', '/activities/8b1c', '/activities/8b1c/contributions', '/activities/8b1c/photos', '/photos/8b1c/thumb', '/photos/8b1c/full', '/api/activities', '/api/activities/8b1c/participation',
      '/api/session', '/api/session/keep-alive', '/api/ward/carers', '/residents/8b1c/photo', '/ward', '/ward/pin/8b1c', '/logout', '/locale',
    ]) {
      expect([path, isWardRoute(path)]).toEqual([path, true]);
    }
  });

  it('should refuse everything else', () => {
    for (const path of [
      '/account', '/account/pin', '/devices', '/residents', '/residents/8b1c', '/residents/8b1c/photo/x', '/reports', '/staff',
      '/activities', '/activities/new', '/activities/8b1c/edit', '/activities/8b1c/cancel', '/activities/8b1c/roster', '/activities/8b1c/offers', '/photos/8b1c/delete', '/photos/settings', '/news', '/api/residents', '/api/auth/logout', '/wardrobe', '/todays', '/data-protection', '/admin/homes',
    ]) {
      expect([path, isWardRoute(path)]).toEqual([path, false]);
    }
  });
});

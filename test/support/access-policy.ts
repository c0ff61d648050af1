/**
 * The declared access policy (SPEC 1 and 7): for every route the app serves, what each kind of
 * visitor gets. The app enforces access with its guards (`@Public()`, `@Roles()`) and with the
 * record-level rules in its services; this table is what `test/access-matrix.e2e-spec.ts` holds it
 * to, route by route, with real records of the user's own home and of another home.
 *
 * One line per route: `'METHOD /path/:param': [signed-out, admin, manager, coordinator, carer, family, volunteer, group manager]`.
 * A group manager (docs/groups.md) reads their groups' reports and group view, writes only their groups'
 * settings and their own account, and reaches nothing about a resident: `'home'` in their column means a
 * home (or group) of their groups.
 * A route the router serves but this table does not list fails the test, which prints the line to add.
 *
 * What a cell means:
 * - `'any'`    allowed, whatever record the path names (the admin belongs to every home; routes without a record);
 * - `'home'`   allowed for a record of one of the user's homes; a record of another home answers 404;
 * - `'own'`    allowed only for the user's own: a relative's own linked resident, a volunteer's activity
 *              (or a resident on one) they are confirmed to help with, a user's own offer or notification;
 *              another record of the same home, and any record of another home, answer 404;
 * - `403`      refused for this role whatever the record (the route's `@Roles()`);
 * - `404`      never found for this role;
 * - `'signin'` signed out: pages redirect (303) to /login, the JSON API answers 401.
 * - `'tablet'` needs an enrolled ward tablet's device cookie, which no visitor here holds: 401 (a page,
 *              or JSON for the API); test/ward-devices.e2e-spec.ts tries the routes with one.
 */
export const ROLES = ['admin', 'manager', 'coordinator', 'carer', 'family', 'volunteer', 'group_manager'] as const;
export type PolicyRole = (typeof ROLES)[number];
export type Visitor = 'signed-out' | PolicyRole;
export const VISITORS: readonly Visitor[] = ['signed-out', ...ROLES];

export type Outcome = 'any' | 'home' | 'own' | 403 | 404 | 'signin' | 'tablet';
export type PolicyRow = readonly [signedOut: Outcome, admin: Outcome, manager: Outcome, coordinator: Outcome, carer: Outcome, family: Outcome, volunteer: Outcome, groupManager: Outcome];

export const ACCESS_POLICY: Record<string, PolicyRow> = {
  // Public: signing in, language, health, invitations.    signed-out admin   manager coord   carer   family  volunteer  group mgr
  'GET /login':                                            ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /login':                                           ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /locale':                                          ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'GET /health':                                           ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /api/auth/login':                                  ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'GET /invitations/:token':                               ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /invitations/:token':                              ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'GET /password/forgot':                                  ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /password/forgot':                                 ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'GET /password/reset/:token':                            ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /password/reset/:token':                           ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'GET /email-change/:token':                              ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /email-change/:token':                             ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],

  // Every signed-in user: home page, account, sign-out, notifications.
  'GET /':                                                 ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /logout':                                          ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /api/auth/logout':                                 ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'GET /api/session':                                      ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'GET /account':                                          ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /account/password':                                ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /account/email':                                   ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  // MFA (issue 17 item 6): the code step after the password (without a pending sign-in, which no visitor
  // here has, it sends back to /login), and one's own settings.
  'GET /login/mfa':                                        ['signin', 'signin','signin','signin','signin','signin','signin','signin'],
  'POST /login/mfa':                                       ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'GET /account/mfa':                                      ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /account/mfa/enable':                              ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /account/mfa/recovery-codes':                      ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /account/mfa/disable':                             ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'GET /notifications':                                    ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /notifications/read':                              ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /notifications/:id/open':                          ['signin', 'own',  'own',  'own',  'own',  'own',  'own',  'own'],
  'GET /account/notifications':                            ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'POST /account/notifications':                           ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'GET /api/account/notifications':                        ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  // Calendar feeds (issue 19 item 4): one's own; the feed's address is its own key (an address nobody holds is 404 for all).
  'GET /account/calendars':                                ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  403],
  'POST /account/calendars':                               ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  403],
  'POST /account/calendars/revoke':                        ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  403],
  'GET /calendar-feeds/:file':                             [404,      404,    404,    404,    404,    404,    404,    404],
  'PUT /api/account/notifications':                        ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  'any'],

  // Administration: homes and units.
  'GET /admin/homes':                                      ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'GET /admin/homes/new':                                  ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'POST /admin/homes':                                     ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'GET /admin/homes/:id':                                  ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'POST /admin/homes/:id':                                 ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'POST /admin/homes/:id/units':                           ['signin', 'any',  403,    403,    403,    403,    403,    403],

  // Groups of homes (issue 20 e, docs/groups.md): admins make groups and group managers; the group view for admins and the group's managers.
  'GET /admin/groups':                                     ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'POST /admin/groups':                                    ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'GET /groups':                                           ['signin', 'any',  403,    403,    403,    403,    403,    'any'],
  'GET /groups/:id':                                       ['signin', 'any',  403,    403,    403,    403,    403,    'home'],
  'GET /groups/:id/homes.csv':                             ['signin', 'any',  403,    403,    403,    403,    403,    'home'],
  'GET /groups/:id/settings':                              ['signin', 'any',  403,    403,    403,    403,    403,    'home'],
  'POST /groups/:id/settings':                             ['signin', 'any',  403,    403,    403,    403,    403,    'home'],
  'POST /accounts/group-managers':                         ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'POST /accounts/:id/groups':                             ['signin', 'any',  403,    403,    403,    403,    403,    403],

  // Account management (issue 16): admins every account, managers those of their homes (never an admin's).
  'GET /accounts':                                         ['signin', 'any',  'any',  403,    403,    403,    403,    403],
  'GET /accounts/:id':                                     ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /accounts/:id/disable':                            ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /accounts/:id/enable':                             ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /accounts/:id/role':                               ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /accounts/:id/reset':                              ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /accounts/:id/mfa-reset':                          ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /accounts/:id/setup-link':                         ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /accounts/:id/revoke-link':                        ['signin', 'any',  'home', 403,    403,    403,    403,    403],

  // Administration: the mail outbox (every home's mail; admins only).
  'GET /admin/mail':                                       ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'POST /admin/mail/test':                                 ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'GET /admin/mail/:id':                                   ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'POST /admin/mail/:id/resend':                           ['signin', 'any',  403,    403,    403,    403,    403,    403],

  // Residents.
  'GET /residents':                                        ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  403],
  'GET /residents/new':                                    ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'POST /residents':                                       ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'GET /residents/:id':                                    ['signin', 'any',  'home', 'home', 'home', 'own',  'own',  403],
  'GET /residents/:id/edit':                               ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /residents/:id':                                   ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /residents/:id/consent':                           ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /residents/:id/discharge':                         ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /residents/:id/photo':                             ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /residents/:id/photo':                              ['signin', 'any',  'home', 'home', 'home', 'own',  'own',  403],
  'GET /residents/:id/summary.pdf':                        ['signin', 'any',  'home', 'home', 'home', 'own',  404,    403],
  'GET /residents/:id/week.pdf':                           ['signin', 'any',  'home', 'home', 'home', 403,    403,    403],
  'GET /api/residents':                                    ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  403],
  'GET /api/residents/:id':                                ['signin', 'any',  'home', 'home', 'home', 'own',  'own',  403],

  // A resident's voice (suggestions, feedback, check-ins recorded by staff) and plan.
  'GET /residents/:id/voice':                              ['signin', 'any',  'home', 'home', 'home', 403,    403,    403],
  'POST /residents/:id/voice/suggestions':                 ['signin', 'any',  'home', 'home', 'home', 403,    403,    403],
  'POST /residents/:id/voice/feedback':                    ['signin', 'any',  'home', 'home', 'home', 403,    403,    403],
  'POST /residents/:id/voice/check-in':                    ['signin', 'any',  'home', 'home', 'home', 403,    403,    403],
  'GET /residents/:id/plan':                               ['signin', 'any',  'home', 'home', 'home', 403,    403,    403],
  'GET /residents/:id/plan/new':                           ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /residents/:id/plan/new':                          ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /residents/:id/plan/versions/:planId':              ['signin', 'any',  'home', 'home', 'home', 403,    403,    403],
  'GET /residents/:id/plan/:planId/edit':                  ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /residents/:id/plan/:planId/edit':                 ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /residents/:id/plan/:planId/agree':                ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /residents/:id/plan/:planId/review':                ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /residents/:id/plan/:planId/review':               ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /plans/overdue':                                    ['signin', 'any',  'any',  'any',  403,    403,    403,    403],

  // Families, volunteers, staff.
  'GET /families':                                         ['signin', 'any',  'any',  'any',  'any',  403,    403,    403],
  'GET /families/new':                                     ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'POST /families':                                        ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'GET /families/:id':                                     ['signin', 'any',  'home', 'home', 'home', 403,    403,    403],
  'GET /families/:id/edit':                                ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /families/:id':                                    ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /families/:id/archive':                             ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /families/:id/archive':                            ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /families/:id/unarchive':                          ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /families/:id/links':                              ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /families/:id/links/:linkId':                      ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /families/:id/invitation':                         ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /volunteers':                                       ['signin', 'any',  'any',  'any',  'any',  403,    403,    403],
  'GET /volunteers/new':                                   ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'POST /volunteers':                                      ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'GET /volunteers/:id':                                   ['signin', 'any',  'home', 'home', 'home', 403,    403,    403],
  'GET /volunteers/:id/edit':                              ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /volunteers/:id':                                  ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /volunteers/:id/archive':                          ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /volunteers/:id/unarchive':                        ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /volunteers/:id/invite':                           ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /staff':                                            ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'GET /staff/new':                                        ['signin', 'any',  'any',  403,    403,    403,    403,    403],
  'POST /staff':                                           ['signin', 'any',  'any',  403,    403,    403,    403,    403],
  'GET /staff/:id':                                        ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /staff/:id/edit':                                   ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /staff/:id':                                       ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /staff/:id/archive':                               ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /staff/:id/unarchive':                             ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /staff/:id/invite':                                ['signin', 'any',  'home', 403,    403,    403,    403,    403],

  // Activity types, calendar, activities, the tablet log.
  'GET /activity-types':                                   ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'GET /activity-types/new':                               ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'POST /activity-types':                                  ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'GET /activity-types/:id/edit':                          ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activity-types/:id':                              ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activity-types/:id/deactivate':                   ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activity-types/:id/reactivate':                   ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /calendar':                                         ['signin', 'any',  'any',  'any',  'any',  403,    'any',  403],
  'GET /calendar.pdf':                                     ['signin', 'any',  'any',  'any',  'any',  403,    'any',  403],
  'GET /today':                                            ['signin', 'any',  'any',  'any',  'any',  403,    403,    403],
  'GET /activities/new':                                   ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'POST /activities':                                      ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  // Activity photos and news (issue 16, item 4): volunteers add photos only where their home allows (off here).
  'GET /activities/:id/photos':                            ['signin', 'any',  'home', 'home', 'home', 403,    'own',  403],
  'POST /activities/:id/photos':                           ['signin', 'any',  'home', 'home', 'home', 403,    404,    403],
  'GET /photos/:id/:size':                                 ['signin', 'any',  'home', 'home', 'home', 'own',  'own',  403],
  'POST /photos/:id/delete':                               ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /photos/:id/check':                                ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /photos/settings':                                 ['signin', 'any',  'any',  403,    403,    403,    403,    403],
  'GET /news':                                             ['signin', 'any',  'any',  'any',  'any',  403,    403,    403],
  'POST /news':                                            ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'POST /news/:id/delete':                                 ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /portal/residents/:id/news':                        ['signin', 403,    403,    403,    403,    'own',  403,    403],
  'GET /activities/:id':                                   ['signin', 'any',  'home', 'home', 'home', 403,    'home', 403],
  'GET /activities/:id/edit':                              ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activities/:id':                                  ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activities/:id/cancel':                           ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activities/:id/restore':                          ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activities/:id/skip':                             ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activities/:id/move':                             ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activities/:id/roster':                           ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activities/:id/roster/:residentId/remove':        ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activities/:id/offers':                           ['signin', 403,    403,    403,    403,    403,    'home', 403],
  'POST /activities/:id/offers/on-behalf':                 ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activities/:id/offers/:offerId/respond':          ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /activities/:id/offers/:offerId/withdraw':         ['signin', 'any',  'home', 'home', 403,    403,    'own',  403],
  'POST /activities/:id/contributions':                    ['signin', 'any',  'home', 'home', 'home', 403,    403,    403],
  'POST /activities/:id/contributions/:contributionId':    ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /activities/:id/log':                               ['signin', 'any',  'home', 'home', 'home', 403,    'own',  403],
  'POST /activities/:id/log':                              ['signin', 'any',  'home', 'home', 'home', 403,    'own',  403],
  'POST /activities/:id/log/residents':                    ['signin', 'any',  'home', 'home', 'home', 403,    404,    403],
  'GET /api/activities':                                   ['signin', 'any',  'any',  'any',  'any',  'any',  'any',  403],
  'GET /api/activities/:id':                               ['signin', 'any',  'home', 'home', 'home', 404,    'own',  403],
  'PUT /api/activities/:id/participation':                 ['signin', 'any',  'home', 'home', 'home', 404,    'own',  403],
  'POST /api/activities/:id/contributions':                ['signin', 'any',  'home', 'home', 'home', 404,    404,    403],

  // Contributions, suggestions inbox, reports.
  'GET /contributions':                                    ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'POST /contributions':                                   ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'POST /contributions/:id':                               ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'GET /inbox':                                            ['signin', 'any',  'any',  'any',  403,    403,    403,    403],
  'POST /inbox/suggestions/:id':                           ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  'POST /inbox/suggestions/:id/apply-life-story':          ['signin', 'any',  'home', 'home', 403,    403,    403,    403],
  // Data protection (docs/data-protection.md): managers and admins only.
  'GET /data-protection':                                  ['signin', 'any',  'any',  403,    403,    403,    403,    403],
  // The audit log (SPEC 4): the admin's alone.
  'GET /data-protection/audit':                            ['signin', 'any',  403,    403,    403,    403,    403,    403],
  'POST /data-protection/retention/keep':                  ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'GET /residents/:id/data-export.json':                   ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'GET /residents/:id/data-export.pdf':                    ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'GET /residents/:id/erase':                              ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /residents/:id/erase':                             ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'GET /reports':                                          ['signin', 'any',  'any',  'any',  403,    403,    403,    'any'],
  'GET /reports/quarterly':                                ['signin', 'any',  'home', 'home', 403,    403,    403,    'home'],
  'GET /reports/quarterly.pdf':                            ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'GET /reports/quarterly.csv':                            ['signin', 'any',  'home', 403,    403,    403,    403,    'home'],
  // Issued reports (issue 18): issuing and an issued copy's PDF, for those who download the report now.
  'POST /reports/issued':                                  ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'GET /reports/issued.pdf':                               ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  // The copy without names (issue 18 item 9): every reader of reports.
  'GET /reports/quarterly-without-names.pdf':              ['signin', 'any',  'home', 'home', 403,    403,    403,    'home'],

  // The family portal and the volunteer portal.
  'GET /portal':                                           ['signin', 403,    403,    403,    403,    'any',  403,    403],
  'GET /portal/residents/:id':                             ['signin', 403,    403,    403,    403,    'own',  403,    403],
  // "My offers": the signed-in relative's or volunteer's own offers only (the service reads the offerer from the session).
  'GET /portal/offers':                                    ['signin', 403,    403,    403,    403,    'any',  403,    403],
  'POST /portal/residents/:id/suggestions':                ['signin', 403,    403,    403,    403,    'own',  403,    403],
  'POST /portal/residents/:id/offers':                     ['signin', 403,    403,    403,    403,    'own',  403,    403],
  'POST /portal/residents/:id/offers/:offerId/withdraw':   ['signin', 403,    403,    403,    403,    'own',  403,    403],
  'POST /portal/residents/:id/feedback':                   ['signin', 403,    403,    403,    403,    'own',  403,    403],
  'POST /portal/residents/:id/check-in':                   ['signin', 403,    403,    403,    403,    'own',  403,    403],
  // Messages (issue 16 item 5): managers and coordinators for the home, the resident's relatives for the family.
  'GET /portal/messages':                                  ['signin', 403,    403,    403,    403,    'any',  403,    403],
  'GET /portal/residents/:id/messages':                    ['signin', 403,    403,    403,    403,    'own',  403,    403],
  'POST /portal/residents/:id/messages':                   ['signin', 403,    403,    403,    403,    'own',  403,    403],
  'POST /portal/residents/:id/messages/read':              ['signin', 403,    403,    403,    403,    'own',  403,    403],
  'GET /messages':                                         ['signin', 403,    'any',  'any',  403,    403,    403,    403],
  'GET /residents/:id/messages':                           ['signin', 403,    'home', 'home', 403,    403,    403,    403],
  'POST /residents/:id/messages':                          ['signin', 403,    'home', 'home', 403,    403,    403,    403],
  'POST /residents/:id/messages/read':                     ['signin', 403,    'home', 'home', 403,    403,    403,    403],
  'GET /api/messages':                                     ['signin', 403,    'any',  'any',  403,    'any',  403,    403],
  'GET /api/residents/:id/messages':                       ['signin', 403,    'home', 'home', 403,    'own',  403,    403],
  'POST /api/residents/:id/messages':                      ['signin', 403,    'home', 'home', 403,    'own',  403,    403],
  'POST /api/residents/:id/messages/read':                 ['signin', 403,    'home', 'home', 403,    'own',  403,    403],
  'GET /volunteer':                                        ['signin', 403,    403,    403,    403,    403,    'any',  403],
  'GET /volunteer/offers':                                 ['signin', 403,    403,    403,    403,    403,    'any',  403],
  'POST /volunteer/offers':                                ['signin', 403,    403,    403,    403,    403,    'any',  403],
  'POST /volunteer/offers/:offerId/withdraw':              ['signin', 403,    403,    403,    403,    403,    'own',  403],
  'POST /volunteer/feedback':                              ['signin', 403,    403,    403,    403,    403,    'any',  403],

  // Ward tablets (docs/ward-tablet.md): managers enrol and revoke them; staff set a PIN; the tablet's pages need its cookie.
  'GET /devices':                                          ['signin', 'any',  'any',  403,    403,    403,    403,    403],
  'POST /devices':                                         ['signin', 'any',  'any',  403,    403,    403,    403,    403],
  'POST /devices/:id/revoke':                              ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /devices/pins/:userId/unlock':                     ['signin', 'any',  'home', 403,    403,    403,    403,    403],
  'POST /account/pin':                                     ['signin', 'any',  'any',  'any',  'any',  403,    403,    403],
  'GET /ward':                                             ['tablet', 'tablet','tablet','tablet','tablet','tablet','tablet','tablet'],
  'GET /ward/pin/:userId':                                 ['tablet', 'tablet','tablet','tablet','tablet','tablet','tablet','tablet'],
  'POST /ward/pin/:userId':                                ['tablet', 'tablet','tablet','tablet','tablet','tablet','tablet','tablet'],
  'POST /ward/lock':                                       ['any',    'any',  'any',  'any',  'any',  'any',  'any',  'any'],
  'GET /api/ward/carers':                                  ['tablet', 'tablet','tablet','tablet','tablet','tablet','tablet','tablet'],
  'POST /api/ward/pin':                                    ['tablet', 'tablet','tablet','tablet','tablet','tablet','tablet','tablet'],
};

/** The line to add to ACCESS_POLICY for a route it does not list: deny-all but the admin, to be widened on purpose. */
export function policyLineFor(route: string): string {
  return `  '${route}':${' '.repeat(Math.max(1, 54 - route.length))}['signin', 'any',  403,    403,    403,    403,    403,    403],`;
}

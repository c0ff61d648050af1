const { configureViews, renderView } = require('./dist/src/common/views/view-engine');
const { join } = require('path');
configureViews({ setBaseViewsDir() {}, engine() {}, setViewEngine() {} });
const acts = Array.from({ length: 5 }, (_, i) => ({ id: 'a0b1c2d3-0000-4000-8000-00000000000' + i, title: 'Tombola del pomeriggio ' + i, time: '10:00', endTime: '11:00', typeName: 'Giochi', location: 'Sala grande', unitName: i % 2 ? 'Nucleo Glicine' : null, status: i === 0 ? 'completed' : 'planned', loggedCount: i * 3, rosterCount: 20, allLogged: false }));
const ctx = () => ({ cache: true, locale: 'it', timezone: 'Europe/Rome', otherLocale: 'en', currentPath: '/today?date=2026-11-16', csrfToken: 'x'.repeat(128), flash: [], user: { displayName: 'Carla Carer', roleLabel: 'Operatrice' }, nav: ['/today', '/calendar', '/residents', '/families', '/volunteers', '/account'].map((h, i) => ({ href: h, labelKey: ['nav.today', 'nav.calendar', 'nav.residents', 'nav.families', 'nav.volunteers', 'nav.account'][i], current: i === 0 })), unreadNotifications: 2,
  date: '2026-11-16', isToday: false, unitId: 'u3', units: ['u1', 'u2', 'u3', 'u4'].map((id) => ({ id, name: 'Nucleo ' + id })), activities: acts });
let html; let best = 1e9;
for (let r = 0; r < 5; r++) { const t = process.hrtime.bigint(); for (let i = 0; i < 5000; i++) renderView(join(__dirname, 'views/activities/today.hbs'), ctx(), (e, h) => { if (e) throw e; html = h; }); best = Math.min(best, Number(process.hrtime.bigint() - t) / 5000 / 1000); }
console.log('render', best.toFixed(1), 'us', html.length, 'chars');

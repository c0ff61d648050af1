import ICAL from 'ical.js';
import { icsOf } from './ics';

/** The document read back by another calendar library (ical.js, Mozilla's), as a calendar app would. */
function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return {
    name: calendar.getFirstPropertyValue('x-wr-calname'),
    zone: calendar.getFirstPropertyValue('x-wr-timezone'),
    events: calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component);
      return {
        uid: event.uid, summary: event.summary, location: event.location, description: event.description,
        start: event.startDate.toJSDate().toISOString(), end: event.endDate.toJSDate().toISOString(),
        status: component.getFirstPropertyValue('status'), url: component.getFirstPropertyValue('url'),
      };
    }),
  };
}

describe('icsOf', () => {
  it('writes each activity as an event that another calendar library reads back the same, names and punctuation included', () => {
    const text = icsOf({ name: 'Insieme — Casa Serena, Glicine', zone: 'Europe/Rome', host: 'insieme.example.org' }, [
      {
        id: 'a1', title: 'Tombola; «la grande», con tè', start: new Date('2027-03-28T08:00:00Z'), end: new Date('2027-03-28T09:15:00Z'),
        location: 'Salone, piano terra', description: 'Premi: 3\nPorta gli occhiali, Ștefan & Łucja', url: 'https://insieme.example.org/activities/a1', cancelled: false,
      },
      { id: 'a2', title: 'Олена: ginnastica', start: new Date('2027-03-29T08:00:00Z'), end: new Date('2027-03-29T09:00:00Z'), location: null, description: null, url: 'https://insieme.example.org/activities/a2', cancelled: true },
    ]);
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(parse(text)).toEqual({
      name: 'Insieme — Casa Serena, Glicine',
      zone: 'Europe/Rome',
      events: [
        {
          uid: 'a1@insieme.example.org', summary: 'Tombola; «la grande», con tè', location: 'Salone, piano terra',
          description: 'Premi: 3\nPorta gli occhiali, Ștefan & Łucja', start: '2027-03-28T08:00:00.000Z', end: '2027-03-28T09:15:00.000Z',
          status: 'CONFIRMED', url: 'https://insieme.example.org/activities/a1',
        },
        {
          uid: 'a2@insieme.example.org', summary: 'Олена: ginnastica', location: null, description: null,
          start: '2027-03-29T08:00:00.000Z', end: '2027-03-29T09:00:00.000Z', status: 'CANCELLED', url: 'https://insieme.example.org/activities/a2',
        },
      ],
    });
  });

  it('is an empty calendar, not an error, when nothing is planned', () => {
    expect(parse(icsOf({ name: 'Insieme', zone: 'Europe/Rome', host: 'h' }, [])).events).toEqual([]);
  });
});

import type { ActivityCategory } from '../../activities/activities.enums';

/** Word lists the synthetic homes are made from; a seeded generator picks from them. */

export const FIRST_NAMES_F = [
  'Adele', 'Agnese', 'Anna', 'Bruna', 'Carla', 'Caterina', 'Clara', 'Dina', 'Elena', 'Elsa', 'Emma', 'Fernanda', 'Franca',
  'Gina', 'Giovanna', 'Giuseppina', 'Ida', 'Iolanda', 'Lina', 'Lucia', 'Luisa', 'Maria', 'Marisa', 'Nella', 'Olga', 'Paola',
  'Pierina', 'Rina', 'Rosa', 'Silvana', 'Teresa', 'Vera', 'Vittoria', 'Wanda', 'Zaira',
];
export const FIRST_NAMES_M = [
  'Aldo', 'Alfredo', 'Angelo', 'Antonio', 'Bruno', 'Carlo', 'Dante', 'Dino', 'Enzo', 'Ernesto', 'Ezio', 'Franco', 'Gino',
  'Giorgio', 'Giovanni', 'Giuseppe', 'Guido', 'Italo', 'Lino', 'Luigi', 'Marcello', 'Mario', 'Nello', 'Orlando', 'Paolo',
  'Pietro', 'Renato', 'Romano', 'Sergio', 'Tullio', 'Ugo', 'Vittorio', 'Walter',
];
export const YOUNGER_NAMES = [
  'Alessandro', 'Alessia', 'Andrea', 'Barbara', 'Chiara', 'Cristina', 'Daniela', 'Davide', 'Elisa', 'Federica', 'Francesca',
  'Giulia', 'Laura', 'Luca', 'Marco', 'Martina', 'Matteo', 'Monica', 'Nicola', 'Roberta', 'Sara', 'Simone', 'Stefano', 'Valentina',
];
export const LAST_NAMES = [
  'Benassi', 'Bernardi', 'Bonfiglioli', 'Bertoni', 'Casadei', 'Cavazza', 'Cenacchi', 'Colombo', 'Esposito', 'Fantuzzi',
  'Ferrari', 'Fontana', 'Gamberini', 'Galli', 'Guerzoni', 'Lodi', 'Lombardi', 'Malaguti', 'Mancini', 'Marchi', 'Monti',
  'Moretti', 'Pancaldi', 'Poggi', 'Rinaldi', 'Ricci', 'Rossi', 'Russo', 'Stanzani', 'Tassinari', 'Tondelli', 'Venturi',
  'Zambelli', 'Zucchini', 'Barbieri', 'Bianchi', 'Conti', 'Costa', 'Greco', 'Marino', 'Romano', 'Vitali',
];
export const TOWNS = ['Bologna', 'Modena', 'Ferrara', 'Imola', 'Parma', 'Reggio', 'Rimini', 'Forlì', 'Cesena', 'Ravenna', 'Carpi', 'Faenza'];
export const HOME_NAMES = ['Villa', 'Residenza', 'Casa', 'Borgo', 'Giardino'];

export const INTERESTS = [
  'canto', 'carte', 'tombola', 'cucina', 'orto', 'giardinaggio', 'maglia', 'cucito', 'pittura', 'lettura', 'giornale',
  'musica', 'ballo', 'preghiera', 'calcio', 'radio', 'cinema', 'animali', 'passeggiate', 'fotografie', 'poesia', 'bocce',
];
export const SKILLS = ['chitarra', 'canto', 'carte', 'lettura ad alta voce', 'giardinaggio', 'cucina', 'pittura', 'fisarmonica', 'fotografia', 'accompagnamento'];

export const ACTIVITY_TYPES: { name: string; category: ActivityCategory; minutes: number; homeWide?: boolean }[] = [
  { name: 'Ginnastica dolce', category: 'physical', minutes: 45 },
  { name: 'Passeggiata in giardino', category: 'physical', minutes: 30 },
  { name: 'Lettura del giornale', category: 'cognitive', minutes: 45 },
  { name: 'Giochi di memoria', category: 'cognitive', minutes: 45 },
  { name: 'Laboratorio di pittura', category: 'creative', minutes: 90 },
  { name: 'Coro', category: 'creative', minutes: 60, homeWide: true },
  { name: 'Tombola', category: 'social', minutes: 75, homeWide: true },
  { name: 'Caffè e chiacchiere', category: 'social', minutes: 45 },
  { name: 'Santa Messa', category: 'spiritual', minutes: 45, homeWide: true },
  { name: 'Stanza sensoriale', category: 'sensory', minutes: 30 },
  { name: 'Cuciniamo insieme', category: 'life_skills', minutes: 90 },
  { name: 'Orto in terrazza', category: 'life_skills', minutes: 60 },
  { name: 'Uscita al mercato', category: 'outing', minutes: 120, homeWide: true },
  { name: 'Pomeriggio con i bambini', category: 'intergenerational', minutes: 60, homeWide: true },
];

export const GOALS: { text: string; category: ActivityCategory }[] = [
  { text: 'Muoversi un po\' ogni giorno', category: 'physical' },
  { text: 'Tenere la mente allenata con letture e giochi', category: 'cognitive' },
  { text: 'Cantare o dipingere in compagnia', category: 'creative' },
  { text: 'Passare del tempo con gli altri ospiti', category: 'social' },
  { text: 'Partecipare alla messa e al rosario', category: 'spiritual' },
  { text: 'Momenti di calma nella stanza sensoriale', category: 'sensory' },
  { text: 'Sentirsi utile in cucina e nell\'orto', category: 'life_skills' },
  { text: 'Uscire almeno una volta al mese', category: 'outing' },
  { text: 'Incontrare i bambini della scuola', category: 'intergenerational' },
];

export const SUGGESTION_TITLES = [
  'Una festa di compleanno del mese', 'Più musica al pomeriggio', 'Una gita al lago', 'Le ricette della nonna', 'Torneo di briscola',
  'Cinema del venerdì', 'Una passeggiata al mattino', 'Meno rumore a pranzo', 'Il lavoro in sartoria', 'La vendemmia in campagna',
  'Cantare le canzoni di Modugno', 'Un corso di fotografia', 'Visita al museo', 'Il mercatino di Natale',
];

export const FEEDBACK_COMMENTS = [
  'Bellissima attività, ne ha parlato tutta la sera.', 'Un po\' lunga verso la fine.', 'Grazie alle animatrici per la pazienza.',
  'Ha cantato tutte le canzoni.', 'Ci è piaciuta molto.', null, null, null,
];

export const FAMILY_NOTES = ['Ha sorriso molto.', 'Ha raccontato del suo paese.', 'Ha vinto una cinquina!', 'Ha aiutato gli altri.'];

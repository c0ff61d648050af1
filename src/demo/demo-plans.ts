import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { ActivityType } from '../activities/entities/activity-type.entity';
import { ActivityCategory } from '../activities/activities.enums';
import { addDays, todayIn } from '../common/time/zoned';
import { Contribution } from '../contributions/entities/contribution.entity';
import { ActivityPlan } from '../plans/entities/activity-plan.entity';
import { GoalAttainment } from '../plans/entities/goal-attainment.entity';
import { PlanGoal } from '../plans/entities/plan-goal.entity';
import { GoalStatus } from '../plans/plans.enums';
import { PlanReview } from '../plans/entities/plan-review.entity';
import { addMonths, REVIEW_INTERVAL_MONTHS } from '../plans/plan-form';
import { FamilyLink } from '../residents/entities/family-link.entity';
import { Resident } from '../residents/entities/resident.entity';
import { StaffMember } from '../staff/entities/staff-member.entity';
import { insertInBatches } from './demo-programme';

interface DemoGoal {
  text: string;
  categories: ActivityCategory[];
  /** Names of the demo programme's activity types the goal counts. */
  types?: string[];
  target: number;
}

interface DemoPlan {
  matters: string;
  goals: DemoGoal[];
}

/**
 * How each plan came about: `history` plans were reviewed and replaced by a second version; `overdue`
 * ones are past their review date; `draftOnly` residents arrived recently and their first plan is
 * still being written; `nextDraft` has an agreed plan and a new version in preparation; `none` has
 * no plan yet. Everyone else has one agreed plan, some with a review since.
 */
const STORY: Record<string, 'history' | 'overdue' | 'draftOnly' | 'nextDraft' | 'none'> = {
  'Adele Benassi': 'history', 'Giuseppe Cavazza': 'history', 'Teresa Bonfiglioli': 'history', 'Iolanda Zucchini': 'history',
  'Elsa Guerzoni': 'history', 'Ernesto Gamberini': 'history',
  'Ada Pancaldi': 'overdue', 'Aldo Venturi': 'overdue', 'Renato Stanzani': 'overdue',
  'Giovanni Tondelli': 'draftOnly', 'Caterina Monti': 'draftOnly',
  'Walter Poggi': 'nextDraft',
  'Carla Zambelli': 'none', 'Marcello Bernardi': 'none',
};

const CORO = 'Coro di Casa Serena';
const TOMBOLA = 'Tombola';
const GINNASTICA = 'Ginnastica dolce';
const PITTURA = 'Laboratorio di pittura';
const ORTO = 'Orto in terrazza';
const MESSA = 'Santa Messa e rosario';
const CUCINA = 'Cuciniamo insieme';
const GIORNALE = 'Lettura del giornale';
const SENSORIALE = 'Stanza sensoriale';
const MERCATO = 'Uscita al mercato';

/** "What matters to me" and goals, written with each resident from their life story and interests. */
const PLANS: Record<string, DemoPlan> = {
  'Adele Benassi': {
    matters: 'Sentirmi utile, con le mani occupate: la maglia e il cucito mi fanno compagnia. Cantare i canti della risaia con le altre. Il rosario del pomeriggio. Vedere Paola e i nipoti.',
    goals: [
      { text: 'Cantare con il coro ogni settimana', categories: ['creative'], types: [CORO], target: 2 },
      { text: 'Lavorare a maglia o cucire in compagnia, per il mercatino di Natale', categories: ['life_skills'], target: 1 },
      { text: 'Partecipare al rosario del pomeriggio', categories: ['spiritual'], types: [MESSA], target: 1 },
    ],
  },
  'Giuseppe Cavazza': {
    matters: 'La partita del Bologna alla radio la domenica, e una briscola con chi ha voglia di perdere. Raccontare dei treni e della stazione. Le visite di Stefano e di Silvia.',
    goals: [
      { text: 'Giocare a carte o a tombola con gli altri', categories: ['social'], types: [TOMBOLA], target: 2 },
      { text: 'Raccontare ai bambini la sua vita da ferroviere', categories: ['intergenerational'], target: 1 },
      { text: 'Muoversi un po\' con la ginnastica dolce', categories: ['physical'], types: [GINNASTICA], target: 2 },
    ],
  },
  'Maria Luisa Fantuzzi': {
    matters: 'Tenere la mente allenata: leggere, fare le parole crociate, scrivere. Leggere le poesie di Pascoli ad alta voce per gli altri. Una chiacchierata con qualcuno che ha voglia di parlare.',
    goals: [
      { text: 'Leggere il giornale e commentarlo con il gruppo', categories: ['cognitive'], types: [GIORNALE], target: 2 },
      { text: 'Leggere poesie ad alta voce agli altri ospiti', categories: ['cognitive', 'social'], target: 1 },
    ],
  },
  'Ernesto Gamberini': {
    matters: 'Avere le mani occupate con la terra o con il legno: così sono tranquillo. Stare all\'aperto quando c\'è il sole. Guardare le foto dei bisnipoti con Elisa.',
    goals: [
      { text: 'Curare l\'orto in terrazza', categories: ['life_skills'], types: [ORTO], target: 2 },
      { text: 'Piccoli lavori di falegnameria e bricolage', categories: ['creative'], target: 1 },
      { text: 'Uscire in giardino o al mercato', categories: ['outing'], target: 1 },
    ],
  },
  'Lucia Tassinari': {
    matters: 'Essere in ordine e sentirmi bella. Ballare il liscio e ascoltare Orietta Berti. Chiacchierare come facevo con le mie clienti in negozio.',
    goals: [
      { text: 'Ballare o ascoltare musica in compagnia', categories: ['creative', 'social'], target: 2 },
      { text: 'Giocare a tombola', categories: ['social'], types: [TOMBOLA], target: 1 },
      { text: 'Un momento di cura di sé con le altre signore (piega, smalto)', categories: ['sensory'], target: 1 },
    ],
  },
  'Bruno Malaguti': {
    matters: 'La compagnia degli uomini, una partita a carte e due chiacchiere sui motori. Sistemare qualcosa con le mani. Un bicchiere di lambrusco alla festa.',
    goals: [
      { text: 'Partita a carte con gli altri uomini del nucleo', categories: ['social'], target: 2 },
      { text: 'Aiutare nei piccoli lavori di manutenzione e bricolage', categories: ['life_skills'], target: 1 },
    ],
  },
  'Iolanda Zucchini': {
    matters: 'Tirare la sfoglia e insegnare come si fa. Il rosario del pomeriggio mi rasserena. Cantare le canzoni di una volta. Le visite di Daniela.',
    goals: [
      { text: 'Tirare la sfoglia per il gruppo a Cuciniamo insieme', categories: ['life_skills'], types: [CUCINA], target: 1 },
      { text: 'Partecipare alla messa e al rosario', categories: ['spiritual'], types: [MESSA], target: 2 },
      { text: 'Cantare con il coro', categories: ['creative'], types: [CORO], target: 1 },
    ],
  },
  'Franco Lodi': {
    matters: 'La musica degli anni Sessanta. Farmi capire senza fretta: capisco tutto, anche se le parole faticano. Ridere con gli altri. Anna Maria che viene ogni giorno.',
    goals: [
      { text: 'Ascoltare e cantare musica degli anni \'60 in gruppo', categories: ['creative', 'social'], target: 2 },
      { text: 'Giochi di parole e memoria in piccolo gruppo', categories: ['cognitive'], target: 1 },
      { text: 'Un\'uscita al fiume o al mercato', categories: ['outing'], target: 1 },
    ],
  },
  'Anna Rinaldi': {
    matters: 'La mia riservatezza: scelgo io quando stare in compagnia. Dipingere acquerelli di fiori. Occuparmi delle piante del giardino d\'inverno.',
    goals: [
      { text: 'Dipingere al laboratorio di pittura', categories: ['creative'], types: [PITTURA], target: 1 },
      { text: 'Curare le piante del giardino d\'inverno', categories: ['life_skills'], types: [ORTO], target: 1 },
    ],
  },
  'Vittorio Cenacchi': {
    matters: 'Leggere il giornale ogni mattina e discutere di attualità. L\'opera lirica, soprattutto La Traviata. Una partita a scacchi con un avversario degno. La telefonata della domenica con mio figlio.',
    goals: [
      { text: 'Leggere e discutere il giornale con il gruppo', categories: ['cognitive'], types: [GIORNALE], target: 3 },
      { text: 'Ascolto guidato di opera lirica', categories: ['creative'], target: 1 },
    ],
  },
  'Caterina Monti': {
    matters: 'Fare le orecchiette e i cavatelli a mano. Andare a messa e pregare in compagnia. Sentire vicini i miei figli, anche se abitano lontano.',
    goals: [
      { text: 'Preparare la pasta fatta a mano a Cuciniamo insieme', categories: ['life_skills'], types: [CUCINA], target: 1 },
      { text: 'Messa e rosario in compagnia', categories: ['spiritual'], types: [MESSA], target: 2 },
    ],
  },
  'Walter Poggi': {
    matters: 'La musica: suonare ancora la fisarmonica, anche poco, e far ballare la gente. Cristina che viene il sabato.',
    goals: [
      { text: 'Suonare la fisarmonica con il coro o alla festa', categories: ['creative'], types: [CORO], target: 1 },
      { text: 'Ginnastica dolce per le mani e l\'equilibrio', categories: ['physical'], types: [GINNASTICA], target: 2 },
      { text: 'Tombola con il gruppo', categories: ['social'], types: [TOMBOLA], target: 1 },
    ],
  },
  'Teresa Bonfiglioli': {
    matters: 'Avere gente intorno alla tavola. Giocare a scala quaranta e cantare le canzoni di una volta. Federica che viene quasi ogni giorno con le notizie del quartiere.',
    goals: [
      { text: 'Cucinare insieme: tagliatelle e crescentine', categories: ['life_skills'], types: [CUCINA], target: 1 },
      { text: 'Carte o tombola in compagnia', categories: ['social'], target: 3 },
      { text: 'Cantare con il coro', categories: ['creative'], types: [CORO], target: 1 },
    ],
  },
  'Aldo Venturi': {
    matters: 'Decidere da solo chi coinvolgere. Leggere due giornali al giorno e discutere di politica e di storia. Raccontare la Resistenza sull\'Appennino.',
    goals: [
      { text: 'Lettura del giornale con il gruppo', categories: ['cognitive'], types: [GIORNALE], target: 2 },
      { text: 'Raccontare la storia della Resistenza ai ragazzi delle scuole', categories: ['intergenerational'], target: 1 },
    ],
  },
  'Luigina Castellari': {
    matters: 'Ballare il liscio e cantare. I gatti. Luciano che viene a trovarmi ogni pomeriggio.',
    goals: [
      { text: 'Ballo e canto in compagnia', categories: ['creative', 'social'], target: 2 },
      { text: 'Giocare a tombola', categories: ['social'], types: [TOMBOLA], target: 1 },
      { text: 'Momenti con gli animali o nella stanza sensoriale', categories: ['sensory'], target: 1 },
    ],
  },
  'Renato Stanzani': {
    matters: 'Stare all\'aperto, al sole, con la terra tra le mani. Poche parole e tanta calma. I cani. Le notizie delle ciliegie che mi porta Massimo.',
    goals: [
      { text: 'Lavorare nell\'orto in terrazza', categories: ['life_skills'], types: [ORTO], target: 2 },
      { text: 'Stare in giardino o uscire quando il tempo lo permette', categories: ['outing'], target: 1 },
    ],
  },
  'Pietro Esposito': {
    matters: 'Il Napoli, le canzoni napoletane e una partita a carte. Preparare il presepe a Natale. La sfogliatella che mi porta Gennaro.',
    goals: [
      { text: 'Cantare canzoni napoletane con il coro', categories: ['creative'], types: [CORO], target: 1 },
      { text: 'Carte e tombola in compagnia', categories: ['social'], target: 2 },
      { text: 'Laboratorio creativo: presepe e decorazioni', categories: ['creative'], types: [PITTURA], target: 1 },
    ],
  },
  'Elsa Guerzoni': {
    matters: 'La musica: Chopin e Schubert. Anche quando le parole si confondono, le mani sul pianoforte ricordano. I fiori. Beatrice.',
    goals: [
      { text: 'Suonare il pianoforte o ascoltare musica classica', categories: ['creative'], target: 2 },
      { text: 'Stanza sensoriale con musica e profumi nei momenti di agitazione', categories: ['sensory'], types: [SENSORIALE], target: 1 },
    ],
  },
  'Nives Mazzoni': {
    matters: 'Le persone allegre, la tombola, le carte e il canto. Ballare come alla balera di Casalecchio. Claudio il mercoledì e la domenica.',
    goals: [
      { text: 'Tombola e carte in compagnia', categories: ['social'], types: [TOMBOLA], target: 2 },
      { text: 'Ballo liscio e canto', categories: ['creative'], target: 1 },
      { text: 'Uscita al mercato', categories: ['outing'], types: [MERCATO], target: 1 },
    ],
  },
  'Giovanni Tondelli': {
    matters: 'Muovermi e sentirmi utile. La bicicletta, lo sport, il calcio. Avere qualcosa da fare con le mani e con le gambe.',
    goals: [
      { text: 'Ginnastica dolce e camminate ogni giorno', categories: ['physical'], types: [GINNASTICA], target: 4 },
      { text: 'Aiutare a preparare la sala per le attività', categories: ['life_skills'], target: 2 },
      { text: 'Uscite a piedi accompagnato', categories: ['outing'], target: 1 },
    ],
  },
  'Ada Pancaldi': {
    matters: 'La fede: messa, rosario e Radio Maria ogni giorno. Le lettere dei nipoti, che conservo tutte. Sentirmi ancora utile con la maglia.',
    goals: [
      { text: 'Messa e rosario', categories: ['spiritual'], types: [MESSA], target: 2 },
      { text: 'Scrivere una lettera ai nipoti con l\'aiuto di un volontario', categories: ['cognitive'], target: 1 },
    ],
  },
  'Sergio Bellei': {
    matters: 'Insegnare le ricette a chi vuole impararle: la torta Barozzi non si dimentica. La Settimana Enigmistica nel pomeriggio. Andrea che viene da Reggio Emilia.',
    goals: [
      { text: 'Insegnare una ricetta di dolci a Cuciniamo insieme', categories: ['life_skills'], types: [CUCINA], target: 1 },
      { text: 'Giochi di parole ed enigmistica in gruppo', categories: ['cognitive'], target: 2 },
    ],
  },
};

const NOTES = [
  'Rivisto il piano insieme: obiettivi confermati.',
  'La famiglia chiede di proporre più spesso le attività all\'aperto.',
  'Molto contento/a del coro: proviamo ad aumentare la frequenza.',
  'Periodo più stanco: manteniamo gli obiettivi senza forzare.',
  'Ha chiesto di partecipare anche alle uscite del sabato.',
];

/** A plan for a resident outside the written demo: from their interests, so the demo still reads well. */
function planFromInterests(resident: Resident): DemoPlan {
  const interests = resident.interests.slice(0, 3).join(', ');
  return {
    matters: interests ? `Le cose che mi piacciono: ${interests}. Stare in compagnia.` : 'Stare in compagnia e fare cose che mi piacciono.',
    goals: [
      { text: 'Partecipare ad attività di gruppo', categories: ['social'], target: 2 },
      { text: 'Attività legate ai miei interessi', categories: ['creative', 'cognitive'], target: 1 },
    ],
  };
}

/** A Goal Attainment Scale score, most often "as expected" or a little better. */
function gasScore(r: number): number {
  if (r < 0.04) return -2;
  if (r < 0.2) return -1;
  if (r < 0.62) return 0;
  if (r < 0.92) return 1;
  return 2;
}

function later(a: string, b: string): string {
  return a > b ? a : b;
}

/**
 * Activity plans for the demo home: about twenty agreed plans written from the residents' stories,
 * some with an earlier version they replaced, reviews with the resident, their family and the
 * coordinator (each a co_design contribution) and attainment scores, three reviews overdue, two
 * recent arrivals with only a draft. Written inside the seeder's transaction, after the programme.
 */
export async function seedDemoPlans(
  m: EntityManager,
  people: { homeId: string; timezone: string; residentIds: string[]; staffIds: string[] },
  random: () => number,
): Promise<void> {
  const { homeId } = people;
  const today = todayIn(people.timezone);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const residents = (await m.findBy(Resident, { id: In(people.residentIds) }))
    .filter((r) => r.status === 'active' || r.status === 'on_leave')
    .sort((a, b) => people.residentIds.indexOf(a.id) - people.residentIds.indexOf(b.id));
  const staff = await m.findBy(StaffMember, { id: In(people.staffIds) });
  const coordinator = staff.find((s) => s.jobRole === 'activity_coordinator') ?? staff[0];
  const types = new Map((await m.findBy(ActivityType, { homeId })).map((t) => [t.name, t.id]));
  const links = await m.findBy(FamilyLink, { homeId, active: true });

  const plans: Partial<ActivityPlan>[] = [];
  const goals: Partial<PlanGoal>[] = [];
  const reviews: Partial<PlanReview>[] = [];
  const scores: Partial<GoalAttainment>[] = [];
  const contributions: Partial<Contribution>[] = [];

  const addPlan = (resident: Resident, version: number, status: ActivityPlan['status'], text: DemoPlan, agreedOn: string | null, nextReviewOn: string | null, goalList = text.goals) => {
    const plan = { id: randomUUID(), homeId, residentId: resident.id, version, status, whatMattersToMe: text.matters, agreedOn, nextReviewOn, createdBy: null };
    plans.push(plan);
    const made = goalList.map((goal, position) => ({
      id: randomUUID(), homeId, planId: plan.id, description: goal.text, categories: goal.categories,
      activityTypeIds: (goal.types ?? []).map((name) => types.get(name)).filter((id): id is string => id !== undefined),
      targetPerWeek: goal.target, status: 'active' as GoalStatus, position,
    }));
    goals.push(...made);
    return { plan, goals: made };
  };

  const addReview = (resident: Resident, planId: string, reviewedOn: string, planGoals: { id: string; status: GoalStatus }[], firstScore?: number) => {
    const family = links.filter((l) => l.residentId === resident.id).map((l) => l.familyMemberId);
    const carer = staff.find((s) => s.unitId === resident.unitId && s.jobRole === 'care_assistant');
    const staffIds = [coordinator?.id, random() < 0.5 ? carer?.id : undefined].filter((id): id is string => id !== undefined);
    const residentTookPart = random() < 0.8;
    const review = {
      id: randomUUID(), homeId, planId, reviewedOn, residentTookPart, familyMemberIds: family, staffMemberIds: staffIds,
      notes: pick(NOTES), recordedBy: null,
    };
    reviews.push(review);
    planGoals.filter((g) => g.status === 'active').forEach((goal, i) => {
      scores.push({ id: randomUUID(), homeId, reviewId: review.id, goalId: goal.id, score: i === 0 && firstScore !== undefined ? firstScore : gasScore(random()) });
    });
    const minutes = pick([30, 45, 45, 60]);
    const contribution = (actorType: Contribution['actorType'], personId: string): Partial<Contribution> => ({
      id: randomUUID(), homeId, activityId: null, date: reviewedOn, actorType, phase: 'co_design', minutes, description: null,
      source: 'plan_review', sourceId: review.id, recordedBy: null,
      residentId: actorType === 'resident' ? personId : null, familyMemberId: actorType === 'family' ? personId : null,
      volunteerId: null, staffMemberId: actorType === 'staff' ? personId : null,
    });
    if (residentTookPart) contributions.push(contribution('resident', resident.id));
    for (const id of family) contributions.push(contribution('family', id));
    for (const id of staffIds) contributions.push(contribution('staff', id));
  };

  for (const resident of residents) {
    const name = `${resident.firstName} ${resident.lastName}`;
    const text = PLANS[name] ?? planFromInterests(resident);
    const settled = addDays(resident.admittedOn, 14);
    switch (STORY[name]) {
      case 'none':
        break;
      case 'draftOnly':
        addPlan(resident, 1, 'draft', text, null, null);
        break;
      case 'overdue': {
        const agreedOn = later(settled, addDays(today, -between(200, 225)));
        addPlan(resident, 1, 'agreed', text, agreedOn, addMonths(agreedOn, REVIEW_INTERVAL_MONTHS));
        break;
      }
      case 'history': {
        // Version 1 asked a little less of the first goal; its review found more than expected, so version 2 raised it.
        const firstAgreed = later(settled, addDays(today, -between(330, 350)));
        const reviewedOn = addMonths(firstAgreed, REVIEW_INTERVAL_MONTHS);
        const easier = text.goals.map((goal, i) => (i === 0 ? { ...goal, target: Math.max(1, goal.target - 1) } : goal));
        const first = addPlan(resident, 1, 'archived', text, firstAgreed, addMonths(reviewedOn, REVIEW_INTERVAL_MONTHS), easier);
        addReview(resident, first.plan.id, reviewedOn, first.goals, pick([1, 2]));
        const second = addPlan(resident, 2, 'agreed', text, reviewedOn, addMonths(reviewedOn, REVIEW_INTERVAL_MONTHS));
        const interim = addDays(reviewedOn, between(80, 95));
        if (random() < 0.5 && interim <= addDays(today, -7)) {
          addReview(resident, second.plan.id, interim, second.goals);
          second.plan.nextReviewOn = addMonths(interim, REVIEW_INTERVAL_MONTHS);
        }
        break;
      }
      default: {
        const agreedOn = later(settled, addDays(today, -between(40, 150)));
        const current = addPlan(resident, 1, 'agreed', text, agreedOn, addMonths(agreedOn, REVIEW_INTERVAL_MONTHS));
        const interim = addDays(agreedOn, between(60, 75));
        if (random() < 0.6 && interim <= addDays(today, -5)) {
          addReview(resident, current.plan.id, interim, current.goals);
          current.plan.nextReviewOn = addMonths(interim, REVIEW_INTERVAL_MONTHS);
        }
        if (STORY[name] === 'nextDraft') {
          addPlan(resident, 2, 'draft', text, null, null, [
            ...text.goals,
            { text: 'Suonare per i bambini della scuola dell\'infanzia', categories: ['intergenerational'], types: ['Pomeriggio con i bambini'], target: 1 },
          ]);
        }
      }
    }
  }

  await insertInBatches(m, ActivityPlan, plans);
  await insertInBatches(m, PlanGoal, goals);
  await insertInBatches(m, PlanReview, reviews);
  await insertInBatches(m, GoalAttainment, scores);
  await insertInBatches(m, Contribution, contributions);
}

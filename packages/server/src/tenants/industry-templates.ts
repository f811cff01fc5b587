import type { ClientConfigInput, Industry, RuleInput } from '@leaddesk/shared';

/**
 * Starting configuration per industry: questions, services, tone and FAQs a
 * business edits later. Every question, option and FAQ carries its text in the
 * six content languages, so a visitor is answered in theirs from the first
 * message. The FAQ facts (prices, times) match the starter knowledge base.
 */
export interface IndustryTemplate {
  industry: Industry;
  label: string;
  config: ClientConfigInput;
}

const dental: IndustryTemplate = {
  industry: 'dental',
  label: 'Dental clinic',
  config: {
    services: ['Check-up and cleaning', 'Teeth whitening', 'Dental implants', 'Invisalign', 'Emergency care'],
    personality: 'friendly_casual',
    channelTone: { whatsapp: 'warm and brief', email: 'polite and formal', sms: 'concise' },
    qualificationQuestions: [
      {
        id: 'service',
        field: 'serviceInterest',
        question: 'Which treatment are you interested in?',
        type: 'multiple_choice',
        options: ['Check-up', 'Whitening', 'Implants', 'Invisalign', 'Emergency'],
        required: true,
        translations: {
          es: {
            question: '¿Qué tratamiento te interesa?',
            options: ['Revisión y limpieza', 'Blanqueamiento', 'Implantes', 'Invisalign', 'Urgencia'],
          },
          fr: {
            question: 'Quel soin vous intéresse ?',
            options: ['Contrôle et détartrage', 'Blanchiment', 'Implants', 'Invisalign', 'Urgence'],
          },
          de: {
            question: 'Welche Behandlung interessiert Sie?',
            options: ['Kontrolle und Zahnreinigung', 'Zahnaufhellung', 'Implantate', 'Invisalign', 'Notfall'],
          },
          pt: {
            question: 'Que tratamento lhe interessa?',
            options: ['Consulta e limpeza', 'Branqueamento', 'Implantes', 'Invisalign', 'Urgência'],
          },
          it: {
            question: 'Quale trattamento ti interessa?',
            options: ['Controllo e pulizia', 'Sbiancamento', 'Impianti', 'Invisalign', 'Urgenza'],
          },
        },
      },
      {
        id: 'urgency',
        field: 'urgency',
        question: 'Are you in pain or is this urgent?',
        type: 'multiple_choice',
        options: ['Yes, urgent', 'Soon', 'Just planning'],
        required: true,
        translations: {
          es: { question: '¿Tienes dolor o es urgente?', options: ['Sí, es urgente', 'Pronto', 'Solo estoy mirando'] },
          fr: { question: 'Avez-vous mal ou est-ce urgent ?', options: ['Oui, urgent', 'Bientôt', 'Je me renseigne'] },
          de: {
            question: 'Haben Sie Schmerzen oder ist es dringend?',
            options: ['Ja, dringend', 'Bald', 'Nur in Planung'],
          },
          pt: { question: 'Tem dores ou é urgente?', options: ['Sim, urgente', 'Em breve', 'Só a planear'] },
          it: { question: 'Hai dolore o è urgente?', options: ['Sì, urgente', 'A breve', 'Sto solo valutando'] },
        },
      },
      {
        id: 'new_patient',
        field: 'newPatient',
        question: 'Have you visited us before?',
        type: 'yes_no',
        required: false,
        translations: {
          es: { question: '¿Nos has visitado antes?' },
          fr: { question: 'Êtes-vous déjà venu chez nous ?' },
          de: { question: 'Waren Sie schon einmal bei uns?' },
          pt: { question: 'Já nos visitou antes?' },
          it: { question: 'Sei già stato da noi?' },
        },
      },
      {
        id: 'date',
        field: 'timeline',
        question: 'When would you like to come in?',
        type: 'date',
        required: false,
        translations: {
          es: { question: '¿Cuándo te gustaría venir?' },
          fr: { question: 'Quand souhaiteriez-vous venir ?' },
          de: { question: 'Wann möchten Sie vorbeikommen?' },
          pt: { question: 'Quando gostaria de vir?' },
          it: { question: 'Quando vorresti venire?' },
        },
      },
    ],
    faqs: [
      {
        question: 'Do you accept dental insurance?',
        answer: 'Yes, we accept most major dental insurance plans and can check your coverage before your visit.',
        translations: {
          es: {
            question: '¿Aceptan seguros dentales?',
            answer:
              'Sí, aceptamos la mayoría de los seguros dentales y podemos comprobar tu cobertura antes de la visita.',
          },
          fr: {
            question: 'Acceptez-vous les assurances dentaires ?',
            answer:
              'Oui, nous acceptons la plupart des assurances dentaires et pouvons vérifier votre couverture avant votre visite.',
          },
          de: {
            question: 'Akzeptieren Sie Zahnversicherungen?',
            answer:
              'Ja, wir akzeptieren die meisten gängigen Zahnversicherungen und prüfen Ihre Kostenübernahme gern vor dem Termin.',
          },
          pt: {
            question: 'Aceitam seguros dentários?',
            answer:
              'Sim, aceitamos a maioria dos seguros dentários e podemos verificar a sua cobertura antes da consulta.',
          },
          it: {
            question: 'Accettate assicurazioni dentali?',
            answer:
              'Sì, accettiamo la maggior parte delle assicurazioni dentali e possiamo verificare la tua copertura prima della visita.',
          },
        },
      },
      {
        question: 'How much does teeth whitening cost?',
        answer: 'In-office whitening starts at $350; take-home kits start at $180.',
        translations: {
          es: {
            question: '¿Cuánto cuesta el blanqueamiento dental?',
            answer: 'El blanqueamiento en la clínica cuesta desde 350 $; los kits para casa, desde 180 $.',
          },
          fr: {
            question: 'Combien coûte le blanchiment des dents ?',
            answer: 'Le blanchiment au cabinet commence à 350 $ ; les kits à domicile à partir de 180 $.',
          },
          de: {
            question: 'Was kostet eine Zahnaufhellung?',
            answer: 'Die Zahnaufhellung in der Praxis kostet ab 350 $, Kits für zu Hause ab 180 $.',
          },
          pt: {
            question: 'Quanto custa o branqueamento dentário?',
            answer: 'O branqueamento na clínica custa a partir de 350 $; os kits para casa, a partir de 180 $.',
          },
          it: {
            question: 'Quanto costa lo sbiancamento dentale?',
            answer: 'Lo sbiancamento in studio parte da 350 $; i kit da usare a casa da 180 $.',
          },
        },
      },
      {
        question: 'Do you handle dental emergencies?',
        answer: 'Yes. Call us or write here and we will fit emergencies in the same day whenever possible.',
        translations: {
          es: {
            question: '¿Atienden urgencias dentales?',
            answer: 'Sí. Llámanos o escríbenos aquí y atenderemos las urgencias el mismo día siempre que sea posible.',
          },
          fr: {
            question: 'Prenez-vous en charge les urgences dentaires ?',
            answer: 'Oui. Appelez-nous ou écrivez-nous ici : nous recevons les urgences le jour même dès que possible.',
          },
          de: {
            question: 'Behandeln Sie zahnärztliche Notfälle?',
            answer:
              'Ja. Rufen Sie uns an oder schreiben Sie uns hier – Notfälle nehmen wir, wann immer möglich, noch am selben Tag dran.',
          },
          pt: {
            question: 'Atendem urgências dentárias?',
            answer: 'Sim. Ligue-nos ou escreva aqui e atendemos as urgências no próprio dia sempre que possível.',
          },
          it: {
            question: 'Gestite le urgenze dentali?',
            answer: 'Sì. Chiamaci o scrivici qui: quando possibile riceviamo le urgenze in giornata.',
          },
        },
      },
      {
        question: 'Where are you located and is there parking?',
        answer: 'We are downtown with free patient parking behind the building.',
        translations: {
          es: {
            question: '¿Dónde están y hay aparcamiento?',
            answer: 'Estamos en el centro, con aparcamiento gratuito para pacientes detrás del edificio.',
          },
          fr: {
            question: 'Où êtes-vous situés et y a-t-il un parking ?',
            answer: 'Nous sommes en centre-ville, avec un parking gratuit pour les patients derrière le bâtiment.',
          },
          de: {
            question: 'Wo befinden Sie sich und gibt es Parkplätze?',
            answer: 'Wir sind in der Innenstadt, mit kostenlosen Patientenparkplätzen hinter dem Gebäude.',
          },
          pt: {
            question: 'Onde ficam e há estacionamento?',
            answer: 'Estamos no centro, com estacionamento gratuito para pacientes atrás do edifício.',
          },
          it: {
            question: "Dove siete e c'è parcheggio?",
            answer: "Siamo in centro, con parcheggio gratuito per i pazienti dietro l'edificio.",
          },
        },
      },
    ],
    hotLead: { scoreAtLeast: 70, notify: true },
    escalation: {
      keywords: ['pain', 'bleeding', 'swelling', 'complaint'],
      onHumanRequest: true,
      noStaffReplyMinutes: 15,
    },
  },
};

const hotel: IndustryTemplate = {
  industry: 'hotel',
  label: 'Boutique hotel',
  config: {
    services: ['Rooms and suites', 'Airport transfer', 'Late checkout', 'Breakfast', 'Room upgrade', 'Events'],
    personality: 'luxury_concierge',
    channelTone: { whatsapp: 'gracious and brief', email: 'elegant and formal', sms: 'concise' },
    qualificationQuestions: [
      {
        id: 'dates',
        field: 'timeline',
        question: 'What are your check-in and check-out dates?',
        type: 'date',
        required: true,
        translations: {
          es: { question: '¿Cuáles son tus fechas de entrada y salida?' },
          fr: { question: "Quelles sont vos dates d'arrivée et de départ ?" },
          de: { question: 'Wann möchten Sie an- und abreisen?' },
          pt: { question: 'Quais são as suas datas de entrada e saída?' },
          it: { question: 'Quali sono le date di arrivo e partenza?' },
        },
      },
      {
        id: 'guests',
        field: 'partySize',
        question: 'How many guests will be staying?',
        type: 'free_text',
        required: true,
        translations: {
          es: { question: '¿Cuántas personas se alojarán?' },
          fr: { question: 'Combien de personnes séjourneront ?' },
          de: { question: 'Wie viele Gäste werden übernachten?' },
          pt: { question: 'Quantos hóspedes vão ficar?' },
          it: { question: 'Quanti ospiti soggiorneranno?' },
        },
      },
      {
        // A room type, not one of the services (the lead's serviceInterest is always a service).
        id: 'room',
        field: 'roomType',
        question: 'Which room type would you prefer?',
        type: 'multiple_choice',
        options: ['Standard', 'Deluxe', 'Suite'],
        required: false,
        translations: {
          es: { question: '¿Qué tipo de habitación prefieres?', options: ['Estándar', 'Deluxe', 'Suite'] },
          fr: { question: 'Quel type de chambre préférez-vous ?', options: ['Standard', 'Deluxe', 'Suite'] },
          de: { question: 'Welche Zimmerkategorie bevorzugen Sie?', options: ['Standard', 'Deluxe', 'Suite'] },
          pt: { question: 'Que tipo de quarto prefere?', options: ['Standard', 'Deluxe', 'Suite'] },
          it: { question: 'Che tipo di camera preferisci?', options: ['Standard', 'Deluxe', 'Suite'] },
        },
      },
      {
        id: 'budget',
        field: 'budgetRange',
        question: 'Do you have a nightly budget in mind?',
        type: 'free_text',
        required: false,
        translations: {
          es: { question: '¿Tienes en mente un presupuesto por noche?' },
          fr: { question: 'Avez-vous un budget par nuit en tête ?' },
          de: { question: 'An welches Budget pro Nacht haben Sie gedacht?' },
          pt: { question: 'Tem em mente um orçamento por noite?' },
          it: { question: 'Hai in mente un budget per notte?' },
        },
      },
    ],
    faqs: [
      {
        question: 'What time is check-in and check-out?',
        answer: 'Check-in is from 3 pm and check-out is until 11 am. Late checkout can be arranged.',
        translations: {
          es: {
            question: '¿A qué hora es el check-in y el check-out?',
            answer:
              'El check-in es a partir de las 15:00 y el check-out hasta las 11:00. Podemos organizar una salida más tarde.',
          },
          fr: {
            question: 'À quelle heure sont le check-in et le check-out ?',
            answer:
              "L'arrivée se fait à partir de 15 h et le départ jusqu'à 11 h. Un départ tardif peut être organisé.",
          },
          de: {
            question: 'Wann sind Check-in und Check-out?',
            answer: 'Check-in ist ab 15 Uhr, Check-out bis 11 Uhr. Ein späterer Check-out lässt sich einrichten.',
          },
          pt: {
            question: 'A que horas são o check-in e o check-out?',
            answer:
              'O check-in é a partir das 15h e o check-out até às 11h. É possível combinar um check-out mais tarde.',
          },
          it: {
            question: 'A che ora sono il check-in e il check-out?',
            answer:
              'Il check-in è dalle 15:00 e il check-out entro le 11:00. Si può organizzare un check-out posticipato.',
          },
        },
      },
      {
        question: 'Is breakfast included?',
        answer: 'Breakfast is included with direct bookings and costs $25 per person otherwise.',
        translations: {
          es: {
            question: '¿El desayuno está incluido?',
            answer: 'El desayuno está incluido en las reservas directas; si no, cuesta 25 $ por persona.',
          },
          fr: {
            question: 'Le petit-déjeuner est-il inclus ?',
            answer: 'Le petit-déjeuner est inclus pour les réservations directes ; sinon, il coûte 25 $ par personne.',
          },
          de: {
            question: 'Ist das Frühstück inklusive?',
            answer: 'Bei Direktbuchung ist das Frühstück inklusive, sonst kostet es 25 $ pro Person.',
          },
          pt: {
            question: 'O pequeno-almoço está incluído?',
            answer: 'O pequeno-almoço está incluído nas reservas diretas; caso contrário, custa 25 $ por pessoa.',
          },
          it: {
            question: 'La colazione è inclusa?',
            answer: 'La colazione è inclusa nelle prenotazioni dirette, altrimenti costa 25 $ a persona.',
          },
        },
      },
      {
        question: 'Do you offer airport transfers?',
        answer: 'Yes, a private airport transfer costs $60 each way.',
        translations: {
          es: {
            question: '¿Ofrecen traslado al aeropuerto?',
            answer: 'Sí, un traslado privado al aeropuerto cuesta 60 $ por trayecto.',
          },
          fr: {
            question: "Proposez-vous des transferts depuis l'aéroport ?",
            answer: "Oui, un transfert privé depuis ou vers l'aéroport coûte 60 $ par trajet.",
          },
          de: {
            question: 'Bieten Sie einen Flughafentransfer an?',
            answer: 'Ja, ein privater Flughafentransfer kostet 60 $ pro Strecke.',
          },
          pt: {
            question: 'Oferecem transfer do aeroporto?',
            answer: 'Sim, um transfer privado do aeroporto custa 60 $ por trajeto.',
          },
          it: {
            question: "Offrite il transfer dall'aeroporto?",
            answer: "Sì, un transfer privato per l'aeroporto costa 60 $ a tratta.",
          },
        },
      },
      {
        question: 'Are pets allowed?',
        answer: 'Small pets are welcome for a $30 nightly fee.',
        translations: {
          es: {
            question: '¿Se admiten mascotas?',
            answer: 'Las mascotas pequeñas son bienvenidas con un suplemento de 30 $ por noche.',
          },
          fr: {
            question: 'Les animaux sont-ils acceptés ?',
            answer: 'Les petits animaux sont les bienvenus moyennant 30 $ par nuit.',
          },
          de: {
            question: 'Sind Haustiere erlaubt?',
            answer: 'Kleine Haustiere sind gegen eine Gebühr von 30 $ pro Nacht willkommen.',
          },
          pt: {
            question: 'Aceitam animais de estimação?',
            answer: 'Os animais pequenos são bem-vindos, com uma taxa de 30 $ por noite.',
          },
          it: {
            question: 'Sono ammessi animali?',
            answer: 'Gli animali di piccola taglia sono i benvenuti con un supplemento di 30 $ a notte.',
          },
        },
      },
    ],
    hotLead: { scoreAtLeast: 65, notify: true },
    escalation: {
      keywords: ['complaint', 'refund', 'group booking', 'wedding'],
      onHumanRequest: true,
      noStaffReplyMinutes: 10,
    },
  },
};

const realEstate: IndustryTemplate = {
  industry: 'real_estate',
  label: 'Real estate agency',
  config: {
    services: ['Buying', 'Selling', 'Renting', 'Property valuation'],
    personality: 'fast_direct',
    channelTone: { whatsapp: 'direct and friendly', email: 'professional', sms: 'concise' },
    qualificationQuestions: [
      {
        id: 'intent',
        field: 'serviceInterest',
        question: 'Are you looking to buy, sell or rent?',
        type: 'multiple_choice',
        options: ['Buy', 'Sell', 'Rent', 'Valuation'],
        required: true,
        translations: {
          es: {
            question: '¿Quieres comprar, vender o alquilar?',
            options: ['Comprar', 'Vender', 'Alquilar', 'Valoración'],
          },
          fr: {
            question: 'Vous souhaitez acheter, vendre ou louer ?',
            options: ['Acheter', 'Vendre', 'Louer', 'Estimation'],
          },
          de: {
            question: 'Möchten Sie kaufen, verkaufen oder mieten?',
            options: ['Kaufen', 'Verkaufen', 'Mieten', 'Bewertung'],
          },
          pt: {
            question: 'Procura comprar, vender ou arrendar?',
            options: ['Comprar', 'Vender', 'Arrendar', 'Avaliação'],
          },
          it: {
            question: 'Vuoi comprare, vendere o affittare?',
            options: ['Comprare', 'Vendere', 'Affittare', 'Valutazione'],
          },
        },
      },
      {
        id: 'area',
        field: 'location',
        question: 'Which area are you interested in?',
        type: 'free_text',
        required: true,
        translations: {
          es: { question: '¿Qué zona te interesa?' },
          fr: { question: 'Quel secteur vous intéresse ?' },
          de: { question: 'Welche Gegend interessiert Sie?' },
          pt: { question: 'Que zona lhe interessa?' },
          it: { question: 'Quale zona ti interessa?' },
        },
      },
      {
        id: 'budget',
        field: 'budgetRange',
        question: 'What is your budget?',
        type: 'free_text',
        required: true,
        translations: {
          es: { question: '¿Cuál es tu presupuesto?' },
          fr: { question: 'Quel est votre budget ?' },
          de: { question: 'Wie hoch ist Ihr Budget?' },
          pt: { question: 'Qual é o seu orçamento?' },
          it: { question: 'Qual è il tuo budget?' },
        },
      },
      {
        id: 'bedrooms',
        field: 'bedrooms',
        question: 'How many bedrooms do you need?',
        type: 'free_text',
        required: false,
        translations: {
          es: { question: '¿Cuántos dormitorios necesitas?' },
          fr: { question: 'Combien de chambres vous faut-il ?' },
          de: { question: 'Wie viele Schlafzimmer brauchen Sie?' },
          pt: { question: 'De quantos quartos precisa?' },
          it: { question: 'Di quante camere da letto hai bisogno?' },
        },
      },
      {
        id: 'mortgage',
        field: 'mortgageApproved',
        question: 'Do you have a mortgage in principle?',
        type: 'yes_no',
        required: false,
        translations: {
          es: { question: '¿Tienes ya una hipoteca preaprobada?' },
          fr: { question: 'Avez-vous déjà un accord de principe pour votre prêt ?' },
          de: { question: 'Haben Sie bereits eine Finanzierungszusage?' },
          pt: { question: 'Já tem um crédito à habitação pré-aprovado?' },
          it: { question: 'Hai già un mutuo pre-approvato?' },
        },
      },
      {
        // A date (the lead's timeline is always YYYY-MM-DD or a range).
        id: 'timeline',
        field: 'timeline',
        question: 'When are you hoping to move?',
        type: 'date',
        required: false,
        translations: {
          es: { question: '¿Cuándo te gustaría mudarte?' },
          fr: { question: 'Quand espérez-vous emménager ?' },
          de: { question: 'Wann möchten Sie umziehen?' },
          pt: { question: 'Quando espera mudar-se?' },
          it: { question: 'Quando speri di trasferirti?' },
        },
      },
    ],
    faqs: [
      {
        question: 'How much is a valuation?',
        answer: 'Our market valuations are free and take about 45 minutes at the property.',
        translations: {
          es: {
            question: '¿Cuánto cuesta una valoración?',
            answer: 'Nuestras valoraciones de mercado son gratuitas y duran unos 45 minutos en la vivienda.',
          },
          fr: {
            question: 'Combien coûte une estimation ?',
            answer: 'Nos estimations sont gratuites et prennent environ 45 minutes sur place.',
          },
          de: {
            question: 'Was kostet eine Bewertung?',
            answer: 'Unsere Marktwertermittlungen sind kostenlos und dauern vor Ort etwa 45 Minuten.',
          },
          pt: {
            question: 'Quanto custa uma avaliação?',
            answer: 'As nossas avaliações de mercado são gratuitas e demoram cerca de 45 minutos no imóvel.',
          },
          it: {
            question: 'Quanto costa una valutazione?',
            answer: "Le nostre valutazioni di mercato sono gratuite e richiedono circa 45 minuti presso l'immobile.",
          },
        },
      },
      {
        question: 'What are your selling fees?',
        answer: 'Our selling fee is 1.5% plus VAT, no sale no fee.',
        translations: {
          es: {
            question: '¿Cuál es su comisión de venta?',
            answer: 'Nuestra comisión de venta es del 1,5 % más IVA; si no se vende, no se cobra.',
          },
          fr: {
            question: 'Quels sont vos frais de vente ?',
            answer: 'Nos honoraires de vente sont de 1,5 % HT ; pas de vente, pas de frais.',
          },
          de: {
            question: 'Wie hoch ist Ihre Verkaufsprovision?',
            answer: 'Unsere Verkaufsprovision beträgt 1,5 % zzgl. MwSt.; ohne Verkauf keine Provision.',
          },
          pt: {
            question: 'Qual é a vossa comissão de venda?',
            answer: 'A nossa comissão de venda é de 1,5% mais IVA; se não vender, não paga.',
          },
          it: {
            question: 'Qual è la vostra provvigione di vendita?',
            answer: "La nostra provvigione di vendita è dell'1,5% più IVA: se non vendiamo, non paghi nulla.",
          },
        },
      },
      {
        question: 'Can I book a viewing at the weekend?',
        answer: 'Yes, we run viewings on Saturdays from 10 am to 4 pm.',
        translations: {
          es: {
            question: '¿Puedo reservar una visita el fin de semana?',
            answer: 'Sí, hacemos visitas los sábados de 10:00 a 16:00.',
          },
          fr: {
            question: 'Puis-je réserver une visite le week-end ?',
            answer: 'Oui, nous organisons des visites le samedi de 10 h à 16 h.',
          },
          de: {
            question: 'Kann ich eine Besichtigung am Wochenende buchen?',
            answer: 'Ja, wir bieten Besichtigungen samstags von 10 bis 16 Uhr an.',
          },
          pt: {
            question: 'Posso marcar uma visita ao fim de semana?',
            answer: 'Sim, fazemos visitas aos sábados das 10h às 16h.',
          },
          it: {
            question: 'Posso prenotare una visita nel fine settimana?',
            answer: 'Sì, organizziamo visite il sabato dalle 10 alle 16.',
          },
        },
      },
    ],
    hotLead: { scoreAtLeast: 70, notify: true },
    escalation: { keywords: ['offer', 'complaint', 'solicitor'], onHumanRequest: true, noStaffReplyMinutes: 20 },
  },
};

const other: IndustryTemplate = { industry: 'other', label: 'Other', config: {} };

export const INDUSTRY_TEMPLATES: Record<Industry, IndustryTemplate> = {
  dental,
  hotel,
  real_estate: realEstate,
  other,
};

/** Accepts the industry names people type ("dental clinic", "real-estate", "hotel"). */
/**
 * The automation rules every tenant starts with (issue 14), the three that
 * businesses ask for first. Installed once per tenant (see
 * automation/rules/rule-store.ts), editable and removable like any rule.
 * In hours a silent escalation is escalated again after 5 minutes; after
 * hours the team gets 30.
 */
export const DEFAULT_RULES: readonly RuleInput[] = [
  {
    name: 'Hot lead: notify the manager',
    trigger: { kind: 'score_crossed', above: 80 },
    // On their desktop: the hot-lead email already goes out from the staff alerts (config.hotLead).
    actions: [{ type: 'notify_staff', via: ['desktop'], to: 'managers' }],
  },
  {
    name: 'Urgent: alert staff',
    // "urgent" in the six content languages (compared without case or accents).
    trigger: {
      kind: 'keyword',
      keywords: ['urgent', 'urgente', 'urgencia', 'urgência', 'urgence', 'urgenza', 'dringend', 'eilig', 'emergency'],
    },
    actions: [{ type: 'notify_staff', via: ['desktop'], to: 'all_staff' }],
  },
  {
    name: 'No staff reply in 5 minutes: escalate',
    trigger: { kind: 'no_staff_reply', minutes: 5, minutesAfterHours: 30, after: ['escalation', 'takeover'] },
    actions: [{ type: 'escalate', priority: 'urgent' }],
  },
];

/** The rules a tenant of this industry starts with. */
export function defaultRulesFor(_industry: Industry): readonly RuleInput[] {
  return DEFAULT_RULES;
}

export function resolveIndustry(input: string): Industry | undefined {
  const key = input
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (key in INDUSTRY_TEMPLATES) return key as Industry;
  if (key.startsWith('dental') || key.includes('dentist')) return 'dental';
  if (key.includes('hotel') || key.includes('hospitality')) return 'hotel';
  if (key.includes('estate') || key.includes('realtor') || key.includes('property')) return 'real_estate';
  if (key === 'other') return 'other';
  return undefined;
}

import type { DemoScript } from './types.js';

/**
 * Short exchanges that fill a real month: a question answered from the
 * knowledge base, sometimes a booking, often nothing more.
 */
export const SHORT_SCRIPTS: DemoScript[] = [
  {
    key: 'xray-cost',
    channel: 'web',
    language: 'en',
    daysAgo: 29,
    at: [15, 45],
    lead: { name: 'Paul Anderson', phone: '+12125550104', status: 'qualifying' },
    turns: [
      { role: 'visitor', text: 'Do I have to pay extra for X-rays?' },
      {
        role: 'ai',
        text: 'Dental X-rays, when needed, cost $45. A check-up with a professional cleaning costs $120. Would you like to book one?',
        intent: 'pricing',
        source: 'Prices and practical information › Prices › Check-up and cleaning',
      },
      { role: 'visitor', text: 'Maybe, can you call me? 212 555 0104, Paul' },
    ],
  },
  {
    key: 'late-cancel-fee',
    channel: 'sms',
    language: 'en',
    daysAgo: 18,
    at: [8, 5],
    lead: {
      name: 'Rachel Green',
      phone: '+12125550138',
      status: 'appointment_booked',
      qualification: { serviceInterest: 'Check-up and cleaning' },
      appointment: { inDays: 14, hour: 9 },
    },
    turns: [
      { role: 'visitor', text: 'Is there a fee if I cancel tomorrow morning? I have a fever.' },
      {
        role: 'ai',
        text: "A cancellation with less than 24 hours' notice is normally charged a $50 fee. I have asked the team to look at your case; get well soon!",
        intent: 'cancellation',
        source: 'Prices and practical information › Cancellation policy',
      },
      {
        role: 'staff',
        text: 'Hi Rachel, no fee when you are ill. We moved you to the same time in two weeks.',
        after: 55,
        by: 'maria',
      },
      { role: 'visitor', text: 'Thank you so much!' },
    ],
  },
  {
    key: 'whitening-kit-whatsapp',
    channel: 'whatsapp',
    language: 'en',
    daysAgo: 13,
    at: [19, 58],
    lead: {
      name: 'Jessica Moore',
      phone: '+12125550181',
      status: 'closed_won',
      qualification: { serviceInterest: 'Teeth whitening' },
      appointment: { inDays: 2, hour: 12 },
    },
    turns: [
      { role: 'visitor', text: 'Hi! Can I buy a whitening kit to use at home?' },
      {
        role: 'ai',
        text: 'Yes: take-home whitening kits with custom-made trays start at $180. We take an impression of your teeth first, in a short visit. Shall we book it?',
        intent: 'pricing',
        source: 'Prices and practical information › Prices › Teeth whitening',
      },
      { role: 'visitor', text: 'Yes please, a lunchtime if possible' },
      {
        role: 'staff',
        text: 'Hi Jessica, you are booked for Thursday at 12:00 for the impression.',
        after: 820,
        by: 'maria',
      },
    ],
  },
  {
    key: 'new-patient-documents',
    channel: 'email',
    language: 'en',
    daysAgo: 7,
    at: [11, 22],
    lead: {
      name: 'Brian Foster',
      email: 'brian.foster@example.com',
      status: 'qualified',
      qualification: { serviceInterest: 'Check-up and cleaning', urgency: 'low' },
      timelineInDays: 21,
    },
    turns: [
      {
        role: 'visitor',
        text: 'Hi there,\n\nI would like to register as a new patient. What do I need to bring to the first appointment? Something in three weeks would be ideal.\n\nBrian',
      },
      {
        role: 'ai',
        text: 'Hello Brian,\n\nNew patients are always welcome. Please arrive 10 minutes early for your first visit and bring a photo ID, your insurance card and a list of any medicines you take. Our team will write to you with a date in three weeks.',
        intent: 'information',
        source: 'Prices and practical information › New patients',
      },
    ],
  },
  {
    key: 'payment-plan-web',
    channel: 'web',
    language: 'en',
    daysAgo: 22,
    at: [23, 14],
    lead: { status: 'new' },
    turns: [
      { role: 'visitor', text: 'do you do payment plans' },
      {
        role: 'ai',
        text: 'Yes: treatments over $1,000 can be paid in monthly instalments over 12 months, interest-free, and Invisalign plans start at $150 a month. Which treatment are you interested in?',
        intent: 'pricing',
        source: 'Prices and practical information › Payment and insurance',
      },
    ],
  },
  {
    key: 'web-form-emergency-weekend',
    channel: 'web_form',
    language: 'en',
    daysAgo: 20,
    at: [10, 3],
    lead: {
      name: 'Eric Coleman',
      email: 'eric.coleman@example.com',
      phone: '+12125550129',
      status: 'closed_lost',
      qualification: { serviceInterest: 'Emergency care', urgency: 'high' },
    },
    turns: [
      { role: 'visitor', text: 'Lost a filling yesterday, can someone see me this weekend?\nService: Emergency care' },
      {
        role: 'staff',
        text: 'Hi Eric, we are closed at weekends but can see you first thing Monday at 9:00. Would that work?',
        after: 2900,
        by: 'james',
      },
      { role: 'visitor', text: 'Thanks, I already went to an emergency clinic on Saturday.', after: 180 },
    ],
  },
  {
    key: 'limpieza-ninos-sms',
    channel: 'sms',
    language: 'es',
    daysAgo: 9,
    at: [17, 31],
    lead: {
      name: 'Sofía Herrera',
      phone: '+13055550175',
      status: 'appointment_booked',
      qualification: { serviceInterest: 'Check-up and cleaning' },
      appointment: { inDays: 11, hour: 16 },
    },
    turns: [
      { role: 'visitor', text: 'Hola, ¿cuánto cuesta la limpieza para niños? Mi hija tiene 9 años.' },
      {
        role: 'ai',
        text: 'Hola: la limpieza para niños menores de 12 años cuesta 70 US$. ¿Qué día le vendría bien?',
        intent: 'pricing',
        source: 'Precios e información práctica › Precios › Revisión y limpieza dental',
      },
      { role: 'visitor', text: 'Un jueves por la tarde, después del colegio.' },
      {
        role: 'staff',
        text: 'Hola Sofía, su hija tiene cita el jueves de la semana que viene a las 16:00.',
        after: 35,
        by: 'maria',
      },
    ],
  },
  {
    key: 'insurance-delta-web',
    channel: 'web',
    language: 'en',
    daysAgo: 3,
    at: [13, 12],
    lead: {
      name: 'Samantha Hill',
      email: 'sam.hill@example.com',
      status: 'qualifying',
      qualification: { serviceInterest: 'Check-up and cleaning' },
    },
    turns: [
      { role: 'visitor', text: 'Do you accept Delta Dental?' },
      {
        role: 'ai',
        text: 'Yes, we accept most major dental insurance plans, including Delta Dental, and we check your coverage before your visit. Would you like to book a check-up?',
        intent: 'information',
        source: 'Prices and practical information › Payment and insurance',
      },
      { role: 'visitor', text: 'Yes, please email me some times: sam.hill@example.com' },
    ],
  },
];

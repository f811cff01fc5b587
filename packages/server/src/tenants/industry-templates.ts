import type { ClientConfigInput, Industry } from '@leaddesk/shared';

/** Starting configuration per industry: questions, services, tone and FAQs a business edits later. */
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
      },
      {
        id: 'urgency',
        field: 'urgency',
        question: 'Are you in pain or is this urgent?',
        type: 'multiple_choice',
        options: ['Yes, urgent', 'Soon', 'Just planning'],
        required: true,
      },
      {
        id: 'new_patient',
        field: 'newPatient',
        question: 'Have you visited us before?',
        type: 'yes_no',
        required: false,
      },
      { id: 'date', field: 'timeline', question: 'When would you like to come in?', type: 'date', required: false },
    ],
    faqs: [
      {
        question: 'Do you accept dental insurance?',
        answer: 'Yes, we accept most major dental insurance plans and can check your coverage before your visit.',
      },
      {
        question: 'How much does teeth whitening cost?',
        answer: 'In-office whitening starts at $350; take-home kits start at $180.',
      },
      {
        question: 'Do you handle dental emergencies?',
        answer: 'Yes. Call us or write here and we will fit emergencies in the same day whenever possible.',
      },
      {
        question: 'Where are you located and is there parking?',
        answer: 'We are downtown with free patient parking behind the building.',
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
      },
      {
        id: 'guests',
        field: 'partySize',
        question: 'How many guests will be staying?',
        type: 'free_text',
        required: true,
      },
      {
        id: 'room',
        field: 'serviceInterest',
        question: 'Which room type would you prefer?',
        type: 'multiple_choice',
        options: ['Standard', 'Deluxe', 'Suite'],
        required: false,
      },
      {
        id: 'budget',
        field: 'budgetRange',
        question: 'Do you have a nightly budget in mind?',
        type: 'free_text',
        required: false,
      },
    ],
    faqs: [
      {
        question: 'What time is check-in and check-out?',
        answer: 'Check-in is from 3 pm and check-out is until 11 am. Late checkout can be arranged.',
      },
      {
        question: 'Is breakfast included?',
        answer: 'Breakfast is included with direct bookings and costs $25 per person otherwise.',
      },
      { question: 'Do you offer airport transfers?', answer: 'Yes, a private airport transfer costs $60 each way.' },
      { question: 'Are pets allowed?', answer: 'Small pets are welcome for a $30 nightly fee.' },
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
      },
      {
        id: 'area',
        field: 'location',
        question: 'Which area are you interested in?',
        type: 'free_text',
        required: true,
      },
      { id: 'budget', field: 'budgetRange', question: 'What is your budget?', type: 'free_text', required: true },
      {
        id: 'mortgage',
        field: 'mortgageApproved',
        question: 'Do you have a mortgage in principle?',
        type: 'yes_no',
        required: false,
      },
      {
        id: 'timeline',
        field: 'timeline',
        question: 'When are you hoping to move?',
        type: 'free_text',
        required: false,
      },
    ],
    faqs: [
      {
        question: 'How much is a valuation?',
        answer: 'Our market valuations are free and take about 45 minutes at the property.',
      },
      { question: 'What are your selling fees?', answer: 'Our selling fee is 1.5% plus VAT, no sale no fee.' },
      {
        question: 'Can I book a viewing at the weekend?',
        answer: 'Yes, we run viewings on Saturdays from 10 am to 4 pm.',
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

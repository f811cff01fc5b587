import type { DemoScript } from './types.js';

/**
 * The conversations where people stepped in: urgent pain escalated after
 * hours, a complaint, a request for a person, a hot lead, and the chat a
 * staff member took over (and still holds).
 */
export const ESCALATED_SCRIPTS: DemoScript[] = [
  {
    key: 'toothache-whatsapp-night',
    channel: 'whatsapp',
    language: 'en',
    daysAgo: 26,
    at: [22, 51],
    lead: {
      name: 'Daniel Brooks',
      phone: '+12125550147',
      status: 'closed_won',
      qualification: { serviceInterest: 'Emergency care', urgency: 'high' },
      timelineInDays: 1,
      appointment: { inDays: 1, hour: 9 },
    },
    turns: [
      {
        role: 'visitor',
        text: 'Hi, I have a terrible toothache since this afternoon and my cheek is swelling. Can someone see me tomorrow?',
      },
      {
        role: 'ai',
        text: 'I am sorry you are in pain, Daniel. I have alerted our team so they can fit you in first thing tomorrow. An emergency visit costs $95, including the examination and an X-ray.',
        intent: 'booking',
        source: 'Prices and practical information › Prices › Emergency care',
      },
      { role: 'visitor', text: 'Thank you. Any time works, the earlier the better.' },
      {
        role: 'staff',
        text: 'Good morning Daniel, Dr. Patel can see you at 9:00 today. Please come straight in.',
        after: 610,
        by: 'james',
      },
      { role: 'visitor', text: 'Perfect, I will be there.' },
      { role: 'note', text: 'Swelling on the lower left. Booked as emergency, first slot.', after: 2, by: 'james' },
    ],
    escalation: {
      reason: 'urgent',
      priority: 'urgent',
      detail: 'Toothache with swelling (after hours)',
      afterTurn: 0,
      resolved: { by: 'james', afterMinutes: 612, note: 'Seen at 9:00 the next morning.' },
    },
  },
  {
    key: 'implants-takeover',
    channel: 'web',
    language: 'en',
    daysAgo: 1,
    at: [11, 5],
    lead: {
      name: 'Robert Hughes',
      email: 'rhughes@example.com',
      phone: '+12125550188',
      status: 'qualified',
      qualification: { serviceInterest: 'Dental implants', urgency: 'medium', budgetRange: 'USD 5000' },
      timelineInDays: 14,
      assignee: 'admin',
    },
    turns: [
      {
        role: 'visitor',
        text: 'Hello, I lost two molars and I am looking at implants. What does an implant cost with you?',
      },
      {
        role: 'ai',
        text: 'A dental implant costs from $2,400, crown included, and the first implant consultation with a 3D scan is free. Would you like to book the consultation?',
        intent: 'pricing',
        source: 'Prices and practical information › Prices › Dental implants',
      },
      {
        role: 'visitor',
        text: 'Possibly. My budget is around $5,000 for both. Can I pay in instalments? Email is rhughes@example.com',
      },
      {
        role: 'ai',
        text: 'Treatments over $1,000 can be paid in monthly instalments over 12 months, interest-free. When would you like to come in for the consultation?',
        intent: 'pricing',
        source: 'Prices and practical information › Payment and insurance',
      },
      { role: 'visitor', text: 'In two weeks or so. I would like to talk to someone about the whole plan though.' },
      {
        role: 'staff',
        text: 'Hi Robert, this is the Sunset Dental team. Two implants within $5,000 is often possible; it depends on the bone. Shall I book you the free consultation with a 3D scan?',
        after: 4,
      },
      { role: 'visitor', text: 'Yes, that sounds good. My number is 212 555 0188 if you need to call.' },
      { role: 'staff', text: 'Great, I will call you this afternoon to find a time that suits you.', after: 3 },
    ],
    conversation: { status: 'active', takeoverAt: 5, holder: 'admin', assignee: 'admin' },
    escalation: {
      reason: 'hot_lead',
      priority: 'normal',
      detail: 'Lead scored hot: two implants, budget given',
      afterTurn: 4,
      resolved: { by: 'admin', afterMinutes: 5, note: 'Took the chat over; calling him this afternoon.' },
    },
    copilot: ['sent_as_is', 'edited'],
  },
  {
    key: 'billing-complaint',
    channel: 'web',
    language: 'en',
    daysAgo: 2,
    at: [17, 20],
    lead: { name: 'Mark Ellis', email: 'mark.ellis@example.com', status: 'handed_off' },
    turns: [
      {
        role: 'visitor',
        text: 'I was charged twice for my visit last week. This is the second time it has happened and I am not happy.',
      },
      {
        role: 'ai',
        text: 'I am very sorry about the double charge, Mark. I have passed this to our team so someone can check your payment and refund it. What email should they reply to?',
        intent: 'complaint',
      },
      { role: 'visitor', text: 'mark.ellis@example.com. I expect it fixed this week.' },
      {
        role: 'ai',
        text: 'Thank you. A member of our team will contact you at mark.ellis@example.com.',
        intent: 'complaint',
      },
    ],
    conversation: { status: 'escalated', assignee: 'maria' },
    escalation: { reason: 'complaint', priority: 'high', detail: 'Charged twice for one visit', afterTurn: 0 },
  },
  {
    key: 'human-request',
    channel: 'web',
    language: 'en',
    daysAgo: 0,
    at: [9, 41],
    lead: { name: 'Grace Kim', phone: '+12125550116', status: 'qualifying', assignee: 'maria' },
    turns: [
      { role: 'visitor', text: "Can I speak to a real person please? It is about my mother's dentures." },
      {
        role: 'ai',
        text: 'Of course. I have asked a member of our team to join this chat. Could you leave a phone number in case they need to call?',
        intent: 'human_request',
      },
      { role: 'visitor', text: 'Sure, 212 555 0116. My name is Grace.' },
    ],
    conversation: { status: 'escalated', assignee: 'maria' },
    escalation: {
      reason: 'visitor_request',
      priority: 'normal',
      detail: 'Asked to speak to a person',
      afterTurn: 0,
      status: 'acknowledged',
    },
  },
  {
    key: 'broken-tooth-whatsapp',
    channel: 'whatsapp',
    language: 'en',
    daysAgo: 12,
    at: [11, 30],
    lead: {
      name: 'Chris Morgan',
      phone: '+12125550152',
      status: 'closed_won',
      qualification: { serviceInterest: 'Emergency care', urgency: 'high' },
      timelineInDays: 0,
      appointment: { inDays: 0, hour: 14 },
    },
    turns: [
      { role: 'visitor', text: 'I just broke a front tooth on a fork, it is bleeding a bit. Can you see me today??' },
      {
        role: 'ai',
        text: 'I am sorry, Chris! I have alerted the team: we keep same-day appointments for emergencies. An emergency visit costs $95, including the examination and an X-ray.',
        intent: 'booking',
        source: 'Prices and practical information › Prices › Emergency care',
      },
      { role: 'staff', text: 'Hi Chris, can you be here at 2 pm today?', after: 6, by: 'james' },
      { role: 'visitor', text: 'Yes! Thank you so much.' },
    ],
    escalation: {
      reason: 'urgent',
      priority: 'urgent',
      detail: 'Broken front tooth, bleeding',
      afterTurn: 0,
      resolved: { by: 'james', afterMinutes: 7, note: 'Booked for 2 pm the same day.' },
    },
  },
  {
    key: 'implant-hot-pending',
    channel: 'web',
    language: 'en',
    daysAgo: 0,
    at: [7, 20],
    lead: {
      name: 'Thomas Reed',
      email: 'thomas.reed@example.com',
      phone: '+12125550199',
      status: 'qualified',
      qualification: { serviceInterest: 'Dental implants', urgency: 'high', budgetRange: 'USD 3000' },
      timelineInDays: 2,
    },
    turns: [
      {
        role: 'visitor',
        text: 'My bridge came loose and I want an implant instead, as soon as possible. Budget up to $3,000.',
      },
      {
        role: 'ai',
        text: 'A dental implant costs from $2,400, crown included, so that fits your budget, and the first consultation with a 3D scan is free. Could you give me a phone number and email so the team can book you in this week?',
        intent: 'booking',
        source: 'Prices and practical information › Prices › Dental implants',
      },
      { role: 'visitor', text: 'thomas.reed@example.com, 212 555 0199. Wednesday would be ideal.' },
      { role: 'ai', text: 'Wednesday, noted. The team will call you when we open at 9.', intent: 'booking' },
    ],
    escalation: { reason: 'hot_lead', priority: 'normal', detail: 'Lead scored hot: implant this week', afterTurn: 2 },
  },
];

import { describe, expect, it } from 'vitest';
import { read } from './test-support.js';

const date = (text: string, region = 'ES', industry = 'hotel') => read(text, { region, industry }).date;

describe('requested dates (today is Wednesday 2 December 2026 in Madrid)', () => {
  it.each([
    ['en', 'Can I come in tomorrow morning?', { start: '2026-12-03', partOfDay: 'morning' }],
    ['es', '¿Tenéis hueco mañana por la mañana?', { start: '2026-12-03', partOfDay: 'morning' }],
    ['fr', 'Est-ce possible demain matin ?', { start: '2026-12-03', partOfDay: 'morning' }],
    ['de', 'Geht es morgen früh?', { start: '2026-12-03', partOfDay: 'morning' }],
    ['pt', 'Pode ser amanhã de manhã?', { start: '2026-12-03', partOfDay: 'morning' }],
    ['it', 'Sarebbe possibile domani mattina?', { start: '2026-12-03', partOfDay: 'morning' }],
  ])('%s: tomorrow morning', (_lang, text, expected) => {
    expect(date(text)).toMatchObject(expected);
  });

  it.each([
    ['es', 'Quería cita pasado mañana', '2026-12-04'],
    ['fr', 'Un rendez-vous après-demain ?', '2026-12-04'],
    ['de', 'Einen Termin übermorgen bitte', '2026-12-04'],
    ['pt', 'Uma consulta depois de amanhã', '2026-12-04'],
    ['it', 'Un appuntamento dopodomani', '2026-12-04'],
  ])('%s: the day after tomorrow is not tomorrow', (_lang, text, start) => {
    expect(date(text)?.start).toBe(start);
  });

  it.each([
    ['en', 'Do you have a room from the 20th to the 22nd?', '2026-12-20', '2026-12-22'],
    ['es', 'Habitación doble del 20 al 22 de diciembre', '2026-12-20', '2026-12-22'],
    ['fr', 'Une chambre du 20 au 22 décembre', '2026-12-20', '2026-12-22'],
    ['de', 'Ein Zimmer vom 20. bis 22. Dezember', '2026-12-20', '2026-12-22'],
    ['pt', 'Um quarto de 20 a 22 de dezembro', '2026-12-20', '2026-12-22'],
    ['it', 'Una camera dal 20 al 22 dicembre', '2026-12-20', '2026-12-22'],
  ])('%s: a range of days', (_lang, text, start, end) => {
    expect(date(text)).toMatchObject({ start, end });
  });

  it.each([
    ['en', 'A room from Dec 30 to Jan 2 please'],
    ['es', 'Del 30 de diciembre al 2 de enero'],
    ['fr', 'Du 30 décembre au 2 janvier'],
    ['de', 'Vom 30. Dezember bis 2. Januar'],
    ['pt', 'De 30 de dezembro a 2 de janeiro'],
    ['it', 'Dal 30 dicembre al 2 gennaio'],
  ])('%s: a range across the year end ends next year', (_lang, text) => {
    expect(date(text)).toMatchObject({ start: '2026-12-30', end: '2027-01-02' });
  });

  it.each([
    ['en', 'We would like to come on 15 March', '2027-03-15'],
    ['es', 'Queremos venir el 15 de marzo', '2027-03-15'],
    ['fr', 'Nous voudrions venir le 15 mars', '2027-03-15'],
    ['de', 'Wir möchten am 15. März kommen', '2027-03-15'],
    ['pt', 'Queremos ir a 15 de março', '2027-03-15'],
    ['it', 'Vorremmo venire il 15 marzo', '2027-03-15'],
  ])('%s: a day-month already past this year is next year', (_lang, text, start) => {
    expect(date(text)?.start).toBe(start);
  });

  it.each([
    ['en', 'Any chance for Christmas?', '2026-12-25'],
    ['es', 'Buscamos habitación para Nochevieja', '2026-12-31'],
    ['fr', 'Une chambre pour Noël ?', '2026-12-25'],
    ['de', 'Ein Zimmer über Silvester', '2026-12-31'],
    ['pt', 'Quarto para a passagem de ano', '2026-12-31'],
    ['it', 'Una camera per Pasqua', '2027-03-28'],
  ])('%s: holidays', (_lang, text, start) => {
    expect(date(text)?.start).toBe(start);
  });

  it.each([
    ['en', 'next Friday works', '2026-12-04'],
    ['es', 'el próximo viernes', '2026-12-04'],
    ['fr', 'vendredi prochain', '2026-12-04'],
    ['de', 'nächsten Freitag', '2026-12-04'],
    ['pt', 'na sexta-feira', '2026-12-04'],
    ['it', 'venerdì pomeriggio', '2026-12-04'],
  ])('%s: a weekday is the coming one', (_lang, text, start) => {
    expect(date(text)?.start).toBe(start);
  });

  it('reads a time and a part of the day beside the date', () => {
    expect(date('tomorrow at 10:30', 'GB', 'dental')).toMatchObject({ start: '2026-12-03', time: '10:30' });
    expect(date('el martes por la tarde', 'ES', 'dental')).toMatchObject({
      start: '2026-12-08',
      partOfDay: 'afternoon',
    });
    expect(date('3 nights from 20 December')).toMatchObject({ start: '2026-12-20', end: '2026-12-23' });
  });

  it.each([
    ['en', 'I have had a toothache since yesterday'],
    ['en', "About last week's stay: the room was cold"],
    ['en', 'We stayed with you in March and loved it'],
    ['es', 'Me duele desde hace dos días'],
    ['es', 'Estuvimos en vuestro hotel en agosto'],
    ['fr', "J'ai mal depuis hier soir"],
    ['fr', 'Nous avons séjourné chez vous en juillet'],
    ['de', 'Seit gestern habe ich Schmerzen'],
    ['de', 'Wir haben im Oktober bei Ihnen übernachtet'],
    ['pt', 'Estive aí em setembro'],
    ['pt', 'Dói-me há dois dias'],
    ['it', 'Siamo stati da voi a maggio'],
    ['it', 'Ho mal di denti da due giorni fa'],
  ])('%s: a past reference is not a requested date: "%s"', (_lang, text) => {
    expect(date(text)).toBeUndefined();
  });

  it.each([
    ['es', 'Mi hija de 12 años necesita una revisión'],
    ['en', 'My 8 year old needs a check-up'],
    ['fr', 'Mon fils a 9 ans'],
    ['de', 'Meine Tochter ist 7 Jahre alt'],
    ['en', 'We want to stay for 3 nights'],
    ['it', 'Per 2 settimane'],
    ['en', 'We arrive at 22:30'],
    ['es', 'Llegamos a las 22:30 y somos 4'],
    ['en', 'The room costs 120 € and we need 2 rooms'],
    ['pt', 'Somos 3-4 pessoas'],
    ['en', 'Open 24/7?'],
    ['fr', 'Vous êtes ouverts le samedi ?'],
    ['es', '¿Abren los sábados?'],
    ['en', 'Happy new year! Do you do whitening?'],
  ])('%s: not a date: "%s"', (_lang, text) => {
    expect(date(text)).toBeUndefined();
  });

  it("resolves relative days in the tenant's time zone, not the server's", () => {
    // 23:30 UTC on 2 December is already 3 December in Madrid, still 2 December in Los Angeles.
    const late = new Date('2026-12-02T23:30:00Z');
    expect(read('tomorrow please', { now: late, timeZone: 'Europe/Madrid' }).date?.start).toBe('2026-12-04');
    expect(read('tomorrow please', { now: late, timeZone: 'America/Los_Angeles' }).date?.start).toBe('2026-12-03');
  });

  it('reads month-first numeric dates only in the US', () => {
    expect(date('arriving 12/20', 'US')?.start).toBe('2026-12-20');
    expect(date('llegamos el 20/12', 'ES')?.start).toBe('2026-12-20');
  });
});

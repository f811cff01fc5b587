import { moneyIn } from './format.js';
import type { StarterSet } from './types.js';

/** The hotel template's prices; the template's FAQ answers quote the same (breakfast $25, transfer $60, pets $30). */
export const HOTEL_PRICES = {
  standard: 160,
  deluxe: 220,
  suite: 380,
  breakfast: 25,
  lateCheckout: 40,
  parking: 20,
  pets: 30,
  transfer: 60,
} as const;

const P = HOTEL_PRICES;

const en = moneyIn('en');
const es = moneyIn('es');
const fr = moneyIn('fr');
const de = moneyIn('de');
const pt = moneyIn('pt');
const it = moneyIn('it');

export const HOTEL_STARTER: StarterSet = {
  en: {
    knowledgeBase: 'Hotel information (English)',
    title: 'Rates and guest information',
    markdown: `## Rooms and rates

### Standard room
A Standard double room costs from ${en(P.standard)} per night for two guests, with a queen bed, rain shower and free Wi-Fi.

### Deluxe room
A Deluxe room costs from ${en(P.deluxe)} per night: a king bed, a sitting area and a view over the old town. A sofa bed for a child can be added for free.

### Suite
A Suite costs from ${en(P.suite)} per night and sleeps up to four guests, with a separate living room and a balcony.

## Check-in and check-out
Check-in is from 3 pm and check-out is until 11 am. Late checkout until 2 pm costs ${en(P.lateCheckout)}, subject to availability; early check-in is free when the room is ready. Reception is open 24 hours a day.

## Breakfast
Breakfast is included with direct bookings; otherwise it costs ${en(P.breakfast)} per person. It is served from 7 am to 10:30 am on weekdays and until 11 am at weekends, with vegetarian and gluten-free options.

## Parking
On-site parking costs ${en(P.parking)} per night, with two electric-car charging points. Spaces cannot be reserved, but there is almost always room.

## Pets
Small pets (up to 10 kg) are welcome for ${en(P.pets)} per night; please tell us when you book.

## Airport transfer
A private airport transfer costs ${en(P.transfer)} each way for up to three passengers; book it at least 24 hours in advance. The airport is 25 minutes away by car.

## Location
The hotel is in the old town, a ten-minute walk from the central station and five minutes from the main shopping street.

## Payment
We accept Visa, Mastercard, American Express, Apple Pay and cash. A card is needed to guarantee the booking; you pay at the hotel, at check-in or check-out.

## Cancellation policy
Cancellation is free up to 48 hours before arrival. Later cancellations and no-shows are charged the first night. The non-refundable rate is 10% cheaper and cannot be changed or cancelled.
`,
  },
  es: {
    knowledgeBase: 'Información del hotel (español)',
    title: 'Tarifas e información para huéspedes',
    markdown: `## Habitaciones y tarifas

### Habitación estándar
Una habitación doble estándar cuesta desde ${es(P.standard)} por noche para dos personas, con cama de matrimonio, ducha de lluvia y wifi gratuito.

### Habitación deluxe
Una habitación deluxe cuesta desde ${es(P.deluxe)} por noche: cama king size, zona de estar y vistas al casco antiguo. Se puede añadir un sofá cama para un niño sin coste.

### Suite
Una suite cuesta desde ${es(P.suite)} por noche, con capacidad para cuatro personas, salón independiente y balcón.

## Entrada y salida
La entrada (check-in) es a partir de las 15:00 y la salida (check-out) hasta las 11:00. La salida tardía hasta las 14:00 cuesta ${es(P.lateCheckout)}, según disponibilidad; la entrada anticipada es gratuita si la habitación está lista. La recepción abre las 24 horas.

## Desayuno
El desayuno está incluido en las reservas directas; si no, cuesta ${es(P.breakfast)} por persona. Se sirve de 7:00 a 10:30 entre semana y hasta las 11:00 los fines de semana, con opciones vegetarianas y sin gluten.

## Aparcamiento
El aparcamiento del hotel cuesta ${es(P.parking)} por noche, con dos puntos de carga para coches eléctricos. Las plazas no se reservan, pero casi siempre hay sitio.

## Mascotas
Las mascotas pequeñas (hasta 10 kg) son bienvenidas por ${es(P.pets)} por noche; avísenos al reservar.

## Traslado al aeropuerto
Un traslado privado al aeropuerto cuesta ${es(P.transfer)} por trayecto para hasta tres pasajeros; resérvelo con al menos 24 horas de antelación. El aeropuerto está a 25 minutos en coche.

## Ubicación
El hotel está en el casco antiguo, a diez minutos a pie de la estación central y a cinco de la principal calle comercial.

## Formas de pago
Aceptamos Visa, Mastercard, American Express, Apple Pay y efectivo. Se necesita una tarjeta para garantizar la reserva; el pago se hace en el hotel, a la entrada o a la salida.

## Política de cancelación
La cancelación es gratuita hasta 48 horas antes de la llegada. Las cancelaciones posteriores y las no presentaciones se cobran con la primera noche. La tarifa no reembolsable es un 10 % más barata y no admite cambios ni cancelación.
`,
  },
  fr: {
    knowledgeBase: "Informations de l'hôtel (français)",
    title: 'Tarifs et informations pour les clients',
    markdown: `## Chambres et tarifs

### Chambre standard
Une chambre double standard coûte à partir de ${fr(P.standard)} la nuit pour deux personnes, avec un grand lit, une douche à l'italienne et le wifi gratuit.

### Chambre deluxe
Une chambre deluxe coûte à partir de ${fr(P.deluxe)} la nuit : lit king size, coin salon et vue sur la vieille ville. Un canapé-lit pour un enfant peut être ajouté gratuitement.

### Suite
Une suite coûte à partir de ${fr(P.suite)} la nuit et accueille jusqu'à quatre personnes, avec un salon séparé et un balcon.

## Arrivée et départ
L'arrivée (check-in) se fait à partir de 15 h et le départ (check-out) jusqu'à 11 h. Un départ tardif jusqu'à 14 h coûte ${fr(P.lateCheckout)}, selon disponibilité ; une arrivée anticipée est gratuite si la chambre est prête. La réception est ouverte 24 h/24.

## Petit-déjeuner
Le petit-déjeuner est inclus pour les réservations directes ; sinon, il coûte ${fr(P.breakfast)} par personne. Il est servi de 7 h à 10 h 30 en semaine et jusqu'à 11 h le week-end, avec des options végétariennes et sans gluten.

## Parking
Le parking de l'hôtel coûte ${fr(P.parking)} la nuit, avec deux bornes de recharge pour voitures électriques. Les places ne se réservent pas, mais il y en a presque toujours.

## Animaux
Les petits animaux (jusqu'à 10 kg) sont les bienvenus pour ${fr(P.pets)} la nuit ; merci de nous prévenir lors de la réservation.

## Transfert aéroport
Un transfert privé vers l'aéroport coûte ${fr(P.transfer)} par trajet pour trois passagers au plus ; réservez-le au moins 24 heures à l'avance. L'aéroport est à 25 minutes en voiture.

## Situation
L'hôtel se trouve dans la vieille ville, à dix minutes à pied de la gare centrale et à cinq minutes de la principale rue commerçante.

## Paiement
Nous acceptons Visa, Mastercard, American Express, Apple Pay et les espèces. Une carte est demandée pour garantir la réservation ; le paiement se fait à l'hôtel, à l'arrivée ou au départ.

## Conditions d'annulation
L'annulation est gratuite jusqu'à 48 heures avant l'arrivée. Une annulation plus tardive ou une non-présentation est facturée la première nuit. Le tarif non remboursable est 10 % moins cher et ne peut être ni modifié ni annulé.
`,
  },
  de: {
    knowledgeBase: 'Hotelinformationen (Deutsch)',
    title: 'Preise und Gästeinformationen',
    markdown: `## Zimmer und Preise

### Standardzimmer
Ein Standard-Doppelzimmer kostet ab ${de(P.standard)} pro Nacht für zwei Personen, mit Queensize-Bett, Regendusche und kostenlosem WLAN.

### Deluxe-Zimmer
Ein Deluxe-Zimmer kostet ab ${de(P.deluxe)} pro Nacht: Kingsize-Bett, Sitzecke und Blick auf die Altstadt. Ein Schlafsofa für ein Kind stellen wir kostenlos dazu.

### Suite
Eine Suite kostet ab ${de(P.suite)} pro Nacht, bietet Platz für bis zu vier Personen und hat ein separates Wohnzimmer und einen Balkon.

## Check-in und Check-out
Der Check-in ist ab 15 Uhr möglich, der Check-out bis 11 Uhr. Ein später Check-out bis 14 Uhr kostet ${de(P.lateCheckout)}, je nach Verfügbarkeit; ein früher Check-in ist kostenlos, wenn das Zimmer fertig ist. Die Rezeption ist rund um die Uhr besetzt.

## Frühstück
Bei Direktbuchung ist das Frühstück inklusive, sonst kostet es ${de(P.breakfast)} pro Person. Es wird werktags von 7 bis 10:30 Uhr und am Wochenende bis 11 Uhr serviert, auch vegetarisch und glutenfrei.

## Parken
Der Hotelparkplatz kostet ${de(P.parking)} pro Nacht und hat zwei Ladestationen für Elektroautos. Plätze können nicht reserviert werden, aber es ist fast immer etwas frei.

## Haustiere
Kleine Haustiere (bis 10 kg) sind für ${de(P.pets)} pro Nacht willkommen; bitte sagen Sie uns bei der Buchung Bescheid.

## Flughafentransfer
Ein privater Flughafentransfer kostet ${de(P.transfer)} pro Strecke für bis zu drei Personen; bitte mindestens 24 Stunden vorher buchen. Der Flughafen ist 25 Autominuten entfernt.

## Lage
Das Hotel liegt in der Altstadt, zehn Gehminuten vom Hauptbahnhof und fünf Minuten von der Haupteinkaufsstraße entfernt.

## Bezahlung
Wir akzeptieren Visa, Mastercard, American Express, Apple Pay und Bargeld. Zur Garantie der Buchung brauchen wir eine Kreditkarte; bezahlt wird im Hotel, beim Check-in oder Check-out.

## Stornierungsbedingungen
Bis 48 Stunden vor Anreise ist die Stornierung kostenlos. Bei späterer Stornierung oder Nichtanreise berechnen wir die erste Nacht. Der nicht erstattbare Tarif ist 10 % günstiger und kann weder geändert noch storniert werden.
`,
  },
  pt: {
    knowledgeBase: 'Informações do hotel (português)',
    title: 'Tarifas e informações para hóspedes',
    markdown: `## Quartos e tarifas

### Quarto standard
Um quarto duplo standard custa a partir de ${pt(P.standard)} por noite para duas pessoas, com cama queen, chuveiro de teto e Wi-Fi grátis.

### Quarto deluxe
Um quarto deluxe custa a partir de ${pt(P.deluxe)} por noite: cama king, área de estar e vista para o centro histórico. Um sofá-cama para uma criança pode ser adicionado sem custo.

### Suíte
Uma suíte custa a partir de ${pt(P.suite)} por noite e acomoda até quatro pessoas, com sala de estar separada e varanda.

## Check-in e check-out
O check-in é a partir das 15h e o check-out até às 11h. O check-out tardio até às 14h custa ${pt(P.lateCheckout)}, sujeito a disponibilidade; o check-in antecipado é gratuito quando o quarto está pronto. A recepção funciona 24 horas.

## Café da manhã
O café da manhã está incluído nas reservas diretas; caso contrário, custa ${pt(P.breakfast)} por pessoa. É servido das 7h às 10h30 nos dias úteis e até às 11h nos fins de semana, com opções vegetarianas e sem glúten.

## Estacionamento
O estacionamento do hotel custa ${pt(P.parking)} por noite, com dois pontos de recarga para carros elétricos. As vagas não são reservadas, mas quase sempre há lugar.

## Animais de estimação
Animais de estimação pequenos (até 10 kg) são bem-vindos por ${pt(P.pets)} por noite; avise-nos ao fazer a reserva.

## Transfer do aeroporto
Um transfer privado para o aeroporto custa ${pt(P.transfer)} por trajeto para até três passageiros; reserve com pelo menos 24 horas de antecedência. O aeroporto fica a 25 minutos de carro.

## Localização
O hotel fica no centro histórico, a dez minutos a pé da estação central e a cinco minutos da principal rua de comércio.

## Pagamento
Aceitamos Visa, Mastercard, American Express, Apple Pay e dinheiro. É preciso um cartão para garantir a reserva; o pagamento é feito no hotel, no check-in ou no check-out.

## Política de cancelamento
O cancelamento é gratuito até 48 horas antes da chegada. Cancelamentos posteriores e não comparecimento são cobrados pela primeira noite. A tarifa não reembolsável é 10% mais barata e não permite alterações nem cancelamento.
`,
  },
  it: {
    knowledgeBase: "Informazioni sull'hotel (italiano)",
    title: 'Tariffe e informazioni per gli ospiti',
    markdown: `## Camere e tariffe

### Camera standard
Una camera doppia standard costa da ${it(P.standard)} a notte per due persone, con letto queen, doccia a pioggia e Wi-Fi gratuito.

### Camera deluxe
Una camera deluxe costa da ${it(P.deluxe)} a notte: letto king, angolo salotto e vista sul centro storico. Un divano letto per un bambino si aggiunge gratis.

### Suite
Una suite costa da ${it(P.suite)} a notte e ospita fino a quattro persone, con soggiorno separato e balcone.

## Check-in e check-out
Il check-in è dalle 15:00 e il check-out entro le 11:00. Il check-out posticipato fino alle 14:00 costa ${it(P.lateCheckout)}, secondo disponibilità; il check-in anticipato è gratuito se la camera è pronta. La reception è aperta 24 ore su 24.

## Colazione
La colazione è inclusa nelle prenotazioni dirette; altrimenti costa ${it(P.breakfast)} a persona. Si serve dalle 7:00 alle 10:30 nei giorni feriali e fino alle 11:00 nel fine settimana, con opzioni vegetariane e senza glutine.

## Parcheggio
Il parcheggio dell'hotel costa ${it(P.parking)} a notte, con due colonnine di ricarica per auto elettriche. I posti non si prenotano, ma c'è quasi sempre posto.

## Animali
Gli animali di piccola taglia (fino a 10 kg) sono benvenuti per ${it(P.pets)} a notte; avvisateci al momento della prenotazione.

## Transfer aeroporto
Un transfer privato per l'aeroporto costa ${it(P.transfer)} a tratta per un massimo di tre passeggeri; prenotatelo almeno 24 ore prima. L'aeroporto è a 25 minuti in auto.

## Posizione
L'hotel si trova nel centro storico, a dieci minuti a piedi dalla stazione centrale e a cinque dalla via principale dei negozi.

## Pagamenti
Accettiamo Visa, Mastercard, American Express, Apple Pay e contanti. Serve una carta a garanzia della prenotazione; si paga in hotel, al check-in o al check-out.

## Politica di cancellazione
La cancellazione è gratuita fino a 48 ore prima dell'arrivo. Le cancellazioni successive e le mancate presentazioni comportano l'addebito della prima notte. La tariffa non rimborsabile costa il 10% in meno e non si può modificare né cancellare.
`,
  },
};

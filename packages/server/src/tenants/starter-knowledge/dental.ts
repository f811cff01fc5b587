import { moneyIn } from './format.js';
import type { StarterSet } from './types.js';

/**
 * The dental template's prices, in one place so that every language, the
 * template's FAQ answers (whitening from $350, kits from $180) and the demo
 * history quote the same figures.
 */
export const DENTAL_PRICES = {
  checkupAndCleaning: 120,
  cleaningOnly: 95,
  cleaningChild: 70,
  xray: 45,
  whiteningInOffice: 350,
  whiteningKit: 180,
  implant: 2400,
  invisalign: 3900,
  invisalignMonthly: 150,
  emergencyVisit: 95,
  lateCancellationFee: 50,
  financingFrom: 1000,
} as const;

const P = DENTAL_PRICES;

const en = moneyIn('en');
const es = moneyIn('es');
const fr = moneyIn('fr');
const de = moneyIn('de');
const pt = moneyIn('pt');
const it = moneyIn('it');

export const DENTAL_STARTER: StarterSet = {
  en: {
    knowledgeBase: 'Practice information (English)',
    title: 'Prices and practical information',
    markdown: `## Prices

### Check-up and cleaning
A check-up with a professional cleaning costs ${en(P.checkupAndCleaning)} and takes about 45 minutes: the dentist examines your teeth and gums, and the hygienist removes plaque and tartar and polishes your teeth. A cleaning on its own (scale and polish) costs ${en(P.cleaningOnly)}, or ${en(P.cleaningChild)} for children under 12. Dental X-rays, when needed, cost ${en(P.xray)}.

### Teeth whitening
In-office teeth whitening starts at ${en(P.whiteningInOffice)} for one visit of about 90 minutes. Take-home whitening kits with custom-made trays start at ${en(P.whiteningKit)}.

### Dental implants
A dental implant costs from ${en(P.implant)}, crown included. The first implant consultation, with a 3D scan, is free.

### Invisalign
Invisalign treatment costs from ${en(P.invisalign)}, depending on how many aligners you need. The first consultation is free, and monthly payment plans start at ${en(P.invisalignMonthly)} a month.

### Emergency care
An emergency visit costs ${en(P.emergencyVisit)}, including the examination and an X-ray; any treatment is quoted before we start. We keep same-day appointments for patients in pain.

## Opening hours
We are open Monday to Friday from 9 am to 6 pm, and closed on Saturdays, Sundays and public holidays. For a dental emergency out of hours, leave us a message and we will call you back first thing the next morning.

## Location and parking
The clinic is downtown at 120 Main Street, on the second floor with lift access. Free patient parking is available behind the building, and the nearest bus stop is a two-minute walk away.

## Payment and insurance
We accept most major dental insurance plans, including Delta Dental, Cigna, MetLife and Aetna, and we check your coverage before your visit. You can pay by credit or debit card, Apple Pay, Google Pay or cash. Treatments over ${en(P.financingFrom)} can be paid in monthly instalments over 12 months, interest-free.

## Cancellation policy
You can cancel or reschedule free of charge up to 24 hours before your appointment. A cancellation with less than 24 hours' notice, or a missed appointment, is charged a ${en(P.lateCancellationFee)} fee. To cancel, reply to your confirmation message or write to us here.

## New patients
New patients are always welcome, children included. Please arrive 10 minutes early for your first visit and bring a photo ID, your insurance card and a list of any medicines you take.
`,
  },
  es: {
    knowledgeBase: 'Información de la clínica (español)',
    title: 'Precios e información práctica',
    markdown: `## Precios

### Revisión y limpieza dental
Una revisión con limpieza dental profesional cuesta ${es(P.checkupAndCleaning)} y dura unos 45 minutos: el dentista examina sus dientes y encías, y la higienista retira la placa y el sarro y pule los dientes. Una limpieza sola (tartrectomía y pulido) cuesta ${es(P.cleaningOnly)}, o ${es(P.cleaningChild)} para niños menores de 12 años. Las radiografías, si hacen falta, cuestan ${es(P.xray)}.

### Blanqueamiento dental
El blanqueamiento dental en la clínica cuesta desde ${es(P.whiteningInOffice)}, en una sola visita de unos 90 minutos. Los kits de blanqueamiento para casa con férulas a medida cuestan desde ${es(P.whiteningKit)}.

### Implantes dentales
Un implante dental cuesta desde ${es(P.implant)}, corona incluida. La primera consulta de implantes, con escáner 3D, es gratuita.

### Invisalign
El tratamiento con Invisalign cuesta desde ${es(P.invisalign)}, según el número de alineadores que necesite. La primera consulta es gratuita y hay planes de pago mensuales desde ${es(P.invisalignMonthly)} al mes.

### Urgencias dentales
Una visita de urgencia cuesta ${es(P.emergencyVisit)}, con la exploración y una radiografía incluidas; cualquier tratamiento se presupuesta antes de empezar. Reservamos citas el mismo día para pacientes con dolor.

## Horario
Abrimos de lunes a viernes de 9:00 a 18:00; sábados, domingos y festivos cerrado. Para una urgencia dental fuera de horario, déjenos un mensaje y le llamaremos a primera hora de la mañana siguiente.

## Dirección y aparcamiento
La clínica está en el centro, en 120 Main Street, segunda planta con ascensor. Hay aparcamiento gratuito para pacientes detrás del edificio, y la parada de autobús más cercana está a dos minutos a pie.

## Formas de pago y seguros
Aceptamos la mayoría de los seguros dentales, como Delta Dental, Cigna, MetLife y Aetna, y comprobamos su cobertura antes de la visita. Puede pagar con tarjeta de crédito o débito, Apple Pay, Google Pay o en efectivo. Los tratamientos de más de ${es(P.financingFrom)} se pueden pagar en 12 cuotas mensuales sin intereses.

## Política de cancelación
Puede cancelar o cambiar su cita sin coste hasta 24 horas antes. Una cancelación con menos de 24 horas de antelación, o una cita a la que no se acude, tiene un cargo de ${es(P.lateCancellationFee)}. Para cancelar, responda al mensaje de confirmación o escríbanos por aquí.

## Pacientes nuevos
Los pacientes nuevos, también los niños, son siempre bienvenidos. Para la primera visita, llegue 10 minutos antes y traiga un documento de identidad, la tarjeta de su seguro y la lista de los medicamentos que toma.
`,
  },
  fr: {
    knowledgeBase: 'Informations du cabinet (français)',
    title: 'Tarifs et informations pratiques',
    markdown: `## Tarifs

### Bilan et nettoyage dentaire
Un bilan avec un nettoyage dentaire professionnel (détartrage et polissage) coûte ${fr(P.checkupAndCleaning)} et dure environ 45 minutes : le dentiste examine vos dents et vos gencives, puis l'hygiéniste retire la plaque et le tartre. Un nettoyage seul (détartrage) coûte ${fr(P.cleaningOnly)}, ou ${fr(P.cleaningChild)} pour les enfants de moins de 12 ans. Les radiographies, si nécessaire, coûtent ${fr(P.xray)}.

### Blanchiment des dents
Le blanchiment des dents au cabinet coûte à partir de ${fr(P.whiteningInOffice)}, en une séance d'environ 90 minutes. Les kits de blanchiment à domicile avec gouttières sur mesure coûtent à partir de ${fr(P.whiteningKit)}.

### Implants dentaires
Un implant dentaire coûte à partir de ${fr(P.implant)}, couronne comprise. La première consultation d'implantologie, avec un scanner 3D, est gratuite.

### Invisalign
Un traitement Invisalign coûte à partir de ${fr(P.invisalign)}, selon le nombre d'aligneurs nécessaires. La première consultation est gratuite et un paiement mensuel est possible à partir de ${fr(P.invisalignMonthly)} par mois.

### Urgences dentaires
Une consultation d'urgence coûte ${fr(P.emergencyVisit)}, examen et radiographie compris ; tout soin fait l'objet d'un devis avant de commencer. Nous gardons des rendez-vous le jour même pour les patients qui ont mal.

## Horaires d'ouverture
Le cabinet est ouvert du lundi au vendredi de 9 h à 18 h, et fermé le samedi, le dimanche et les jours fériés. Pour une urgence dentaire en dehors des horaires, laissez-nous un message : nous vous rappelons le lendemain à la première heure.

## Adresse et stationnement
Le cabinet se trouve en centre-ville, au 120 Main Street, au deuxième étage avec ascenseur. Un parking gratuit pour les patients se trouve derrière le bâtiment, et l'arrêt de bus le plus proche est à deux minutes à pied.

## Paiement et assurances
Nous acceptons la plupart des assurances dentaires, dont Delta Dental, Cigna, MetLife et Aetna, et nous vérifions votre couverture avant la visite. Vous pouvez payer par carte bancaire, Apple Pay, Google Pay ou en espèces. Les soins de plus de ${fr(P.financingFrom)} peuvent être réglés en 12 mensualités sans frais.

## Conditions d'annulation
Vous pouvez annuler ou déplacer votre rendez-vous sans frais jusqu'à 24 heures avant. Une annulation moins de 24 heures avant, ou un rendez-vous manqué, est facturé ${fr(P.lateCancellationFee)}. Pour annuler, répondez au message de confirmation ou écrivez-nous ici.

## Nouveaux patients
Les nouveaux patients, enfants compris, sont toujours les bienvenus. Pour la première visite, arrivez 10 minutes en avance avec une pièce d'identité, votre carte d'assurance et la liste de vos médicaments.
`,
  },
  de: {
    knowledgeBase: 'Praxisinformationen (Deutsch)',
    title: 'Preise und praktische Informationen',
    markdown: `## Preise

### Kontrolle und professionelle Zahnreinigung
Eine Kontrolluntersuchung mit professioneller Zahnreinigung kostet ${de(P.checkupAndCleaning)} und dauert etwa 45 Minuten: Die Zahnärztin untersucht Zähne und Zahnfleisch, die Dentalhygienikerin entfernt Beläge und Zahnstein und poliert die Zähne. Eine Zahnreinigung allein (Reinigung und Politur) kostet ${de(P.cleaningOnly)}, für Kinder unter 12 Jahren ${de(P.cleaningChild)}. Röntgenaufnahmen kosten, wenn nötig, ${de(P.xray)}.

### Zahnaufhellung (Bleaching)
Das Bleaching in der Praxis kostet ab ${de(P.whiteningInOffice)} für eine Sitzung von etwa 90 Minuten. Bleaching-Sets für zu Hause mit individuell angefertigten Schienen kosten ab ${de(P.whiteningKit)}.

### Zahnimplantate
Ein Zahnimplantat kostet ab ${de(P.implant)}, inklusive Krone. Die erste Implantatberatung mit 3D-Scan ist kostenlos.

### Invisalign
Eine Invisalign-Behandlung kostet ab ${de(P.invisalign)}, je nachdem, wie viele Aligner Sie brauchen. Die Erstberatung ist kostenlos, und Ratenzahlung ist ab ${de(P.invisalignMonthly)} im Monat möglich.

### Zahnärztlicher Notfall
Ein Notfalltermin kostet ${de(P.emergencyVisit)}, inklusive Untersuchung und Röntgenbild; jede Behandlung erhalten Sie vorher als Kostenvoranschlag. Für Patienten mit Schmerzen halten wir Termine am selben Tag frei.

## Öffnungszeiten
Wir haben Montag bis Freitag von 9 bis 18 Uhr geöffnet; samstags, sonntags und an Feiertagen ist die Praxis geschlossen. Bei einem zahnärztlichen Notfall außerhalb der Öffnungszeiten hinterlassen Sie uns eine Nachricht, und wir rufen Sie am nächsten Morgen als Erstes zurück.

## Adresse und Parken
Die Praxis liegt im Zentrum, 120 Main Street, im zweiten Stock mit Aufzug. Hinter dem Gebäude gibt es kostenlose Parkplätze für Patienten, die nächste Bushaltestelle ist zwei Gehminuten entfernt.

## Bezahlung und Versicherung
Wir akzeptieren die meisten Zahnversicherungen, darunter Delta Dental, Cigna, MetLife und Aetna, und prüfen Ihre Kostenübernahme vor dem Termin. Sie können mit Kredit- oder Debitkarte, Apple Pay, Google Pay oder bar bezahlen. Behandlungen über ${de(P.financingFrom)} können Sie zinsfrei in 12 Monatsraten zahlen.

## Stornierungsbedingungen
Sie können Ihren Termin bis 24 Stunden vorher kostenlos absagen oder verschieben. Bei einer Absage weniger als 24 Stunden vorher oder einem nicht wahrgenommenen Termin berechnen wir eine Gebühr von ${de(P.lateCancellationFee)}. Zum Absagen antworten Sie auf die Terminbestätigung oder schreiben Sie uns hier.

## Neue Patienten
Neue Patienten, auch Kinder, sind jederzeit willkommen. Bitte kommen Sie zum ersten Termin 10 Minuten früher und bringen Sie einen Ausweis, Ihre Versicherungskarte und eine Liste Ihrer Medikamente mit.
`,
  },
  pt: {
    knowledgeBase: 'Informações da clínica (português)',
    title: 'Preços e informações práticas',
    markdown: `## Preços

### Consulta e limpeza dentária
Uma consulta de revisão com limpeza dentária profissional custa ${pt(P.checkupAndCleaning)} e dura cerca de 45 minutos: o dentista examina os dentes e as gengivas, e a higienista remove a placa e o tártaro e faz o polimento. Só a limpeza (destartarização e polimento) custa ${pt(P.cleaningOnly)}, ou ${pt(P.cleaningChild)} para crianças com menos de 12 anos. As radiografias, quando necessárias, custam ${pt(P.xray)}.

### Clareamento dental
O clareamento dental no consultório custa a partir de ${pt(P.whiteningInOffice)}, numa sessão de cerca de 90 minutos. Os kits de clareamento caseiro com moldeiras feitas sob medida custam a partir de ${pt(P.whiteningKit)}.

### Implantes dentários
Um implante dentário custa a partir de ${pt(P.implant)}, com a coroa incluída. A primeira consulta de implantes, com tomografia 3D, é gratuita.

### Invisalign
O tratamento com Invisalign custa a partir de ${pt(P.invisalign)}, conforme o número de alinhadores necessários. A primeira consulta é gratuita e há planos de pagamento mensal a partir de ${pt(P.invisalignMonthly)} por mês.

### Urgências dentárias
Uma consulta de urgência custa ${pt(P.emergencyVisit)}, com o exame e uma radiografia incluídos; qualquer tratamento é orçado antes de começar. Reservamos horários no mesmo dia para pacientes com dor.

## Horário de funcionamento
Estamos abertos de segunda a sexta, das 9h às 18h, e fechados aos sábados, domingos e feriados. Para uma urgência dentária fora do horário, deixe-nos uma mensagem e ligamos de volta logo no início da manhã seguinte.

## Endereço e estacionamento
A clínica fica no centro, na 120 Main Street, no segundo andar com elevador. Há estacionamento gratuito para pacientes atrás do prédio, e o ponto de ônibus mais próximo fica a dois minutos a pé.

## Pagamento e convênios
Aceitamos a maioria dos seguros e convênios odontológicos, como Delta Dental, Cigna, MetLife e Aetna, e verificamos a sua cobertura antes da consulta. Pode pagar com cartão de crédito ou débito, Apple Pay, Google Pay ou em dinheiro. Tratamentos acima de ${pt(P.financingFrom)} podem ser pagos em 12 parcelas mensais sem juros.

## Política de cancelamento
Pode cancelar ou remarcar sem custo até 24 horas antes da consulta. Um cancelamento com menos de 24 horas de antecedência, ou uma falta, tem uma taxa de ${pt(P.lateCancellationFee)}. Para cancelar, responda à mensagem de confirmação ou escreva-nos aqui.

## Novos pacientes
Novos pacientes, crianças incluídas, são sempre bem-vindos. Na primeira consulta, chegue 10 minutos antes e traga um documento com foto, o cartão do seu seguro e a lista dos medicamentos que toma.
`,
  },
  it: {
    knowledgeBase: 'Informazioni sullo studio (italiano)',
    title: 'Prezzi e informazioni pratiche',
    markdown: `## Prezzi

### Visita e pulizia dei denti
Una visita di controllo con pulizia dei denti professionale (igiene orale) costa ${it(P.checkupAndCleaning)} e dura circa 45 minuti: il dentista controlla denti e gengive, e l'igienista rimuove placca e tartaro e lucida i denti. La sola pulizia dei denti (ablazione del tartaro e lucidatura) costa ${it(P.cleaningOnly)}, oppure ${it(P.cleaningChild)} per i bambini sotto i 12 anni. Le radiografie, se servono, costano ${it(P.xray)}.

### Sbiancamento dei denti
Lo sbiancamento dei denti in studio costa da ${it(P.whiteningInOffice)}, in una seduta di circa 90 minuti. I kit di sbiancamento domiciliare con mascherine su misura costano da ${it(P.whiteningKit)}.

### Impianti dentali
Un impianto dentale costa da ${it(P.implant)}, corona inclusa. La prima visita implantologica, con scansione 3D, è gratuita.

### Invisalign
Il trattamento Invisalign costa da ${it(P.invisalign)}, a seconda di quanti allineatori servono. La prima visita è gratuita e si può pagare a rate mensili da ${it(P.invisalignMonthly)} al mese.

### Urgenze dentali
Una visita urgente costa ${it(P.emergencyVisit)}, visita e radiografia comprese; ogni cura viene preventivata prima di iniziare. Teniamo liberi appuntamenti in giornata per chi ha dolore.

## Orari di apertura
Siamo aperti dal lunedì al venerdì dalle 9 alle 18; chiusi il sabato, la domenica e i giorni festivi. Per un'urgenza dentale fuori orario, lasciateci un messaggio e vi richiameremo la mattina seguente per primi.

## Indirizzo e parcheggio
Lo studio è in centro, al 120 Main Street, al secondo piano con ascensore. Dietro l'edificio c'è un parcheggio gratuito per i pazienti, e la fermata dell'autobus più vicina è a due minuti a piedi.

## Pagamenti e assicurazioni
Accettiamo la maggior parte delle assicurazioni dentali, tra cui Delta Dental, Cigna, MetLife e Aetna, e verifichiamo la copertura prima della visita. Si può pagare con carta di credito o bancomat, Apple Pay, Google Pay o in contanti. Le cure oltre ${it(P.financingFrom)} si possono pagare in 12 rate mensili senza interessi.

## Politica di cancellazione
Potete disdire o spostare l'appuntamento senza costi fino a 24 ore prima. Una disdetta con meno di 24 ore di preavviso, o un appuntamento mancato, comporta un addebito di ${it(P.lateCancellationFee)}. Per disdire, rispondete al messaggio di conferma o scriveteci qui.

## Nuovi pazienti
I nuovi pazienti, anche bambini, sono sempre benvenuti. Per la prima visita arrivate 10 minuti prima e portate un documento d'identità, la tessera dell'assicurazione e l'elenco dei farmaci che prendete.
`,
  },
};

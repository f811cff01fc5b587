import type { StarterSet } from './types.js';

/**
 * The real estate template's terms; the template's FAQ answers quote the same
 * (free 45-minute valuation, 1.5% plus VAT selling fee, Saturday viewings 10 to 4).
 * Fees are percentages, so the documents work in any currency.
 */
export const REAL_ESTATE_TERMS = {
  sellingFeePercent: 1.5,
  tenantFindPercent: 8,
  fullManagementPercent: 12,
  valuationMinutes: 45,
} as const;

export const REAL_ESTATE_STARTER: StarterSet = {
  en: {
    knowledgeBase: 'Agency information (English)',
    title: 'Fees, viewings and documents',
    markdown: `## Fees

### Selling fees
Our selling fee is 1.5% of the sale price plus VAT, on a no sale, no fee basis. It includes professional photos, a floor plan, listings on the main property portals and accompanied viewings.

### Letting fees
For landlords, finding a tenant costs 8% of the annual rent plus VAT, and full management costs 12% of the rent plus VAT.

### Fees for buyers and tenants
Buyers pay us no fee. Tenants pay a holding deposit of one week's rent, deducted from the first month's rent, and a security deposit of five weeks' rent, protected in a government-approved scheme.

## Property valuation
Our market valuations are free and take about 45 minutes at the property. You receive a written valuation with comparable recent sales within 48 hours.

## Viewings
We run viewings Monday to Friday from 9 am to 6 pm and on Saturdays from 10 am to 4 pm. Please book at least 24 hours ahead; video viewings are available for buyers who live further away.

## Documents you need

### Documents for buying
To make an offer, please have a photo ID, a proof of address, a mortgage agreement in principle or proof of funds, and your solicitor's details.

### Documents for renting
To rent, we need a photo ID, proof of income (your last three payslips, or accounts if you are self-employed), a reference from your previous landlord and proof of your right to rent.

### Documents for selling
To sell, we need a photo ID, proof of ownership and an Energy Performance Certificate, which we can arrange for you.

## Office hours and location
Our office is at 42 High Street, opposite the town hall, and is open Monday to Friday from 9 am to 6 pm and on Saturdays from 10 am to 4 pm.

## Payment
Selling fees are paid on completion, out of the sale proceeds. Rent and deposits are paid by bank transfer; we do not accept cash.

## Cancellation policy
You can cancel or move a viewing free of charge at any time; please tell us at least 2 hours before. A sole agency agreement can be ended with 14 days' notice and no exit fee.
`,
  },
  es: {
    knowledgeBase: 'Información de la agencia (español)',
    title: 'Honorarios, visitas y documentación',
    markdown: `## Honorarios

### Honorarios de venta
Nuestros honorarios de venta son el 1,5 % del precio de venta más IVA, y solo se cobran si se vende. Incluyen fotos profesionales, plano, publicación en los principales portales inmobiliarios y visitas acompañadas.

### Honorarios de alquiler
Para propietarios, encontrar inquilino cuesta el 8 % de la renta anual más IVA, y la gestión integral el 12 % de la renta más IVA.

### Honorarios para compradores e inquilinos
Los compradores no nos pagan honorarios. Los inquilinos pagan una señal de reserva de una semana de renta, que se descuenta del primer mes, y una fianza de cinco semanas de renta, depositada en un organismo oficial.

## Tasación de la vivienda
Nuestras tasaciones de mercado son gratuitas y duran unos 45 minutos en la vivienda. En 48 horas recibe una tasación por escrito con ventas recientes comparables.

## Visitas
Hacemos visitas de lunes a viernes de 9:00 a 18:00 y los sábados de 10:00 a 16:00. Reserve con al menos 24 horas de antelación; para compradores que viven lejos hay visitas por videollamada.

## Documentación necesaria

### Documentación para comprar
Para hacer una oferta, tenga a mano un documento de identidad, un justificante de domicilio, una preaprobación de hipoteca o un justificante de fondos, y los datos de su abogado o notaría.

### Documentación para alquilar
Para alquilar necesitamos un documento de identidad, justificantes de ingresos (las tres últimas nóminas, o la declaración de la renta si es autónomo), una referencia del casero anterior y un justificante de residencia legal.

### Documentación para vender
Para vender necesitamos un documento de identidad, la nota simple o escritura que acredite la propiedad y el certificado de eficiencia energética, que podemos tramitar nosotros.

## Horario y dirección de la oficina
Nuestra oficina está en 42 High Street, frente al ayuntamiento, y abre de lunes a viernes de 9:00 a 18:00 y los sábados de 10:00 a 16:00.

## Formas de pago
Los honorarios de venta se pagan en la firma, con el importe de la venta. Las rentas y fianzas se pagan por transferencia bancaria; no aceptamos efectivo.

## Política de cancelación
Puede cancelar o cambiar una visita sin coste en cualquier momento; avísenos al menos 2 horas antes. El contrato de exclusiva se puede rescindir con 14 días de preaviso y sin penalización.
`,
  },
  fr: {
    knowledgeBase: "Informations de l'agence (français)",
    title: 'Honoraires, visites et documents',
    markdown: `## Honoraires

### Honoraires de vente
Nos honoraires de vente sont de 1,5 % du prix de vente plus TVA, uniquement en cas de vente. Ils comprennent les photos professionnelles, un plan, la diffusion sur les principaux portails immobiliers et les visites accompagnées.

### Honoraires de location
Pour les propriétaires, la recherche d'un locataire coûte 8 % du loyer annuel plus TVA, et la gestion locative complète 12 % du loyer plus TVA.

### Frais pour les acheteurs et les locataires
Les acheteurs ne nous paient aucun honoraire. Les locataires versent un dépôt de réservation d'une semaine de loyer, déduit du premier loyer, et un dépôt de garantie de cinq semaines de loyer.

## Estimation du bien
Nos estimations sont gratuites et durent environ 45 minutes sur place. Vous recevez sous 48 heures une estimation écrite avec des ventes récentes comparables.

## Visites
Nous organisons des visites du lundi au vendredi de 9 h à 18 h et le samedi de 10 h à 16 h. Réservez au moins 24 heures à l'avance ; des visites en vidéo sont possibles pour les acheteurs qui habitent loin.

## Documents à fournir

### Documents pour acheter
Pour faire une offre, préparez une pièce d'identité, un justificatif de domicile, un accord de principe de prêt ou une preuve de fonds, et les coordonnées de votre notaire.

### Documents pour louer
Pour louer, il nous faut une pièce d'identité, des justificatifs de revenus (vos trois derniers bulletins de salaire, ou votre bilan si vous êtes indépendant), une référence de votre ancien propriétaire et un justificatif de droit au séjour.

### Documents pour vendre
Pour vendre, il nous faut une pièce d'identité, un titre de propriété et le diagnostic de performance énergétique (DPE), que nous pouvons faire réaliser pour vous.

## Horaires et adresse de l'agence
L'agence est au 42 High Street, en face de la mairie, ouverte du lundi au vendredi de 9 h à 18 h et le samedi de 10 h à 16 h.

## Paiement
Les honoraires de vente se paient à la signature de l'acte, sur le prix de vente. Loyers et dépôts se paient par virement bancaire ; nous n'acceptons pas les espèces.

## Conditions d'annulation
Vous pouvez annuler ou déplacer une visite sans frais à tout moment ; prévenez-nous au moins 2 heures avant. Un mandat exclusif peut être résilié avec un préavis de 14 jours, sans pénalité.
`,
  },
  de: {
    knowledgeBase: 'Maklerinformationen (Deutsch)',
    title: 'Provision, Besichtigungen und Unterlagen',
    markdown: `## Provision und Gebühren

### Provision beim Verkauf
Unsere Verkaufsprovision beträgt 1,5 % des Kaufpreises zuzüglich Mehrwertsteuer und fällt nur bei erfolgreichem Verkauf an. Sie umfasst professionelle Fotos, einen Grundriss, Inserate auf den großen Immobilienportalen und begleitete Besichtigungen.

### Gebühren bei der Vermietung
Für Vermieter kostet die Mietersuche 8 % der Jahresmiete zuzüglich Mehrwertsteuer, die komplette Hausverwaltung 12 % der Miete zuzüglich Mehrwertsteuer.

### Kosten für Käufer und Mieter
Käufer zahlen uns keine Provision. Mieter zahlen eine Reservierungsgebühr von einer Wochenmiete, die mit der ersten Monatsmiete verrechnet wird, und eine Kaution von fünf Wochenmieten.

## Immobilienbewertung
Unsere Marktwertermittlung ist kostenlos und dauert vor Ort etwa 45 Minuten. Innerhalb von 48 Stunden erhalten Sie eine schriftliche Bewertung mit vergleichbaren Verkäufen.

## Besichtigungen
Besichtigungen bieten wir Montag bis Freitag von 9 bis 18 Uhr und samstags von 10 bis 16 Uhr an. Bitte buchen Sie mindestens 24 Stunden vorher; für Käufer von weiter weg gibt es Videobesichtigungen.

## Benötigte Unterlagen

### Unterlagen für den Kauf
Für ein Kaufangebot brauchen Sie einen Lichtbildausweis, einen Adressnachweis, eine Finanzierungsbestätigung der Bank oder einen Eigenkapitalnachweis und die Kontaktdaten Ihres Notars.

### Unterlagen für die Miete
Zum Mieten brauchen wir einen Lichtbildausweis, einen Einkommensnachweis (die letzten drei Gehaltsabrechnungen oder bei Selbstständigen den Steuerbescheid), eine Mietschuldenfreiheitsbescheinigung des Vorvermieters und gegebenenfalls einen Aufenthaltstitel.

### Unterlagen für den Verkauf
Für den Verkauf brauchen wir einen Lichtbildausweis, einen Grundbuchauszug als Eigentumsnachweis und den Energieausweis, den wir auch für Sie beauftragen können.

## Öffnungszeiten und Adresse
Unser Büro liegt in der 42 High Street gegenüber dem Rathaus und ist Montag bis Freitag von 9 bis 18 Uhr und samstags von 10 bis 16 Uhr geöffnet.

## Bezahlung
Die Verkaufsprovision wird beim Abschluss aus dem Kaufpreis bezahlt. Miete und Kaution werden per Überweisung gezahlt; Bargeld nehmen wir nicht an.

## Stornierungsbedingungen
Eine Besichtigung können Sie jederzeit kostenlos absagen oder verschieben; bitte sagen Sie mindestens 2 Stunden vorher Bescheid. Einen Alleinauftrag können Sie mit 14 Tagen Frist ohne Gebühr kündigen.
`,
  },
  pt: {
    knowledgeBase: 'Informações da imobiliária (português)',
    title: 'Comissões, visitas e documentos',
    markdown: `## Comissões e taxas

### Comissão de venda
A nossa comissão de venda é de 1,5% do preço de venda mais impostos, e só é cobrada se o imóvel for vendido. Inclui fotos profissionais, planta, anúncios nos principais portais imobiliários e visitas acompanhadas.

### Taxas de aluguel
Para proprietários, encontrar um inquilino custa 8% do aluguel anual mais impostos, e a administração completa custa 12% do aluguel mais impostos.

### Custos para compradores e inquilinos
Os compradores não nos pagam comissão. Os inquilinos pagam um sinal de reserva de uma semana de aluguel, descontado do primeiro mês, e uma caução de cinco semanas de aluguel.

## Avaliação do imóvel
As nossas avaliações de mercado são gratuitas e levam cerca de 45 minutos no imóvel. Em 48 horas recebe uma avaliação por escrito com vendas recentes comparáveis.

## Visitas
Fazemos visitas de segunda a sexta, das 9h às 18h, e aos sábados das 10h às 16h. Marque com pelo menos 24 horas de antecedência; para compradores que moram longe há visitas por vídeo.

## Documentos necessários

### Documentos para comprar
Para fazer uma proposta, tenha um documento com foto, um comprovante de residência, uma pré-aprovação de financiamento ou comprovante de recursos, e os dados do seu advogado ou cartório.

### Documentos para alugar
Para alugar, precisamos de um documento com foto, comprovante de renda (os três últimos holerites, ou a declaração de imposto de renda se for autônomo), uma referência do proprietário anterior e um comprovante de residência legal.

### Documentos para vender
Para vender, precisamos de um documento com foto, a matrícula ou escritura do imóvel e o certificado energético, que podemos providenciar para você.

## Horário e endereço do escritório
O nosso escritório fica na 42 High Street, em frente à prefeitura, e abre de segunda a sexta, das 9h às 18h, e aos sábados das 10h às 16h.

## Pagamento
A comissão de venda é paga na escritura, com o valor da venda. Aluguéis e cauções são pagos por transferência bancária; não aceitamos dinheiro.

## Política de cancelamento
Pode cancelar ou remarcar uma visita sem custo a qualquer momento; avise-nos pelo menos 2 horas antes. Um contrato de exclusividade pode ser encerrado com 14 dias de aviso prévio e sem multa.
`,
  },
  it: {
    knowledgeBase: "Informazioni sull'agenzia (italiano)",
    title: 'Provvigioni, visite e documenti',
    markdown: `## Provvigioni

### Provvigione di vendita
La nostra provvigione di vendita è l'1,5% del prezzo di vendita più IVA, e si paga solo se l'immobile viene venduto. Comprende foto professionali, planimetria, pubblicazione sui principali portali immobiliari e visite accompagnate.

### Provvigioni per l'affitto
Per i proprietari, trovare un inquilino costa l'8% del canone annuo più IVA, e la gestione completa il 12% del canone più IVA.

### Costi per acquirenti e inquilini
Gli acquirenti non ci pagano provvigioni. Gli inquilini versano una caparra di prenotazione pari a una settimana di canone, scalata dal primo mese, e un deposito cauzionale di cinque settimane di canone.

## Valutazione dell'immobile
Le nostre valutazioni di mercato sono gratuite e durano circa 45 minuti sul posto. Entro 48 ore ricevete una valutazione scritta con vendite recenti comparabili.

## Visite
Organizziamo visite dal lunedì al venerdì dalle 9 alle 18 e il sabato dalle 10 alle 16. Prenotate almeno 24 ore prima; per chi abita lontano ci sono visite in videochiamata.

## Documenti necessari

### Documenti per comprare
Per fare un'offerta servono un documento d'identità, un certificato di residenza, una delibera di mutuo o una prova dei fondi, e i dati del vostro notaio.

### Documenti per affittare
Per affittare servono un documento d'identità, la prova del reddito (le ultime tre buste paga, o la dichiarazione dei redditi per i lavoratori autonomi), una referenza del proprietario precedente e il permesso di soggiorno se necessario.

### Documenti per vendere
Per vendere servono un documento d'identità, l'atto di provenienza dell'immobile e l'attestato di prestazione energetica (APE), che possiamo richiedere noi.

## Orari e indirizzo dell'agenzia
L'agenzia è al 42 High Street, di fronte al municipio, ed è aperta dal lunedì al venerdì dalle 9 alle 18 e il sabato dalle 10 alle 16.

## Pagamenti
La provvigione di vendita si paga al rogito, con il ricavato della vendita. Canoni e depositi si pagano con bonifico bancario; non accettiamo contanti.

## Politica di cancellazione
Potete annullare o spostare una visita gratuitamente in qualsiasi momento; avvisateci almeno 2 ore prima. Un incarico in esclusiva si può disdire con 14 giorni di preavviso, senza penali.
`,
  },
};

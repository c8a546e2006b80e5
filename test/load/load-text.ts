// Text of the load tenant: German and English tickets from a weighted vocabulary, so that
// a common word ("Drucker", "printer") hits thousands of tickets and a rare one a few dozen.

/** A small seeded generator (mulberry32): the same seed gives the same tenant. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Picks by weight; build once, draw often. */
export function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): (random: Random) => T {
  const cumulative: number[] = [];
  let sum = 0;
  for (const [, weight] of entries) cumulative.push((sum += weight));
  return (random) => {
    const target = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return entries[lo]![0];
  };
}

/** Zipf-like weights: the first item is the most frequent, the tail gets rare. */
export function zipf<T>(items: readonly T[], exponent = 1): (random: Random) => T {
  return weighted(items.map((item, i) => [item, 1 / (i + 1) ** exponent] as const));
}

export type Language = 'de' | 'en';

interface Topic {
  category: string;
  /** Subjects; `{m}` is a model or system name, `{l}` a place. */
  subject: Record<Language, string[]>;
  /** What the customer writes. */
  problem: Record<Language, string[]>;
  models: string[];
}

// Ordered by how often they come up; the weights fall off Zipf-like.
const TOPICS: Array<[Topic, number]> = [
  [{ category: 'Hardware', models: ['Kyocera TASKalfa 3253ci', 'HP LaserJet M404', 'Brother MFC-L2750', 'Canon i-SENSYS', 'Ricoh IM C3000', 'Lexmark MX521'],
    subject: { de: ['Drucker druckt nicht', 'Drucker {m} im {l} meldet Papierstau', 'Drucker offline', 'Druckauftrag hängt in der Warteschlange', 'Neuer Drucker für {l}', 'Drucker druckt nur leere Seiten'],
      en: ['Printer not printing', 'Printer {m} in {l} reports a paper jam', 'Printer offline', 'Print job stuck in the queue', 'New printer for {l}', 'Printer prints blank pages'] },
    problem: { de: ['Der Drucker {m} im {l} druckt seit heute Morgen nicht mehr.', 'Beim Drucken erscheint die Meldung, dass der Drucker offline ist.', 'Der Toner wurde gewechselt, trotzdem bleiben die Seiten leer.', 'Mehrere Kollegen können nicht mehr auf dem Drucker drucken.'],
      en: ['The printer {m} in {l} stopped printing this morning.', 'When printing, a message says the printer is offline.', 'We replaced the toner but the pages stay blank.', 'Several colleagues can no longer print on the printer.'] } }, 10],
  [{ category: 'Software', models: ['Outlook 365', 'Outlook 2019', 'Exchange Online', 'Thunderbird'],
    subject: { de: ['Outlook startet nicht', 'E-Mails kommen nicht an', 'Postfach voll', 'Outlook fragt ständig nach dem Passwort', 'Kalender wird nicht synchronisiert'],
      en: ['Outlook does not start', 'Emails are not arriving', 'Mailbox full', 'Outlook keeps asking for the password', 'Calendar does not sync'] },
    problem: { de: ['Seit dem letzten Update startet {m} nicht mehr.', 'E-Mails von externen Absendern kommen nicht an.', 'Das Postfach meldet, dass der Speicher voll ist.', 'Freigegebene Kalender werden nicht mehr angezeigt.'],
      en: ['Since the last update {m} no longer starts.', 'Emails from external senders are not arriving.', 'The mailbox reports that the storage is full.', 'Shared calendars are no longer shown.'] } }, 8],
  [{ category: 'Netzwerk', models: ['FortiClient', 'Cisco AnyConnect', 'WireGuard', 'OpenVPN'],
    subject: { de: ['VPN-Verbindung bricht ab', 'Kein Zugriff per VPN', 'VPN sehr langsam im Homeoffice', 'VPN-Zugang für neuen Mitarbeiter'],
      en: ['VPN connection drops', 'No access via VPN', 'VPN very slow when working from home', 'VPN access for a new employee'] },
    problem: { de: ['Die VPN-Verbindung mit {m} bricht alle paar Minuten ab.', 'Im Homeoffice komme ich nicht mehr ins Firmennetz.', 'Über VPN dauert das Öffnen von Dateien sehr lange.'],
      en: ['The VPN connection with {m} drops every few minutes.', 'From home I can no longer reach the company network.', 'Opening files over the VPN takes very long.'] } }, 7],
  [{ category: 'Zugang', models: ['Active Directory', 'Microsoft 365', 'DATEV', 'SAP'],
    subject: { de: ['Passwort zurücksetzen', 'Konto gesperrt', 'Zugang zu {m} fehlt', 'Passwort abgelaufen', 'Berechtigung für Laufwerk'],
      en: ['Reset password', 'Account locked', 'Missing access to {m}', 'Password expired', 'Permission for a shared drive'] },
    problem: { de: ['Nach drei Fehlversuchen ist mein Konto gesperrt.', 'Ich brauche Zugriff auf {m} für die neue Kollegin.', 'Mein Passwort ist abgelaufen und ich komme nicht mehr rein.'],
      en: ['After three failed attempts my account is locked.', 'I need access to {m} for our new colleague.', 'My password expired and I cannot log in any more.'] } }, 7],
  [{ category: 'Hardware', models: ['Lenovo ThinkPad T14', 'Dell Latitude 5440', 'HP EliteBook 840', 'MacBook Air'],
    subject: { de: ['Laptop startet nicht', 'Laptop sehr langsam', 'Akku hält nicht mehr', 'Neuer Laptop für {l}', 'Laptop Display defekt'],
      en: ['Laptop does not start', 'Laptop very slow', 'Battery does not last', 'New laptop for {l}', 'Laptop display broken'] },
    problem: { de: ['Mein {m} bleibt beim Start mit schwarzem Bildschirm hängen.', 'Der Laptop ist seit einer Woche extrem langsam.', 'Der Akku ist nach einer Stunde leer.'],
      en: ['My {m} hangs at startup with a black screen.', 'The laptop has been extremely slow for a week.', 'The battery is empty after an hour.'] } }, 6],
  [{ category: 'Netzwerk', models: ['UniFi', 'Lancom', 'FRITZ!Box', 'Aruba'],
    subject: { de: ['WLAN im {l} fällt aus', 'Kein Internet', 'WLAN-Gastzugang einrichten', 'Netzwerkdose ohne Verbindung'],
      en: ['Wifi in {l} keeps failing', 'No internet', 'Set up guest wifi', 'Network socket without connection'] },
    problem: { de: ['Das WLAN im {l} fällt mehrmals täglich aus.', 'Seit heute haben wir kein Internet, der Router {m} blinkt rot.', 'Für Besucher brauchen wir einen Gastzugang.'],
      en: ['The wifi in {l} fails several times a day.', 'Since today we have no internet, the {m} router blinks red.', 'We need a guest access for visitors.'] } }, 5],
  [{ category: 'Abrechnung', models: ['DATEV', 'Lexware', 'sevDesk'],
    subject: { de: ['Rechnung fehlerhaft', 'Frage zur Rechnung', 'Rechnung doppelt erhalten', 'Gutschrift angefordert'],
      en: ['Invoice incorrect', 'Question about the invoice', 'Invoice received twice', 'Credit note requested'] },
    problem: { de: ['Auf der Rechnung vom letzten Monat sind Positionen doppelt berechnet.', 'Die Rechnung enthält eine falsche Anschrift.', 'Bitte senden Sie uns eine Gutschrift für die stornierte Lizenz.'],
      en: ['Last month’s invoice charges some items twice.', 'The invoice shows a wrong address.', 'Please send us a credit note for the cancelled license.'] } }, 5],
  [{ category: 'Hardware', models: ['Dell P2422H', 'Eizo FlexScan', 'LG UltraWide', 'Samsung ViewFinity'],
    subject: { de: ['Monitor bleibt schwarz', 'Zweiter Monitor wird nicht erkannt', 'Dockingstation ohne Bild'],
      en: ['Monitor stays black', 'Second monitor not detected', 'Docking station shows no picture'] },
    problem: { de: ['Der Monitor {m} bleibt schwarz, obwohl die Lampe leuchtet.', 'Der zweite Bildschirm wird an der Dockingstation nicht erkannt.'],
      en: ['The {m} monitor stays black although the light is on.', 'The second screen is not detected on the docking station.'] } }, 4],
  [{ category: 'Telefonie', models: ['Yealink T54W', 'Snom D785', 'Teams Phone', 'Gigaset'],
    subject: { de: ['Telefon ohne Freizeichen', 'Rufumleitung einrichten', 'Headset funktioniert nicht', 'Telefonanlage gestört'],
      en: ['Phone without dial tone', 'Set up call forwarding', 'Headset not working', 'Phone system down'] },
    problem: { de: ['Das Telefon {m} hat kein Freizeichen mehr.', 'Bitte eine Rufumleitung auf das Handy einrichten.', 'Gesprächspartner hören mich über das Headset nicht.'],
      en: ['The {m} phone has no dial tone any more.', 'Please set up call forwarding to my mobile.', 'People cannot hear me through the headset.'] } }, 4],
  [{ category: 'Software', models: ['Shopware', 'WooCommerce', 'Magento'],
    subject: { de: ['Webshop nicht erreichbar', 'Bestellungen werden nicht übertragen', 'Fehler im Checkout des Webshops'],
      en: ['Webshop unreachable', 'Orders are not transferred', 'Error in the webshop checkout'] },
    problem: { de: ['Unser Webshop ({m}) zeigt seit heute einen Fehler 500.', 'Bestellungen aus dem Webshop kommen nicht in der Warenwirtschaft an.'],
      en: ['Our webshop ({m}) has been showing an error 500 since today.', 'Orders from the webshop do not arrive in the ERP.'] } }, 3],
  [{ category: 'Server', models: ['Veeam', 'Synology', 'Windows Server Backup', 'Acronis'],
    subject: { de: ['Backup fehlgeschlagen', 'Datensicherung meldet Fehler', 'Datei aus Backup wiederherstellen'],
      en: ['Backup failed', 'Backup job reports errors', 'Restore a file from backup'] },
    problem: { de: ['Die nächtliche Datensicherung mit {m} ist fehlgeschlagen.', 'Bitte die Datei vom letzten Freitag aus dem Backup wiederherstellen.'],
      en: ['The nightly backup with {m} failed.', 'Please restore the file from last Friday’s backup.'] } }, 3],
  [{ category: 'Software', models: ['Microsoft 365', 'Adobe Acrobat', 'AutoCAD', 'DATEV'],
    subject: { de: ['Lizenz abgelaufen', 'Zusätzliche Lizenz benötigt', 'Lizenzfehler beim Start von {m}'],
      en: ['License expired', 'Additional license needed', 'License error when starting {m}'] },
    problem: { de: ['Beim Start von {m} kommt die Meldung, dass die Lizenz abgelaufen ist.', 'Wir brauchen zwei weitere Lizenzen für neue Mitarbeiter.'],
      en: ['When starting {m} it says the license has expired.', 'We need two more licenses for new employees.'] } }, 3],
  [{ category: 'Hardware', models: ['Fujitsu fi-7160', 'Epson WorkForce', 'Canon DR-C225'],
    subject: { de: ['Scanner wird nicht erkannt', 'Scan to Mail funktioniert nicht'],
      en: ['Scanner not detected', 'Scan to mail not working'] },
    problem: { de: ['Der Scanner {m} wird am Arbeitsplatz nicht mehr erkannt.', 'Scans per Mail kommen nicht mehr an.'],
      en: ['The {m} scanner is no longer detected at the workstation.', 'Scans sent by mail no longer arrive.'] } }, 2],
  [{ category: 'Kasse', models: ['Vectron', 'orderbird', 'Lightspeed'],
    subject: { de: ['Kasse bucht nicht', 'Kassenabschluss fehlerhaft', 'Bondrucker an der Kasse defekt'],
      en: ['Till does not book', 'End-of-day closing incorrect', 'Receipt printer at the till broken'] },
    problem: { de: ['Die Kasse ({m}) in der Filiale {l} bucht keine Kartenzahlungen.', 'Der Kassenabschluss weicht um mehrere Euro ab.'],
      en: ['The till ({m}) in the {l} branch does not book card payments.', 'The end-of-day closing is off by several euros.'] } }, 2],
  [{ category: 'Server', models: ['Let’s Encrypt', 'Sectigo', 'DigiCert'],
    subject: { de: ['Zertifikat läuft ab', 'Zertifikatswarnung im Browser'], en: ['Certificate expires', 'Certificate warning in the browser'] },
    problem: { de: ['Das Zertifikat ({m}) für das Kundenportal läuft in einer Woche ab.', 'Der Browser zeigt eine Zertifikatswarnung.'],
      en: ['The certificate ({m}) for the customer portal expires in a week.', 'The browser shows a certificate warning.'] } }, 1.5],
  [{ category: 'Netzwerk', models: ['Sophos XGS', 'Fortigate 60F', 'pfSense'],
    subject: { de: ['Firewall blockiert Seite', 'Port freigeben'], en: ['Firewall blocks a site', 'Open a port'] },
    problem: { de: ['Die Firewall ({m}) blockiert die Seite unseres Lieferanten.', 'Bitte Port 8443 für den Dienstleister freigeben.'],
      en: ['The firewall ({m}) blocks our supplier’s site.', 'Please open port 8443 for the service provider.'] } }, 1.5],
  [{ category: 'Server', models: ['MS SQL Server', 'PostgreSQL', 'MariaDB'],
    subject: { de: ['Datenbank langsam', 'Datenbankfehler in der Warenwirtschaft'], en: ['Database slow', 'Database error in the ERP'] },
    problem: { de: ['Abfragen auf der Datenbank ({m}) dauern seit gestern Minuten.', 'Die Warenwirtschaft meldet einen Datenbankfehler.'],
      en: ['Queries on the database ({m}) take minutes since yesterday.', 'The ERP reports a database error.'] } }, 1.2],
  [{ category: 'Software', models: ['Teams', 'Zoom', 'Webex'],
    subject: { de: ['Videokonferenz ohne Ton', 'Kamera in {m} nicht erkannt'], en: ['Video call without sound', 'Camera not detected in {m}'] },
    problem: { de: ['In {m} hören mich die Teilnehmer nicht.', 'Die Kamera wird in der Videokonferenz nicht erkannt.'],
      en: ['In {m} the participants cannot hear me.', 'The camera is not detected in the video call.'] } }, 1.2],
  [{ category: 'Abrechnung', models: ['Warenwirtschaft', 'SAP Business One'],
    subject: { de: ['Lieferschein fehlt', 'Lieferschein falsch gedruckt'], en: ['Delivery note missing', 'Delivery note printed wrong'] },
    problem: { de: ['Zur Lieferung fehlt der Lieferschein.', 'Auf dem Lieferschein aus {m} fehlen die Seriennummern.'],
      en: ['The delivery note for the shipment is missing.', 'The delivery note from {m} lacks the serial numbers.'] } }, 1],
  // The rare ones: a few dozen tickets per 100,000.
  [{ category: 'Hardware', models: ['HP DesignJet T650', 'Canon imagePROGRAF'],
    subject: { de: ['Plotter zieht Papier schief ein'], en: ['Plotter feeds paper crooked'] },
    problem: { de: ['Der Plotter {m} zieht das Papier schief ein.'], en: ['The plotter {m} feeds the paper crooked.'] } }, 0.04],
  [{ category: 'Telefonie', models: ['Brother FAX-2840'],
    subject: { de: ['Faxgerät sendet nicht'], en: ['Fax machine does not send'] },
    problem: { de: ['Das Faxgerät {m} bricht beim Senden ab.'], en: ['The fax machine {m} aborts while sending.'] } }, 0.03],
];

export const CATEGORIES = [...new Set(TOPICS.map(([topic]) => topic.category))];

const drawTopic = weighted(TOPICS);

const PLACES: Record<Language, string[]> = {
  de: ['Empfang', 'Lager', 'Büro 2.14', 'Erdgeschoss', 'Besprechungsraum', 'Buchhaltung', 'Vertrieb', 'Werkstatt', 'Homeoffice', 'Filiale Nord', 'Versand', 'Labor'],
  en: ['reception', 'warehouse', 'office 2.14', 'ground floor', 'meeting room', 'accounting', 'sales office', 'workshop', 'home office', 'north branch', 'shipping', 'lab'],
};

// The long tail: words that come up now and then, most of them rarely.
const DETAILS: Record<Language, string[]> = {
  de: ['Das Problem tritt seit {d} Tagen auf.', 'Ein Neustart hat nicht geholfen.', 'Betroffen sind etwa {d} Arbeitsplätze.', 'Die Fehlermeldung lautet {c}.',
    'Es eilt, weil morgen der Monatsabschluss ist.', 'Das Gerät steht in der Filiale {city}.', 'Unsere Inventarnummer ist INV-{n}.', 'Bitte rufen Sie mich unter der Durchwahl {d}0 zurück.',
    'Gestern hat es noch funktioniert.', 'Der Kollege aus dem Vertrieb hat dasselbe Problem.', 'Im Ereignisprotokoll steht der Code {c}.', 'Wir haben die Kabel schon geprüft.',
    'Der Techniker war letzte Woche vor Ort.', 'Seit der Umstellung auf Windows 11 tritt der Fehler auf.', 'Die Anlage in {city} ist ebenfalls betroffen.', 'Der Lieferant {vendor} weiß Bescheid.'],
  en: ['The problem has been happening for {d} days.', 'A restart did not help.', 'About {d} workstations are affected.', 'The error message says {c}.',
    'It is urgent because month-end closing is tomorrow.', 'The device is in the {city} branch.', 'Our asset number is INV-{n}.', 'Please call me back on extension {d}0.',
    'It still worked yesterday.', 'A colleague from sales has the same problem.', 'The event log shows code {c}.', 'We already checked the cables.',
    'The technician was on site last week.', 'The error started after the switch to Windows 11.', 'The site in {city} is affected as well.', 'The supplier {vendor} knows about it.'],
};
const drawDetail = { de: zipf(DETAILS.de, 0.8), en: zipf(DETAILS.en, 0.8) };
const CITIES = zipf(['Hamburg', 'Berlin', 'München', 'Köln', 'Frankfurt', 'Stuttgart', 'Düsseldorf', 'Leipzig', 'Dresden', 'Hannover', 'Nürnberg', 'Bremen',
  'Essen', 'Dortmund', 'Münster', 'Kiel', 'Lübeck', 'Rostock', 'Erfurt', 'Kassel', 'Freiburg', 'Ulm', 'Passau', 'Flensburg', 'Görlitz', 'Husum'], 1.1);
const VENDORS = zipf(['Bechtle', 'Cancom', 'Computacenter', 'Ingram', 'Also', 'Tech Data', 'Koch Media', 'Jakobsoftware', 'Wortmann', 'Kramer Elektronik'], 1.2);

const GREETING: Record<Language, string[]> = { de: ['Hallo,', 'Guten Tag,', 'Hallo zusammen,', 'Sehr geehrte Damen und Herren,', 'Moin,'], en: ['Hello,', 'Hi,', 'Good morning,', 'Dear support team,'] };
const THANKS: Record<Language, string[]> = { de: ['Danke und viele Grüße', 'Mit freundlichen Grüßen', 'Viele Grüße', 'Danke vorab'], en: ['Thanks and best regards', 'Kind regards', 'Best', 'Thanks in advance'] };
const REPLIES: Record<Language, string[]> = {
  de: ['vielen Dank für Ihre Meldung. Wir haben uns per Fernwartung verbunden und den Fehler behoben.', 'könnten Sie uns bitte einen Screenshot der Fehlermeldung schicken?',
    'wir haben den Treiber aktualisiert, bitte testen Sie es noch einmal.', 'der Techniker kommt morgen zwischen 9 und 12 Uhr vorbei.', 'das Ersatzteil ist bestellt und kommt voraussichtlich am Donnerstag.',
    'bitte starten Sie den Rechner einmal neu und melden Sie sich dann wieder.', 'wir haben die Berechtigung eingerichtet, sie greift nach der nächsten Anmeldung.', 'das Problem lag an einem abgelaufenen Zertifikat, es ist erneuert.'],
  en: ['thank you for your report. We connected remotely and fixed the error.', 'could you please send us a screenshot of the error message?',
    'we updated the driver, please try again.', 'the technician will come by tomorrow between 9 and 12.', 'the spare part is ordered and should arrive on Thursday.',
    'please restart the computer once and let us know.', 'we set up the permission, it takes effect at the next sign-in.', 'the problem was an expired certificate, it has been renewed.'],
};
const NOTES = ['Rückfrage beim Hersteller {vendor} gestellt.', 'Fernwartung durchgeführt, Logdateien gesichert.', 'Laut Vertrag vor Ort, Termin mit Kunde abstimmen.', 'Gleiches Problem wie bei {city}, siehe Wissensdatenbank.',
  'Ersatzgerät aus dem Lager genommen (INV-{n}).', 'Kunde telefonisch nicht erreicht, Mail geschickt.', 'Eskalation an 2nd Level, Fehlercode {c}.', 'Treiberpaket {d}.{d} ausgerollt.'];
const FOLLOW_UPS: Record<Language, string[]> = {
  de: ['Danke, jetzt funktioniert es wieder.', 'Das Problem besteht leider weiterhin.', 'Anbei der Screenshot, die Meldung kommt bei jedem Start.', 'Der Termin passt uns gut.', 'Es ist wieder aufgetreten, diesmal im {l}.'],
  en: ['Thanks, it works again now.', 'Unfortunately the problem persists.', 'Attached is the screenshot, the message appears at every start.', 'The appointment suits us.', 'It happened again, this time in the {l}.'],
};

function fill(random: Random, template: string, language: Language, models: readonly string[]): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'm': return pick(random, models.length ? models : ['']);
      case 'l': return pick(random, PLACES[language]);
      case 'd': return String(1 + Math.floor(random() * 9));
      case 'n': return String(10000 + Math.floor(random() * 90000));
      // Error codes are the rarest words of all: most occur once.
      case 'c': return `0x${Math.floor(random() * 0xfffff).toString(16).toUpperCase().padStart(5, '0')}`;
      case 'city': return CITIES(random);
      case 'vendor': return VENDORS(random);
      default: return slot;
    }
  });
}

export interface TicketText {
  category: string;
  subject: string;
  /** The customer's first message. */
  description: string;
  topicModels: readonly string[];
}

/** Subject and first message of one ticket. */
export function ticketText(random: Random, language: Language, signature: string): TicketText {
  const topic = drawTopic(random);
  const subject = fill(random, pick(random, topic.subject[language]), language, topic.models);
  const lines = [pick(random, GREETING[language]), '', fill(random, pick(random, topic.problem[language]), language, topic.models)];
  const details = 1 + Math.floor(random() * 3);
  for (let i = 0; i < details; i++) lines.push(fill(random, drawDetail[language](random), language, topic.models));
  lines.push('', pick(random, THANKS[language]), signature);
  return { category: topic.category, subject, description: lines.join('\n'), topicModels: topic.models };
}

export function replyText(random: Random, language: Language, customerName: string, agentName: string): string {
  const salutation = language === 'de' ? `Hallo ${customerName},` : `Hello ${customerName},`;
  return [salutation, '', fill(random, pick(random, REPLIES[language]), language, []), '', pick(random, THANKS[language]), agentName].join('\n');
}

export function noteText(random: Random): string {
  return fill(random, pick(random, NOTES), 'de', []);
}

export function followUpText(random: Random, language: Language, text: TicketText, signature: string): string {
  const extra = random() < 0.4 ? ` ${fill(random, drawDetail[language](random), language, text.topicModels)}` : '';
  return [fill(random, pick(random, FOLLOW_UPS[language]), language, text.topicModels) + extra, '', signature].join('\n');
}

const FIRST_NAMES = ['Anna', 'Lukas', 'Marie', 'Jonas', 'Sophie', 'Felix', 'Laura', 'Paul', 'Lea', 'Tim', 'Julia', 'Jan', 'Katrin', 'Stefan', 'Sabine', 'Thomas',
  'Petra', 'Michael', 'Sandra', 'Andreas', 'Nicole', 'Markus', 'Claudia', 'Frank', 'Birgit', 'Jörg', 'Heike', 'Uwe', 'Emma', 'Ben', 'Mia', 'Finn', 'Hannah', 'Elias', 'Lina', 'Noah'];
const LAST_NAMES = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein',
  'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Schmitz', 'Krause', 'Meier', 'Lehmann', 'Köhler', 'Brandt', 'Janssen', 'Petersen', 'Ostermann'];
const ORG_STEMS = ['Nordlicht', 'Alpen', 'Hanse', 'Rhein', 'Elbe', 'Weser', 'Spree', 'Main', 'Isar', 'Mosel', 'Harz', 'Eifel', 'Taunus', 'Allgäu', 'Sauerland', 'Ostsee', 'Nordsee', 'Bodensee', 'Lausitz', 'Schwarzwald'];
const ORG_TRADES = ['Logistik', 'Bau', 'Maschinenbau', 'Steuerberatung', 'Apotheke', 'Zahnarztpraxis', 'Autohaus', 'Bäckerei', 'Immobilien', 'Druckerei', 'Elektro', 'Handel', 'Hotel', 'Kanzlei', 'Metall', 'Pflegedienst', 'Optik', 'Software', 'Tischlerei', 'Versicherung', 'Spedition', 'Gartenbau', 'Medien', 'Textil', 'Reisen'];
const LEGAL = ['GmbH', 'GmbH & Co. KG', 'AG', 'KG', 'e.K.', 'GbR', 'Ltd.', 'eG'];

export function personName(i: number): string {
  return `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]}`;
}

export function organisationName(i: number): string {
  return `${ORG_STEMS[i % ORG_STEMS.length]} ${ORG_TRADES[Math.floor(i / ORG_STEMS.length) % ORG_TRADES.length]} ${LEGAL[i % LEGAL.length]}`;
}

export function slug(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

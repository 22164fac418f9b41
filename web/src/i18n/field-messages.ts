/**
 * The server names what is wrong with a field in English (the API's language, also for FHIR and
 * scripts). The interface shows it in the person's language: this catalogue holds the Dutch for
 * every message the server can give (server/src/http/field-messages.test.ts checks that it does),
 * and for zod's own messages. A message it does not know is shown as it came.
 */

import ar from './parents/ar.json' with { type: 'json' };
import pl from './parents/pl.json' with { type: 'json' };
import tr from './parents/tr.json' with { type: 'json' };
import uk from './parents/uk.json' with { type: 'json' };

const DUTCH: Record<string, string> = {
  // Common
  required: 'vul dit in',
  'say how the parents gave their consent': 'kies hoe de ouders toestemming gaven',
  'in the future': 'ligt in de toekomst',
  'must be in the past': 'moet in het verleden liggen',
  'must not be in the future': 'mag niet in de toekomst liggen',
  'must be a date (YYYY-MM-DD)': 'moet een datum zijn (JJJJ-MM-DD)',
  'The period ends before it begins.': 'De periode eindigt voordat die begint.',
  'must be a UUID': 'moet een geldige id zijn',
  'must be an e-mail address': 'moet een e-mailadres zijn',
  'must be an https:// address': 'moet een https://-adres zijn',
  'must not contain a NUL character (\\u0000)': 'mag geen NUL-teken (\\u0000) bevatten',
  'at least two characters': 'minstens twee tekens',
  'at least 8 characters': 'minstens 8 tekens',
  'at least 10 characters': 'minstens 10 tekens',
  'must be at least 16 characters': 'moet minstens 16 tekens zijn',
  'must be at least 32 characters': 'moet minstens 32 tekens zijn',
  'not correct': 'klopt niet',
  'not an element of this resource in FHIR R4': 'geen element van deze resource in FHIR R4',
  'a modifier Kring does not understand': 'een modifier die Kring niet begrijpt',
  'must be the id in the URL': 'moet de id uit de URL zijn',
  'only the parents’ Kring speaks this language': 'alleen de Kring van ouders is in deze taal',
  'unknown, used or expired': 'onbekend, al gebruikt of verlopen',
  version: 'de versie ontbreekt',
  'from is after to': '‘van’ ligt na ‘tot’',
  'a date within the next two years': 'een datum binnen de komende twee jaar',
  // Who in the family sees an entry
  'say why (at least 5 characters)': 'zeg waarom (minstens 5 tekens)',
  'may not see this: not an adult of this family, or the person it is about has not consented':
    'mag dit niet zien: geen volwassene van dit gezin, of degene over wie het gaat heeft geen toestemming gegeven',
  'not another adult of your family': 'geen andere volwassene van je gezin',
  'not something this parent may see': 'niet iets wat deze ouder mag zien',
  'the full address': 'het volledige adres',
  'only for a confidential address': 'alleen bij een geheim adres',
  'only the regiehouder names who may see it': 'alleen de regiehouder wijst aan wie het mag zien',
  'not an organisation of this family’s team': 'geen organisatie van het team van dit gezin',
  // Registration and persons
  'a Dutch postcode, like 9901 AB': 'een Nederlandse postcode, zoals 9901 AB',
  'this postcode is outside the region': 'deze postcode ligt buiten de regio',
  'not a valid BSN (nine digits passing the elfproef)': 'geen geldig BSN (negen cijfers die de elfproef doorstaan)',
  'the same BSN twice': 'twee keer hetzelfde BSN',
  'already used for another family': 'al gebruikt voor een ander gezin',
  'a parent under 16 cannot hold parental authority': 'een ouder onder de 16 kan geen gezag hebben',
  'a pregnant person under 16 consents together with her parents: register at least one of them':
    'een zwangere onder de 16 geeft toestemming samen met haar ouders: registreer minstens één van hen',
  'give the due date or the last menstrual period, not both':
    'geef de uitgerekende datum of de laatste menstruatie, niet allebei',
  'give the due date or the last menstrual period':
    'geef de uitgerekende datum of de eerste dag van de laatste menstruatie',
  'the due date is more than two years ago': 'de uitgerekende datum is meer dan twee jaar geleden',
  'the due date must lie between six weeks ago and 44 weeks ahead':
    'de uitgerekende datum moet tussen zes weken geleden en 44 weken vooruit liggen',
  'before conception': 'ligt vóór de conceptie',
  'before the child was born': 'ligt vóór de geboorte van het kind',
  'between conception and today': 'tussen de conceptie en vandaag',
  'between the signal’s start and today': 'tussen het begin van het signaal en vandaag',
  'consent for at least one category is needed': 'toestemming voor minstens één categorie is nodig',
  'asked again: only a factual question is confirmed':
    'wordt opnieuw gevraagd: alleen een feitelijke vraag wordt bevestigd',
  'required: the family does not meet the entry criteria': 'nodig: het gezin voldoet nu niet aan de instroomcriteria',
  'the day the level was given': 'de datum waarop het niveau is toegekend',
  'someone whose consent counts has not given it': 'iemand van wie de toestemming telt, heeft die niet gegeven',
  'who gave consent': 'kies wie toestemming gaf',
  'not a person whose consent counts for this family': 'niet iemand van wie de toestemming telt in dit gezin',
  'required when recording who consented': 'verplicht als je vastlegt wie toestemming gaf',
  'required without family name and date of birth': 'vul dit in als je geen achternaam en geboortedatum geeft',
  'already has an account': 'heeft al een account',
  // Who in the family
  'a person of the same family': 'een persoon van hetzelfde gezin',
  'not a person of this family': 'geen persoon van dit gezin',
  'not an adult of this family': 'geen volwassene van dit gezin',
  'not a parent or caregiver of this family': 'geen ouder of verzorger van dit gezin',
  'not a born child of this family': 'geen geboren kind van dit gezin',
  'not a child of this family': 'geen kind van dit gezin',
  'say why it changed (e.g. a court decision)': 'zeg waarom het verandert (bijvoorbeeld een uitspraak van de rechter)',
  'not a trajectory of this family': 'geen traject van dit gezin',
  'not a goal of this family’s plan': 'geen doel van het plan van dit gezin',
  'not a professional of this family’s team': 'geen professional van het team van dit gezin',
  'not in the care team': 'niet in het zorgteam',
  'not an answer in this family': 'geen antwoord in dit gezin',
  'not something recorded about your family': 'niet iets wat over jullie gezin is vastgelegd',
  // Organisations and colleagues
  'unknown organisation': 'onbekende organisatie',
  'not an active organisation': 'geen actieve organisatie',
  'not an active care organisation': 'geen actieve zorgorganisatie',
  'not another care organisation': 'geen andere zorgorganisatie',
  'not a care organisation outside the team': 'geen zorgorganisatie buiten het team',
  'not an active colleague of the same organisation': 'geen actieve collega van dezelfde organisatie',
  'not a JGZ organisation': 'geen JGZ-organisatie',
  'not a certified institution (gecertificeerde instelling)': 'geen gecertificeerde instelling',
  'not a neighbourhood of the region': 'geen wijk van de regio',
  'only a professional has a discipline': 'alleen een professional heeft een discipline',
  'no OpenID Connect provider answers at this address': 'op dit adres antwoordt geen OpenID Connect-dienst',
  'must start with smtp:// or smtps://': 'moet beginnen met smtp:// of smtps://',
  'a private key: register only the public key': 'een privésleutel: registreer alleen de publieke sleutel',
  'not a valid public key': 'geen geldige publieke sleutel',
  // Signals, judgements, consultations, the Meldcode
  'unknown code': 'onbekende code',
  'this parent has not consented to recording their own history':
    'deze ouder heeft geen toestemming gegeven om de eigen geschiedenis vast te leggen',
  'say why you think this, in your own words': 'zeg in je eigen woorden waarom je dit denkt',
  'write your comment': 'schrijf je opmerking',
  'ask your question in a few sentences': 'stel je vraag in een paar zinnen',
  'required for a consultation with the record': 'nodig voor een consultatie met het dossier',
  'link at least one signal': 'koppel minstens één signaal',
  'describe the acute situation in a sentence or two': 'beschrijf de acute situatie in een of twee zinnen',
  'give a reason': 'geef een reden',
  'give the reason in a sentence': 'geef de reden in een zin',
  'say why': 'zeg waarom',
  'say in a few words what changed': 'zeg in een paar woorden wat er veranderde',
  'say in a few words what is not right': 'zeg in een paar woorden wat niet klopt',
  'only for a refusal or a partial grant': 'alleen bij een weigering of een gedeeltelijke toekenning',
  'only for a signal or a contact': 'alleen bij een signaal of een contact',
  // Guides
  'unknown guide': 'onbekende gespreksleidraad',
  'not a question of this guide': 'geen vraag van deze leidraad',
  'answered twice': 'twee keer beantwoord',
  'not an earlier answer to this question': 'geen eerder antwoord op deze vraag',
  'this guide concerns the family as a whole': 'deze leidraad gaat over het gezin als geheel',
  'this guide is taken with an adult of this family': 'deze leidraad neem je af met een volwassene van dit gezin',
  'write your answer': 'schrijf je antwoord',
  'an instrument has scale questions only': 'een vragenlijst heeft alleen schaalvragen',
  'choice and scale questions have options; others none':
    'keuze- en schaalvragen hebben antwoordopties, andere vragen niet',
  'every option of a scale question has a score': 'elke optie van een schaalvraag heeft een score',
  'each guide key once': 'elke leidraad-sleutel één keer',
  'each card key once': 'elke kaart-sleutel één keer',
  'each page key once': 'elke pagina één keer',
  'a code like "area.question"': 'een code zoals "gebied.vraag"',
  'lower-case letters, digits and _ only': 'alleen kleine letters, cijfers en _',
  'lower-case letters, digits and _': 'kleine letters, cijfers en _',
  'a text': 'een tekst',
  'yes or no (true or false)': 'ja of nee',
  // Referrals, interventions, the plan
  'not in the catalogue': 'niet in de catalogus',
  'each intervention key once': 'elke interventie-sleutel één keer',
  'no interventions after the header': 'geen interventies na de kopregel',
  'does not offer this intervention': 'biedt deze interventie niet aan',
  'choose what goes along': 'kies wat er meegaat',
  'say in your own words why you refer': 'zeg in je eigen woorden waarom je verwijst',
  'required: the Gezondheidsraad rule is not met': 'nodig: aan de regel van de Gezondheidsraad is niet voldaan',
  'suggest an alternative, or say that there is none': 'stel een alternatief voor, of zeg dat er geen is',
  'write a short outcome': 'schrijf een korte uitkomst',
  'write a short summary for the receiver': 'schrijf een korte samenvatting voor de ontvanger',
  'required when help was not received': 'nodig als de hulp niet is ontvangen',
  'write the goal, in the parents’ words': 'schrijf het doel op, in de woorden van de ouders',
  'say what will be done': 'zeg wat er gedaan wordt',
  'required when a goal is achieved or stopped': 'nodig als een doel is bereikt of gestopt',
  'write what you found': 'schrijf op wat je vond',
  'say in a few words what the parents ask': 'zeg in een paar woorden wat de ouders vragen',
  'say in a few words what you would like help with': 'zeg in een paar woorden waarmee je hulp wilt',
  'contains a BSN: remove it': 'bevat een BSN: haal het weg',
  // Sign-in
  'a recovery code has ten letters and digits': 'een herstelcode heeft tien letters en cijfers',
  'the code has twelve letters and digits': 'de code heeft twaalf letters en cijfers',
  'six digits': 'zes cijfers',
  // The FHIR API and scripts (seldom seen in the interface, translated all the same)
  'Kring records contacts that took place (finished)': 'Kring legt contacten vast die hebben plaatsgevonden',
  'Metrics need the token.': 'De metrics vragen het token.',
  'a Questionnaire of Kring (its url)': 'een Questionnaire van Kring (de url)',
  'a conversation guide taken with a parent': 'een gespreksleidraad die met een ouder is afgenomen',
  'a reference to EpisodeOfCare/id': 'een verwijzing naar EpisodeOfCare/id',
  'a reference to Patient/id or Group/id': 'een verwijzing naar Patient/id of Group/id',
  'a signal is final (or amended, corrected)': 'een signaal is final (of amended, gecorrigeerd)',
  'a valueString, valueInteger, valueBoolean or valueCoding':
    'een valueString, valueInteger, valueBoolean of valueCoding',
  'must include respond-async': 'moet respond-async bevatten',
  'not a page link of your own search': 'geen paginalink van je eigen zoekopdracht',
};

/** Messages with a part that varies: the English pattern and its Dutch. */
const DUTCH_PATTERNS: [RegExp, (...parts: string[]) => string][] = [
  [/^more than (\d+) years ago: check the year$/, (n) => `meer dan ${n} jaar geleden: controleer het jaartal`],
  [/^the due date is more than (\d+) weeks ahead$/, (n) => `de uitgerekende datum ligt meer dan ${n} weken vooruit`],
  [
    /^more than (\d+) matches: add patient, date or _lastUpdated$/,
    (n) => `meer dan ${n} treffers: voeg patient, date of _lastUpdated toe`,
  ],
  [
    /^this code cannot concern (the family as a whole|a child|an adult)$/,
    (whom) =>
      `deze code kan niet gaan over ${whom === 'the family as a whole' ? 'het gezin als geheel' : whom === 'a child' ? 'een kind' : 'een volwassene'}`,
  ],
  [
    /^required: regiehouder of (\d+) famil(?:y|ies)$/,
    (n) => `nodig: regiehouder van ${n} ${n === '1' ? 'gezin' : 'gezinnen'}`,
  ],
  [
    /^names the family \((\d+) identifying details?\): remove them, or ask with the record$/,
    (n) =>
      `noemt het gezin (${n} herkenbare ${n === '1' ? 'gegeven' : 'gegevens'}): haal ze weg, of vraag het met het dossier`,
  ],
  [/^one of (.+?)(?: \((\S+)\))?$/, (list, system) => `een van: ${list}${system ? ` (${system})` : ''}`],
  [/^must be one of (.+)$/, (options) => `moet een van deze zijn: ${options}`],
  [/^must be (.+)$/, (what) => `moet ${DUTCH[what] ?? what} zijn`],
  [/^not a (.+) of this family$/, (what) => `geen ${what} van dit gezin`],
  [/^unknown field\(s\): (.+)$/, (names) => `onbekend veld: ${names}`],
  [
    /^a signal code of (\S+) \(a care-intensity judgement is made in Kring, with a colleague\)$/,
    (system) => `een signaalcode van ${system} (een oordeel over de zorgintensiteit geef je in Kring, met een collega)`,
  ],
  [/^(\w+) "(.+)" is in use and cannot be removed$/, (what, key) => `${what} "${key}" is in gebruik en kan niet weg`],
  [/^(?:code|question) "(.+)" appears twice$/, (key) => `"${key}" staat er twee keer in`],
  [/^unknown (domain|knowledge card|question|signal code) "(.+)"$/, (_what, key) => `onbekend: "${key}"`],
  [
    /^line (\d+): (\d+) columns, expected (\d+)$/,
    (line, got, expected) => `regel ${line}: ${got} kolommen, verwacht ${expected}`,
  ],
  [/^line (\d+), key: also on line (\d+)$/, (line, earlier) => `regel ${line}, sleutel: staat ook op regel ${earlier}`],
  [
    /^line (\d+): ((?:missing|unknown) column.*)$/,
    (line, problems) =>
      `regel ${line}: ${problems.replace('missing column(s)', 'ontbrekende kolom(men)').replace('unknown column(s)', 'onbekende kolom(men)')}`,
  ],
  [/^line (\d+), ([^:]+): (.+)$/, (line, column, message) => `regel ${line}, ${column}: ${toDutch(message)}`],
  // zod's own messages, for fields without a message of Kring's
  [
    /^Too small: expected string to have >=?(\d+) characters?$/,
    (n) => (n === '1' ? 'vul dit in' : `minstens ${n} tekens`),
  ],
  [/^Too big: expected string to have <=?(\d+) characters?$/, (n) => `hoogstens ${n} tekens`],
  [/^Too small: expected number to be >=?(-?[\d.]+)$/, (n) => `minstens ${n}`],
  [/^Too big: expected number to be <=?(-?[\d.]+)$/, (n) => `hoogstens ${n}`],
  [/^Too small: expected array to have >=?(\d+) items?$/, (n) => `kies er minstens ${n}`],
  [/^Too big: expected array to have <=?(\d+) items?$/, (n) => `hoogstens ${n}`],
  [/^Invalid option: .*$/, () => 'kies een van de mogelijkheden'],
  [/^Invalid input: expected (\w+), received undefined$/, () => 'vul dit in'],
  [/^Invalid email address$/, () => 'vul een e-mailadres in, zoals naam@voorbeeld.nl'],
  [/^Invalid ISO date$/, () => 'vul een datum in'],
  [/^Invalid URL$/, () => 'vul een webadres in, zoals https://…'],
  [/^Invalid input: expected number.*$/, () => 'vul een getal in'],
  [/^Invalid (input|string|UUID|number).*$/, () => 'ongeldige waarde'],
  [/^Unrecognized keys?: .*$/, () => 'onbekend veld'],
];

function toDutch(message: string): string {
  const exact = DUTCH[message];
  if (exact) return exact;
  for (const [pattern, dutch] of DUTCH_PATTERNS) {
    const match = pattern.exec(message);
    if (match) return dutch(...match.slice(1));
  }
  return message;
}

/**
 * The messages a parent's own forms can give (sign-in, the invitation, a new password, asking for
 * help, a request to correct), in the parents' other languages (`_fieldMessages` in each parents'
 * file, marked for a translator's check like the rest); any other message in Dutch.
 */
const PARENTS: Record<string, Record<string, string> | undefined> = {
  ar: ar._fieldMessages,
  tr: tr._fieldMessages,
  pl: pl._fieldMessages,
  uk: uk._fieldMessages,
};

/** A field message as the person reads it: in their language, Dutch where Kring has none. */
export function fieldMessageIn(language: string, message: string): string {
  if (language === 'en') return message;
  return PARENTS[language]?.[message] ?? toDutch(message);
}

/** Whether the catalogue has the Dutch for a message (for the test that every server message has it). */
export function hasDutch(message: string): boolean {
  return toDutch(message) !== message;
}

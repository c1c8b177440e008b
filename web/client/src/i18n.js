// @ts-check
// The page's two languages. Dutch is the default; every text the page shows
// comes from TEXT, and catalogue or legend fields are read in the chosen
// language with localized(). Pure, so that node tests can check it.

/** @typedef {'nl' | 'en'} Lang */

/** The languages the page speaks, default first. */
export const LANGS = /** @type {const} */ (['nl', 'en']);

const TEXT = {
  nl: {
    title: 'Wijkkaart — kansengelijkheid en inclusie per wijk',
    tagline: 'Kansengelijkheid en inclusie per wijk, naar herkomstgroep',
    langSwitch: 'EN',
    langSwitchLabel: 'Switch to English',
    group: 'Herkomstgroep',
    groupNote: 'Deze indicator gaat over het gebied als geheel en is niet uit te splitsen naar herkomstgroep.',
    indicator: 'Indicator',
    search: 'Zoek gemeente, wijk of buurt',
    gemeentePlaceholder: 'Typ een naam…',
    gemeenteHint: 'Kies een gemeente, wijk of buurt om daarheen te zoomen.',
    wholeCountry: 'Heel Nederland',
    wholeCountryTitle: 'Toon heel Nederland',
    level: 'Niveau',
    levelAuto: 'Automatisch (buurten waar wijken groot zijn)',
    levelBuurt: 'Buurt',
    levelWijk: 'Wijk',
    levelGemeente: 'Gemeente',
    year: 'Jaar',
    method: 'Klassenindeling',
    methodDefault: 'Natuurlijke grenzen',
    methodQuantile: 'Kwantielen',
    methodEqual: 'Gelijke intervallen',
    classCount: 'Klassen',
    classesDefault: 'standaard (5)',
    area: 'Gebied',
    areaNone: '— kies een gebied —',
    areaHint: 'Of klik op de kaart. Kies eerst een gemeente om haar gebieden hier te zien.',
    legend: 'Legenda',
    exportHeading: 'Meenemen',
    exportCSV: 'CSV',
    exportCSVLabel: 'CSV: de waarden op de kaart downloaden',
    exportPNG: 'PNG',
    exportPNGLabel: 'PNG: de kaart met legenda downloaden',
    areaCSVLabel: 'CSV: de cijfers per herkomstgroep van dit gebied downloaden',
    embedOpen: 'Deze kaart insluiten',
    embedTitle: 'Deze kaart insluiten',
    embedIntro: 'Plak deze code in de HTML van uw website.',
    embedHideGroup: 'Herkomstgroep verbergen',
    embedHideIndicator: 'Indicator verbergen',
    embedLock: 'Keuzes vastzetten (niet te wijzigen)',
    embedCode: 'Insluitcode',
    embedCopy: 'Kopiëren',
    embedCopied: 'Gekopieerd.',
    close: 'Sluiten',
    openFull: 'Open de volledige kaart',
    demoLabel: 'Demodata — geen echte CBS-cijfers',
    loading: 'Kaart laden…',
    loadFailed: 'Kaart kon niet geladen worden: {0}',
    dataFailed: 'De gegevens konden niet geladen worden: {0}',
    tileError: 'Fout bij laden: {0}',
    noGemeente: 'Geen gemeente, wijk of buurt gevonden voor “{0}”.',
    searchFailed: 'Zoeken mislukt: {0}',
    mapLabel: 'Kaart: {0}, {1}, per {2}',
    demoSuffix: ' (demodata)',
    gemeenteOf: 'Gemeente {0}',
    outsideGemeente: 'Buiten de gekozen gemeente',
    nlSameGroup: 'Nederland, zelfde herkomstgroep: {0}',
    provenance: 'Herkomst: {0}',
    compareOpen: 'Groepen naast elkaar',
    compareHint: 'Kies 2 tot 6 groepen: kleine kaarten die samen bewegen, met één legenda.',
    compareClose: 'Naast elkaar sluiten',
    compareHeading: '{0}: groepen naast elkaar',
    compareNote: 'Klassen (kwantielen) berekend over alle getoonde groepen.',
    compareMapLabel: 'Kaart: {0}, {1}',
    // Herkomst panel
    herkomstHeading: '{0}: alle herkomstgroepen',
    split: 'Indeling',
    closePanel: 'Paneel sluiten',
    compareWith: 'Vergelijk met',
    compareNone: '— geen ander gebied —',
    areasIn: 'Gebieden in {0}',
    gemeenten: 'Gemeenten',
    tableCaption: '{0} per herkomstgroep',
    colGroup: 'Herkomstgroep',
    colGemeente: 'Gemeente {0}',
    colNederland: 'Nederland',
    gemeenteMark: 'gemeente',
    nederlandMark: 'Nederland',
    panelLoading: 'Cijfers per herkomstgroep laden…',
    ofCounts: '{0} van {1}',
    // Statuses
    suppressed: 'geheim: minder dan {0} waarnemingen',
    noData: 'geen gegevens',
    noResidents: 'geen inwoners in deze groep',
    outside: 'buiten de gekozen gemeente',
    noValue: 'geen waarde ({0})',
    // Legend
    noLegend: 'Geen legenda beschikbaar.',
    classes: 'Klassen',
    lowValues: '↑ lage waarden: {0}',
    highValues: '↓ hoge waarden: {0}',
    noPublished: 'Geen gebied heeft een gepubliceerde waarde.',
    referenceDefault: 'Nederland, zelfde herkomstgroep',
    referenceMissing: 'Nederland, zelfde herkomstgroep: niet gepubliceerd',
    specials: 'Gebieden zonder klasse',
    area1: 'gebied',
    areaN: 'gebieden',
    whatMeans: 'Wat betekent dit cijfer?',
    numDen: 'Teller: {0}. Noemer: {1}.',
    whyNoJudgement: 'Waarom geen oordeel?',
    whyJudgement: 'Waarom gunstig of ongunstig?',
    figures: 'Cijfers: {0}',
    demoProvenance: 'demodata (geen echte CBS-cijfers)',
    // Exports
    csvColumns: ['code', 'naam', 'niveau', 'gemeente', 'indicator', 'herkomstgroep', 'jaar', 'waarde', 'teller', 'noemer', 'status', 'herkomst cijfer'],
  },
  en: {
    title: 'Wijkkaart — equal opportunities and inclusion by district',
    tagline: 'Equal opportunities and inclusion by district, by migration background',
    langSwitch: 'NL',
    langSwitchLabel: 'Naar het Nederlands',
    group: 'Migration background',
    groupNote: 'This indicator is about the area as a whole and cannot be split by migration background.',
    indicator: 'Indicator',
    search: 'Find a municipality, district or neighbourhood',
    gemeentePlaceholder: 'Type a name…',
    gemeenteHint: 'Choose a municipality, district or neighbourhood to zoom to it.',
    wholeCountry: 'Whole country',
    wholeCountryTitle: 'Show the whole of the Netherlands',
    level: 'Level',
    levelAuto: 'Automatic (neighbourhoods where districts are large)',
    levelBuurt: 'Neighbourhood',
    levelWijk: 'District',
    levelGemeente: 'Municipality',
    year: 'Year',
    method: 'Classification',
    methodDefault: 'Natural breaks',
    methodQuantile: 'Quantiles',
    methodEqual: 'Equal intervals',
    classCount: 'Classes',
    classesDefault: 'default (5)',
    area: 'Area',
    areaNone: '— choose an area —',
    areaHint: 'Or click the map. Choose a municipality first to list its areas here.',
    legend: 'Legend',
    exportHeading: 'Take it with you',
    exportCSV: 'CSV',
    exportCSVLabel: 'CSV: download the values on the map',
    exportPNG: 'PNG',
    exportPNGLabel: 'PNG: download the map with its legend',
    areaCSVLabel: 'CSV: download the figures by migration background of this area',
    embedOpen: 'Embed this map',
    embedTitle: 'Embed this map',
    embedIntro: 'Paste this code into the HTML of your website.',
    embedHideGroup: 'Hide the migration background picker',
    embedHideIndicator: 'Hide the indicator picker',
    embedLock: 'Lock the choices (cannot be changed)',
    embedCode: 'Embed code',
    embedCopy: 'Copy',
    embedCopied: 'Copied.',
    close: 'Close',
    openFull: 'Open the full map',
    demoLabel: 'Demo data — not real CBS figures',
    loading: 'Loading map…',
    loadFailed: 'The map could not be loaded: {0}',
    dataFailed: 'The data could not be loaded: {0}',
    tileError: 'Error while loading: {0}',
    noGemeente: 'No municipality, district or neighbourhood found for “{0}”.',
    searchFailed: 'Search failed: {0}',
    mapLabel: 'Map: {0}, {1}, by {2}',
    demoSuffix: ' (demo data)',
    gemeenteOf: 'Municipality {0}',
    outsideGemeente: 'Outside the chosen municipality',
    nlSameGroup: 'Netherlands, same group: {0}',
    provenance: 'Source: {0}',
    compareOpen: 'Groups side by side',
    compareHint: 'Choose 2 to 6 groups: small maps that move together, with one legend.',
    compareClose: 'Close side by side',
    compareHeading: '{0}: groups side by side',
    compareNote: 'Classes (quantiles) computed over all groups shown.',
    compareMapLabel: 'Map: {0}, {1}',
    herkomstHeading: '{0}: all migration background groups',
    split: 'Grouping',
    closePanel: 'Close panel',
    compareWith: 'Compare with',
    compareNone: '— no other area —',
    areasIn: 'Areas in {0}',
    gemeenten: 'Municipalities',
    tableCaption: '{0} by migration background',
    colGroup: 'Migration background',
    colGemeente: 'Municipality {0}',
    colNederland: 'Netherlands',
    gemeenteMark: 'municipality',
    nederlandMark: 'Netherlands',
    panelLoading: 'Loading figures by migration background…',
    ofCounts: '{0} of {1}',
    suppressed: 'suppressed: fewer than {0} observations',
    noData: 'no data',
    noResidents: 'no residents in this group',
    outside: 'outside the chosen municipality',
    noValue: 'no value ({0})',
    noLegend: 'No legend available.',
    classes: 'Classes',
    lowValues: '↑ low values: {0}',
    highValues: '↓ high values: {0}',
    noPublished: 'No area has a published value.',
    referenceDefault: 'Netherlands, same group',
    referenceMissing: 'Netherlands, same group: not published',
    specials: 'Areas without a class',
    area1: 'area',
    areaN: 'areas',
    whatMeans: 'What does this figure mean?',
    numDen: 'Numerator: {0}. Denominator: {1}.',
    whyNoJudgement: 'Why no judgement?',
    whyJudgement: 'Why favourable or unfavourable?',
    figures: 'Figures: {0}',
    demoProvenance: 'demo data (not real CBS figures)',
    csvColumns: ['code', 'name', 'level', 'municipality', 'indicator', 'migration background', 'year', 'value', 'numerator', 'denominator', 'status', 'source of figure'],
  },
};

/** @typedef {keyof typeof TEXT.nl} TextKey */

/** Returns lang when the page speaks it, else Dutch. */
export function langOf(/** @type {unknown} */ lang) {
  return /** @type {Lang} */ (LANGS.includes(/** @type {Lang} */ (lang)) ? lang : 'nl');
}

/**
 * The text for key in lang, with {0}, {1}, … replaced by args.
 * @param {Lang} lang
 * @param {Exclude<TextKey, 'csvColumns'>} key
 * @param {...(string | number)} args
 */
export function t(lang, key, ...args) {
  const s = /** @type {string} */ (TEXT[lang][key] ?? TEXT.nl[key]);
  return s.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

/** The CSV column names in lang. */
export function csvColumns(/** @type {Lang} */ lang) {
  return TEXT[lang].csvColumns;
}

/**
 * The field base_nl or base_en of a catalogue or legend object, falling back
 * to the Dutch one: localized(indicator, 'name', 'en').
 * @param {Record<string, any> | null | undefined} obj
 * @param {string} base
 * @param {Lang} lang
 * @returns {string}
 */
export function localized(obj, base, lang) {
  if (!obj) return '';
  return obj[`${base}_${lang}`] || obj[`${base}_nl`] || '';
}

/** The BCP 47 locale for number formatting in lang. */
export function localeOf(/** @type {Lang} */ lang) {
  return lang === 'en' ? 'en-GB' : 'nl-NL';
}

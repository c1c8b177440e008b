// @ts-check
// JSDoc types of the server's contracts the client reads: the catalogue
// (/api/indicators, /api/groups), areas (/api/areas), values (/api/values)
// and the legend (style metadata "wijkkaart:legend" and /api/legend; Go type
// styles.Legend in styles/legend.go). Types only: this module exports nothing
// at run time.

/**
 * @typedef {'percentage' | 'per1000' | 'count' | 'score' | 'years' | 'index'} Unit
 * @typedef {'ok' | 'suppressed' | 'no_data' | 'no_residents' | 'not_comparable'} Status
 * @typedef {'auto' | 'buurt' | 'wijk' | 'gemeente'} Level
 */

/**
 * An indicator of /api/indicators.
 * @typedef {object} Indicator
 * @property {string} id
 * @property {string} theme
 * @property {string} name_nl
 * @property {string} name_en
 * @property {Unit} unit
 * @property {'neutral' | 'lower_is_favourable' | 'higher_is_favourable' | string} polarity
 * @property {boolean} split_by_group
 * @property {number} decimals
 * @property {string} [numerator_nl]
 * @property {string} [numerator_en]
 * @property {string} [denominator_nl]
 * @property {string} [denominator_en]
 * @property {string} [explanation_nl]
 * @property {string} [explanation_en]
 * @property {string} [polarity_nl]
 * @property {string} [polarity_en]
 */

/**
 * @typedef {object} Theme
 * @property {string} id
 * @property {string} name_nl
 * @property {string} name_en
 * @property {boolean} [descriptive]
 */

/**
 * /api/indicators.
 * @typedef {object} IndicatorsAnswer
 * @property {Indicator[]} indicators
 * @property {Theme[]} themes
 * @property {number[]} years
 * @property {Record<string, unknown>} [levels] per level, the years with values and their boundary years
 * @property {{min_observations: number}} [disclosure]
 */

/**
 * A herkomstgroep of /api/groups; splits lists the splits it belongs to.
 * @typedef {object} Group
 * @property {string} id
 * @property {string} name_nl
 * @property {string} name_en
 * @property {string[]} splits
 * @property {string} [region]
 */

/**
 * @typedef {object} Split
 * @property {string} id
 * @property {string} name_nl
 * @property {string} name_en
 */

/**
 * /api/groups.
 * @typedef {object} GroupsAnswer
 * @property {Group[]} groups
 * @property {Split[]} splits
 */

/**
 * An area of /api/areas, or a row of /api/values (which adds the value).
 * @typedef {object} Area
 * @property {string} level
 * @property {string} code
 * @property {string} name
 * @property {string} [gemeente_code]
 * @property {string} [gemeente_name]
 * @property {[number, number, number, number]} [bbox] west, south, east, north in WGS84
 */

/**
 * A published value: numbers are absent, never zero, unless status is ok.
 * @typedef {Area & {status: Status, value?: number, numerator?: number, denominator?: number, provenance?: string}} ValueRow
 */

/**
 * /api/values?format=json.
 * @typedef {object} ValuesAnswer
 * @property {string} level
 * @property {string} indicator
 * @property {string} group
 * @property {number} year
 * @property {string} gemeente
 * @property {Unit} unit
 * @property {ValueRow} nederland
 * @property {ValueRow[]} values
 * @property {string} attribution
 */

/**
 * A value year with values at a level, and the boundary year of the areas
 * its values are given on (/api/indicators "levels").
 * @typedef {object} LevelYear
 * @property {number} year
 * @property {number | null} boundary_year
 */

/**
 * One year of /api/series: comparable is false where the area is not the
 * same extent as in the latest year.
 * @typedef {object} SeriesPoint
 * @property {number} year
 * @property {number | null} [value]
 * @property {number | null} [numerator]
 * @property {number | null} [denominator]
 * @property {Status | string} status
 * @property {string} [provenance]
 * @property {number | null} [boundary_year]
 * @property {boolean} comparable
 * @property {string} [code]
 * @property {string} [name]
 */

/**
 * /api/series: one area's values of one indicator and group over the value years.
 * @typedef {object} SeriesAnswer
 * @property {string} level
 * @property {string} code
 * @property {string} name
 * @property {string} indicator
 * @property {string} group
 * @property {Unit} unit
 * @property {SeriesPoint[]} series
 */

/**
 * The catalogue the page offers, loaded once.
 * @typedef {object} Catalog
 * @property {number[]} years
 * @property {Record<string, LevelYear[]>} levels per level, the years with values and their boundary years
 * @property {number} minObservations
 * @property {Theme[]} themes
 * @property {Indicator[]} indicators
 * @property {Split[]} splits
 * @property {Group[]} groups
 * @property {Area[]} gemeenten
 */

/**
 * @typedef {object} LegendClass
 * @property {number} min
 * @property {number} max
 * @property {string} color
 * @property {string} label_nl
 * @property {string} label_en
 * @property {number} count
 * @property {'favourable' | 'unfavourable' | string} [side]
 */

/**
 * @typedef {object} LegendSpecial
 * @property {string} status
 * @property {string} color
 * @property {string} outline
 * @property {boolean} dashed
 * @property {boolean} dotted
 * @property {string} label_nl
 * @property {string} label_en
 * @property {number | null} count
 */

/**
 * @typedef {object} LegendReference
 * @property {number} value
 * @property {string} value_label_nl
 * @property {string} value_label_en
 * @property {string} label_nl
 * @property {string} label_en
 */

/**
 * The legend of a style (styles.Legend); title and compare only on a change map.
 * @typedef {object} Legend
 * @property {string} [title_nl]
 * @property {string} [title_en]
 * @property {number} [compare] the base year of a change map
 * @property {{id: string, name_nl: string, name_en: string, unit: Unit, unit_nl?: string, unit_en?: string, decimals: number, polarity: string, polarity_nl?: string, polarity_en?: string}} indicator
 * @property {{id: string, name_nl: string, name_en: string}} group
 * @property {number} year
 * @property {string} level
 * @property {{type: string, code?: string, name?: string}} scope
 * @property {string} method
 * @property {string} kind
 * @property {string} palette
 * @property {{low_nl: string, low_en: string, high_nl: string, high_en: string}} [ends]
 * @property {LegendClass[]} classes
 * @property {LegendReference | null} reference
 * @property {LegendSpecial[]} specials
 * @property {{sources: string[], note_nl?: string, note_en?: string}} provenance
 * @property {{nl: string, en: string}[]} notes
 * @property {string} attribution
 */

export {};

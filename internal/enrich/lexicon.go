package enrich

// The closed-class words the heuristics lean on, English and Spanish
// together (articles mix them: an English text quotes "la Secretaría de
// Relaciones Exteriores"). No names of people, organisations or places are
// listed: gazetteers go stale and miss most of what news is about, while
// these words are few and do not change.

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// roleHeads are nouns that name an office or job; a name beside one is a
// person holding it. Keys are lower case.
var roleHeads = set(
	"president", "vice-president", "secretary", "minister", "chancellor", "ambassador", "advisor", "adviser",
	"senator", "governor", "mayor", "spokesman", "spokeswoman", "spokesperson", "director", "chief", "leader",
	"king", "queen", "prince", "princess", "general", "commissioner", "judge", "prosecutor", "attorney", "deputy",
	"congressman", "congresswoman", "representative", "lawmaker", "candidate", "ceo", "chairman", "chairwoman",
	"founder", "coach", "head", "premier", "envoy", "commander", "officer", "mr", "mrs", "ms", "dr", "pope", "bishop",
	"cardinal", "sheriff", "superintendent", "inspector", "colonel", "captain", "sergeant", "rapporteur", "economist",
	"analyst", "researcher", "professor", "activist", "lawyer", "expert", "dictator",
	"presidente", "presidenta", "vicepresidente", "vicepresidenta", "secretario", "secretaria", "ministro", "ministra",
	"canciller", "embajador", "embajadora", "asesor", "asesora", "senador", "senadora", "gobernador", "gobernadora",
	"alcalde", "alcaldesa", "portavoz", "vocero", "vocera", "directora", "jefe", "jefa", "líder", "rey", "reina",
	"príncipe", "princesa", "comisionado", "comisionada", "juez", "jueza", "fiscal", "diputado", "diputada",
	"congresista", "legislador", "legisladora", "candidato", "candidata", "fundador", "fundadora", "entrenador",
	"titular", "mandatario", "mandataria", "comandante", "primer", "primera", "sr", "sra", "papa", "obispo",
	"coordinador", "coordinadora", "gerente", "investigador", "investigadora", "profesor", "profesora",
	"activista", "abogado", "abogada", "experto", "experta", "economista", "analista", "dictador", "consejero",
	"consejera", "subsecretario", "subsecretaria", "magistrado", "magistrada", "procurador", "procuradora",
	"integrante", "miembro", "member", "convencional", "vocal", "delegado", "delegada", "delegate",
)

// roleModifiers may stand before a role head inside the role ("former
// minister", "ex presidente").
var roleModifiers = set(
	"former", "ex", "ex-", "then", "acting", "interim", "new", "current", "outgoing", "incoming", "deputy", "vice",
	"prime", "foreign", "top", "chief", "senior", "general", "attorney",
	"expresidente", "exministro", "actual", "nuevo", "nueva", "interino", "interina", "saliente", "entrante",
	"primer", "primera", "vice", "sub", "alto", "alta",
)

// orgHeads are nouns that make a capitalised phrase an organisation.
var orgHeads = set(
	"ministry", "secretariat", "department", "government", "congress", "senate", "parliament", "party", "bank",
	"university", "council", "commission", "agency", "court", "police", "army", "navy", "customs", "protection",
	"office", "committee", "union", "association", "federation", "foundation", "institute", "company", "corporation",
	"inc", "ltd", "group", "organization", "organisation", "administration", "authority", "service", "services",
	"fund", "board", "tribunal", "assembly", "guard", "forces", "church", "cabinet", "embassy", "consulate",
	"network", "agency", "press", "news", "times", "post", "coalition", "alliance", "front", "movement", "league",
	"club", "team", "airlines", "bureau", "patrol", "media", "capital", "productions", "finals", "cup", "championship",
	"podcast", "directorate", "holdings", "partners", "ventures", "studios", "records", "entertainment",
	"technologies", "robotics", "labs", "co", "corp", "llc", "herald", "tribune", "gazette", "journal", "insider",
	"magazine", "investment", "investments",
	"ministerio", "secretaría", "departamento", "gobierno", "congreso", "senado", "parlamento", "partido", "banco",
	"universidad", "consejo", "comisión", "agencia", "corte", "tribunal", "policía", "ejército", "armada", "aduanas",
	"oficina", "comité", "unión", "asociación", "federación", "fundación", "instituto", "empresa", "compañía",
	"grupo", "organización", "administración", "autoridad", "servicio", "fondo", "junta", "asamblea", "guardia",
	"fuerzas", "iglesia", "gabinete", "embajada", "consulado", "cámara", "coalición", "alianza", "frente",
	"movimiento", "liga", "sindicato", "fiscalía", "procuraduría", "cancillería", "presidencia", "diario",
	"periódico", "ayuntamiento", "familiares", "operación", "industrias", "revista", "radio", "canal", "municipalidad", "defensoría", "contraloría", "registraduría", "patrulla",
)

// placeHeads are nouns that make a capitalised phrase a place.
var placeHeads = set(
	"palace", "city", "street", "avenue", "square", "river", "lake", "mountain", "mountains", "island", "islands",
	"county", "province", "state", "states", "region", "valley", "bay", "sea", "ocean", "gulf", "coast", "desert",
	"jungle", "park", "airport", "port", "bridge", "district", "kingdom", "republic", "emirates", "peninsula",
	"border", "canal", "plaza", "hospital", "stadium", "capitol",
	"palacio", "ciudad", "calle", "avenida", "río", "lago", "montaña", "isla", "islas", "condado", "provincia",
	"estado", "estados", "región", "valle", "bahía", "mar", "océano", "golfo", "costa", "desierto", "selva",
	"parque", "aeropuerto", "puerto", "puente", "distrito", "reino", "república", "península", "frontera",
	"municipio", "departamento", "comuna", "barrio", "colonia", "estadio",
)

// placeModifiers make a two-word capitalised phrase a place ("South
// America", "Centroamérica" is one word and not needed).
var placeModifiers = set(
	"north", "south", "east", "west", "central", "latin", "northern", "southern", "eastern", "western", "new",
	"norte", "sur", "este", "oeste", "nueva", "nuevo", "san", "santa", "santo", "los", "las", "el", "la",
)

// placePrepositions put a place after them ("in Mexico", "desde Tapachula").
var placePrepositions = set(
	"in", "at", "from", "to", "into", "near", "across", "via", "toward", "towards", "through",
	"en", "desde", "hacia", "hasta", "a", "cerca", "rumbo", "vía",
)

// institutionWords are the objects of offices ("Secretary of State",
// "secretario de Relaciones Exteriores"): inside a role, never a name.
var institutionWords = set(
	"state", "security", "homeland", "defense", "defence", "affairs", "foreign", "national", "interior", "justice",
	"health", "economy", "finance", "treasury", "education", "relations", "trade", "commerce", "energy", "labor",
	"labour", "agriculture", "environment", "public", "internal", "government", "republic", "navy", "war", "culture",
	"tourism", "transport", "transportation", "communications", "development", "welfare", "housing", "migration",
	"immigration", "nations", "united", "general", "staff", "council", "house", "white", "senate", "congress",
	"chamber", "deputies", "representatives", "supreme", "federal", "central", "bank", "police",
	"estado", "seguridad", "defensa", "exteriores", "relaciones", "nacional", "interior", "justicia", "salud",
	"economía", "hacienda", "educación", "comercio", "energía", "trabajo", "agricultura", "ambiente", "medio",
	"pública", "público", "ciudadana", "gobernación", "marina", "guerra", "cultura", "turismo", "transporte",
	"comunicaciones", "desarrollo", "bienestar", "vivienda", "migración", "república", "exterior", "gobierno",
	"unidas", "naciones", "general", "cámara", "diputados", "senado", "suprema", "federal", "banco", "central",
	"policía", "mujeres", "infraestructura", "social",
)

// connectors may join capitalised words inside one name or title
// ("Secretary of State", "Luis de la Fuente").
var connectors = set("of", "de", "del", "la", "las", "los", "el", "for", "and", "y", "the", "van", "von", "da", "di",
	"do", "dos", "das", "e", "le", "du", "bin", "al")

// roleConnectors may also join the words of an office ("embajador de
// México en Estados Unidos", "ambassador to Mexico").
var roleConnectors = set("of", "de", "del", "la", "las", "los", "el", "for", "the", "para", "to", "en", "ante", "in")

// capitalisedFunctionWords start sentences or titles without being names.
var capitalisedFunctionWords = set(
	"the", "a", "an", "in", "on", "at", "of", "for", "to", "from", "with", "by", "and", "but", "or", "as", "if",
	"this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "his", "her", "their",
	"our", "my", "meanwhile", "before", "after", "however", "furthermore", "moreover", "also", "while", "when",
	"where", "what", "who", "why", "how", "there", "here", "then", "so", "yet", "although", "though", "since",
	"until", "during", "about", "according", "last", "next", "today", "yesterday", "tomorrow", "on", "some",
	"many", "most", "more", "all", "both", "each", "every", "no", "not", "one", "two", "three", "first",
	"source", "share", "look", "more", "read", "see", "watch", "photo", "video", "is", "are", "was", "were",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
	"november", "december", "mr", "mrs", "ms", "dr",
	"el", "la", "los", "las", "un", "una", "unos", "unas", "en", "de", "del", "con", "por", "para", "y", "o",
	"pero", "si", "este", "esta", "estos", "estas", "ese", "esa", "eso", "esto", "aquel", "él", "ella", "ellos",
	"ellas", "nosotros", "su", "sus", "mientras", "antes", "después", "sin", "sobre", "además", "también",
	"cuando", "donde", "qué", "quién", "cómo", "así", "aunque", "desde", "hasta", "durante", "según", "ayer",
	"hoy", "mañana", "algunos", "muchos", "todos", "cada", "no", "ni", "al", "lo", "le", "les", "se", "fuente",
	"lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
	"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
	"octubre", "noviembre", "diciembre", "sr", "sra", "dr", "dra", "mira", "lee", "leer", "ver", "más",
	"información", "noticias", "relacionado", "relacionada", "compartir", "foto", "video", "vídeo",
	"later", "earlier", "now", "within", "without", "among", "despite", "welcome", "questioning", "asked", "still", "instead", "again", "finally", "thus", "therefore", "nevertheless",
	"luego", "entonces", "ahora", "todavía", "aún", "finalmente", "sin embargo", "asimismo", "igualmente",
	"look", "here", "information", "related", "also", "breaking", "update", "live", "opinion", "editorial",
)

// speechVerbs attribute a quote to a speaker.
var speechVerbs = set(
	"said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "declared", "explained", "noted",
	"asserted", "insisted", "commented", "comments", "warned", "affirmed", "assured", "stressed", "argued",
	"claimed", "replied", "responded", "answered", "announced", "wrote", "posted", "published", "tweeted",
	"acknowledged", "admitted", "emphasized", "emphasised", "underlined", "recalled", "remarked", "observed",
	"pointed", "continued", "concluded", "maintained", "promised", "vowed", "asked", "urged", "reported",
	"dijo", "dice", "afirmó", "afirma", "aseguró", "asegura", "declaró", "declara", "señaló", "señala", "explicó",
	"explica", "indicó", "indica", "añadió", "añade", "agregó", "agrega", "sostuvo", "sostiene", "subrayó",
	"advirtió", "advierte", "comentó", "comenta", "insistió", "insiste", "expresó", "expresa", "manifestó",
	"destacó", "destaca", "apuntó", "precisó", "puntualizó", "enfatizó", "recalcó", "reiteró", "afirmaron",
	"dijeron", "publicó", "escribió", "tuiteó", "informó", "anunció", "respondió", "contestó", "admitió",
	"reconoció", "recordó", "planteó", "aclaró", "concluyó", "prometió", "pidió", "denunció", "criticó",
	"opinó", "consideró", "estimó", "remarcó", "detalló", "sentenció", "lamentó", "celebró",
)

// accordingTo words put the speaker after them ("según López Obrador").
var accordingTo = set("según", "segun", "according")

// pronouns stand for the last person named.
var pronouns = set("he", "she", "they", "él", "ella", "ellos", "ellas")

// qualifiers stand before a figure ("more than 2.2 million"), longest
// first within each language.
var qualifiers = []string{
	"a little more than", "slightly more than", "no fewer than", "no less than", "more than", "less than",
	"fewer than", "at least", "at most", "up to", "as many as", "as much as", "close to", "nearly", "almost",
	"around", "about", "roughly", "approximately", "some", "over", "under", "just over", "just under", "only",
	"un poco más de", "poco más de", "poco menos de", "más de", "menos de", "al menos", "por lo menos", "hasta",
	"cerca de", "alrededor de", "casi", "unos", "unas", "aproximadamente", "apenas", "solo", "sólo", "sobre",
}

// months, English and Spanish, for periods and for telling dates from
// figures.
var months = set("january", "february", "march", "april", "may", "june", "july", "august", "september",
	"october", "november", "december", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
	"septiembre", "setiembre", "octubre", "noviembre", "diciembre",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")

// unitStop are words that follow a number without being what it counts.
var unitStop = set("the", "a", "an", "and", "or", "in", "on", "at", "to", "for", "from", "by", "with", "that",
	"which", "who", "was", "were", "is", "are", "of", "than", "per", "this", "these", "his", "her", "their",
	"el", "la", "los", "las", "un", "una", "y", "o", "en", "a", "al", "para", "por", "con", "que", "fue", "es",
	"son", "de", "del", "se", "su", "sus", "este", "esta", "años", "year", "years", "ago")

// abbreviations end with a dot that does not end the sentence.
var abbreviations = set("mr", "mrs", "ms", "dr", "sr", "sra", "srta", "dra", "st", "gen", "lt", "gov", "sen", "rep",
	"prof", "lic", "ing", "col", "cap", "no", "núm", "vs", "etc", "jr", "u.s", "ee.uu", "e.e.u.u", "u.k", "p")

// determiners open a noun phrase and are not part of a role.
var determiners = set("the", "a", "an", "el", "la", "los", "las", "un", "una", "his", "her", "its", "their",
	"su", "sus", "this", "that", "este", "esta")

// conjunctions join list items; an apposition never starts with one.
var conjunctions = set("and", "or", "but", "y", "e", "o", "u", "pero", "ni")

// strongPlacePrepositions put a place after them even before two or three
// capitalised words ("in South Sudan", "desde Ciudad Juárez").
var strongPlacePrepositions = set("in", "from", "en", "desde")

// governments name a person's government ("Gobierno de Joe Biden").
var governments = set("government", "administration", "cabinet", "gobierno", "administración", "gabinete")

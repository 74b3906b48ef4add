package translate

// languageNames are English names of the languages newsdesk is likely to meet.
var languageNames = map[string]string{
	"es": "Spanish", "en": "English", "fr": "French", "de": "German", "it": "Italian",
	"pt": "Portuguese", "ca": "Catalan", "gl": "Galician", "eu": "Basque", "nl": "Dutch",
	"ru": "Russian", "uk": "Ukrainian", "pl": "Polish", "ar": "Arabic", "zh": "Chinese",
	"ja": "Japanese", "ko": "Korean", "ro": "Romanian", "sv": "Swedish", "da": "Danish",
	"nb": "Norwegian Bokmål", "tr": "Turkish", "el": "Greek", "hi": "Hindi", "oc": "Occitan",
}

// LanguageName is the English name of an ISO 639-1 code, or the code.
func LanguageName(code string) string {
	if n := languageNames[code]; n != "" {
		return n
	}
	return code
}

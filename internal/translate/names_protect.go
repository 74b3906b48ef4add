package translate

import (
	"regexp"
	"strings"
)

// Person names must come out as written, but a rule-based engine translates
// the ones that are also words: "Luisa María Alcalde" becomes "Luisa María
// Mayor", "Blanca Paloma Rosales" "Blanca Paloma Rosebushes". A run of
// capitalised words that starts with a common given name is taken for a
// person's name and protected whole. (Organisation and place names are
// left to the engine and the glossary: "Palacio Nacional" should become
// "National Palace".)

var givenNames = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`
Adriana Agustín Alberto Alejandra Alejandro Alfonso Alfredo Alicia Álvaro Amparo Ana Andrea Andrés Ángel Ángela Antonio
Anthony Ariana Arturo Beatriz Begoña Blanca Boris Bruno Camila Carla Carlos Carmen Carolina Catalina Cecilia Clara
Claudia Concepción Consuelo Cristina Cristóbal Daniel Daniela David Diana Diego Dolores Eduardo Elena Elisa Elizabeth
Emilio Emma Enrique Ernesto Esperanza Esteban Eugenia Eva Fátima Federico Felipe Fernanda Fernando Francisco Gabriel
Gabriela Gerardo Gloria Gonzalo Graciela Guadalupe Guillermo Gustavo Héctor Hugo Ignacio Inés Irene Isabel Ismael
Jaime Javier Jesús Joaquín Jorge José Josefa Juan Juana Julia Julián Julio Laura Leonardo Leticia Lorena Lourdes
Lucía Luis Luisa Luz Manuel Manuela Marcelo Marco Marcos Margarita María Mariana Marina Mario Marta Martín Mercedes
Miguel Milagros Mónica Natalia Nicolás Nieves Nuria Óscar Pablo Paloma Paola Patricia Paula Pedro Pilar Rafael Ramón
Raquel Raúl Remedios Ricardo Roberto Rocío Rodrigo Rosa Rosario Salvador Samuel Santiago Sara Sebastián Sergio Silvia
Sofía Soledad Susana Teresa Tomás Valentina Verónica Vicente Víctor Virginia Ximena Yolanda
Alan Alexander Alice Amy Andrew Angela Barbara Ben Bill Bob Brett Charles Chris Christopher Dan Donald Edward Emily
Emmanuel Frank George Hillary James Jane Jean Jennifer Jessica Joe John Joseph Justin Kamala Karen Kate Ken Kevin
Linda Lisa Mark Mary Michael Michelle Mike Nancy Olaf Paul Peter Richard Robert Sarah Steve Steven Susan Theresa Thomas
Tom Vladimir Volodímir Volodymyr Xi William Angela Giorgia Jair Lula Gustavo Nayib Dina Claudia Marcelo`) {
		givenNames[n] = true
	}
}

// reNameRun is a run of capitalised words, with the particles names use.
var reNameRun = regexp.MustCompile(`\p{Lu}[\p{L}'’-]*(?:\s+(?:(?:de|del|de la|de los|van|von|da|dos|di|y)\s+)?\p{Lu}[\p{L}'’-]*)+`)

// findNames returns the person names in s.
func findNames(s string) []span {
	var spans []span
	for _, m := range reNameRun.FindAllStringIndex(s, -1) {
		run := s[m[0]:m[1]]
		// "y" joins two names (or a place and a name): judge each alone.
		for _, part := range splitNameRun(run) {
			name := run[part[0]:part[1]]
			first := name
			if i := strings.IndexFunc(name, func(r rune) bool { return r == ' ' || r == '\u00a0' }); i > 0 {
				first = name[:i]
			} else {
				continue // a lone given name may be a word (Blanca, Rosa)
			}
			if givenNames[first] {
				spans = append(spans, span{m[0] + part[0], m[0] + part[1], name})
			}
		}
	}
	return spans
}

// splitNameRun cuts "Luisa María Alcalde y Rosa Icela Rodríguez" at " y ".
func splitNameRun(run string) [][2]int {
	var out [][2]int
	start := 0
	for {
		i := strings.Index(run[start:], " y ")
		if i < 0 {
			break
		}
		out = append(out, [2]int{start, start + i})
		start += i + len(" y ")
	}
	return append(out, [2]int{start, len(run)})
}

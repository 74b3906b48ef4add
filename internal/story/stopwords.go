package story

import "strings"

// stopwords are English and Spanish function words, plus the calendar
// words that are capitalised without being names. Written out here because
// the lists are short and must match the folded (accent-free, lower-case)
// form the tokenizer produces.
var stopwords = func() map[string]bool {
	const en = `a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours ourselves
out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours yourself yourselves said says say told according
one two three four five six seven eight nine ten first second last new year years day days week
weeks time people mr mrs ms dr st http https www com html htm php asp org net news index article
updated am pm et est edt gmt utc ap reuters afp efe upi via photo video image copyright rights
reserved share tweet email print comments comment read more`
	const es = `el la los las un una unos unas de del al a ante bajo con contra desde en entre hacia
hasta para por segun sin sobre tras y e o u ni que como cuando donde quien quienes cual cuales cuyo
este esta estos estas ese esa esos esas aquel aquella aquellos aquellas lo le les se su sus mi mis tu
tus nuestro nuestra nos ellos ellas el ella yo usted ustedes es son fue fueron ser sido siendo era
eran ha han habia habian haber hay esta estan estaba estaban estar muy mas menos tambien ya no si
pero sino porque pues asi solo otro otra otros otras todo toda todos todas mismo misma dijo dice
segun ano anos dia dias semana semanas vez veces uno dos tres cuatro cinco seis siete ocho nueve diez
primer primero primera sr sra de la del actualizo`
	const calendar = `monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december jan feb mar apr jun jul aug sep sept
oct nov dec lunes martes miercoles jueves viernes sabado domingo enero febrero marzo abril mayo junio
julio agosto septiembre setiembre octubre noviembre diciembre today yesterday tomorrow tonight hoy
ayer manana`
	m := map[string]bool{}
	for _, list := range []string{en, es, calendar} {
		for _, w := range strings.Fields(list) {
			m[w] = true
		}
	}
	return m
}()

func isStopword(w string) bool { return stopwords[w] }

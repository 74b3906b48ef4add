El presidente de México y el secretario de Estado de Estados Unidos se reunieron este miércoles en el Palacio Nacional.
La reunión, convocada de urgencia, ocurre en medio del avance de una caravana de más de seis mil migrantes.
Los dos gobiernos buscan acordar medidas que permitan un tránsito ordenado por la frontera sur.
El mandatario insistió durante su conferencia de prensa matutina en que el Congreso debe invertir en atender las causas de la migración.
Según fuentes consultadas, no habrá mensajes públicos de los líderes al término del encuentro.
La cita tuvo lugar en privado, a diferencia de otras visitas en las que hay declaraciones a la prensa.
Las autoridades confirmaron el martes la llegada de más de dos millones de migrantes entre enero y noviembre.
La caravana salió en Nochebuena con casi diez mil personas, la más grande del año.
El ministro de Defensa y la secretaria de Seguridad también participaron en la reunión.
La delegación estadounidense incluye al asesor presidencial para la seguridad nacional y al embajador en México.
Los alcaldes de las ciudades fronterizas pidieron más recursos para atender a las familias que llegan cada día.
El precio de los alimentos subió un tres por ciento en el último trimestre, según el instituto de estadística.
Los agricultores temen que la sequía reduzca la cosecha de maíz por segundo año consecutivo.
El equipo local ganó el partido del domingo por dos goles a uno ante un estadio lleno.
El entrenador dijo que sus jugadores mostraron carácter en los últimos minutos del encuentro.
La policía detuvo a tres sospechosos después de un robo en una joyería del centro de la ciudad.
Los vecinos aseguraron que escucharon disparos poco antes de la medianoche.
El parlamento aprobó una ley que obliga a las empresas a publicar la diferencia salarial entre hombres y mujeres.
La oposición criticó la medida porque, a su juicio, no incluye sanciones suficientes.
Los científicos descubrieron una nueva especie de rana en la selva tropical del sur del país.
El hallazgo fue publicado en una revista internacional y podría ayudar a proteger la región.
La compañía anunció que abrirá una nueva fábrica que creará cientos de puestos de trabajo.
Los sindicatos celebraron el anuncio, aunque pidieron garantías sobre las condiciones laborales.
Las lluvias torrenciales provocaron inundaciones en varias localidades de la costa este fin de semana.
Los servicios de emergencia evacuaron a decenas de familias y abrieron refugios temporales.

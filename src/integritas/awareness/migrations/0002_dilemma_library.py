"""The library of integrity dilemmas, written for Integritas: situations from the daily
work of a Dutch municipality, tagged by theme and vulnerable activity (seed 2.1, 5.1).
Loaded on every fresh install; re-running changes nothing (update_or_create by slug)."""

from django.db import migrations

# (slug, title, situation, question, theme, vulnerable activity or "")
DILEMMAS = [
    (
        "vergunning-buurman",
        "De aanvraag van de buurman",
        "U behandelt omgevingsvergunningen. Op uw stapel ligt de aanvraag voor een dakkapel "
        "van uw directe buurman, met wie u al jaren goed contact hebt. De aanvraag is "
        "eenvoudig en voldoet volgens u aan alle regels.",
        "Handelt u de aanvraag zelf af, of geeft u hem door aan een collega?",
        "conflict_of_interest",
        "verlenen",
    ),
    (
        "kerstpakket-aannemer",
        "Het kerstpakket van de aannemer",
        "Half december staat er bij de receptie een groot kerstpakket voor u, van de aannemer "
        "die het onderhoud van de gemeentelijke sportvelden uitvoert. U bent de "
        "contractbeheerder van dat onderhoud. De waarde schat u op zo'n 75 euro.",
        "Wat doet u met het pakket, en wat zegt u tegen de aannemer?",
        "gifts",
        "uitbesteden",
    ),
    (
        "lunch-na-aanbesteding",
        "Een lunch na de aanbesteding",
        "De aanbesteding voor nieuwe kantoormeubelen is net gegund. De winnende leverancier "
        "nodigt het hele inkoopteam uit voor een lunch 'om kennis te maken'. Over een half "
        "jaar volgt een nieuwe aanbesteding waarin deze leverancier waarschijnlijk weer "
        "meedoet.",
        "Gaat het team in op de uitnodiging?",
        "gifts",
        "uitbesteden",
    ),
    (
        "handhaving-sportschool",
        "Controle bij uw eigen sportschool",
        "U bent toezichthouder. Volgende week staat een controle op de brandveiligheid gepland "
        "bij de sportschool waar u drie keer per week traint. De eigenaar kent u bij naam en "
        "heeft u eens een gratis personal training gegeven.",
        "Voert u de controle uit? Wat meldt u, en aan wie?",
        "conflict_of_interest",
        "handhaven",
    ),
    (
        "parkeerboete-wethouder",
        "De auto van de wethouder",
        "Als handhaver ziet u de auto van een wethouder op een invalidenparkeerplaats staan, "
        "zonder kaart. Een collega zegt: 'Laat maar, dat geeft alleen gedoe.'",
        "Schrijft u de bon uit?",
        "loyalty",
        "handhaven",
    ),
    (
        "uitkering-kennis",
        "Een bekende aan de balie",
        "U werkt bij Werk en Inkomen. Een oud-klasgenoot vraagt een bijstandsuitkering aan en "
        "komt bij u aan de balie. Hij vraagt of u 'er even goed naar wilt kijken'.",
        "Hoe gaat u hiermee om, en wie vertelt u het?",
        "conflict_of_interest",
        "uitkeren",
    ),
    (
        "bijverdienste-bijstand",
        "Een signaal over bijverdiensten",
        "Tijdens een huisbezoek ziet u aanwijzingen dat een cliënt zwart bijverdient. Hij is "
        "alleenstaande vader en redt het nauwelijks. Melden betekent waarschijnlijk een "
        "terugvordering.",
        "Wat doet u met wat u hebt gezien?",
        "loyalty",
        "uitkeren",
    ),
    (
        "kasverschil",
        "Het kasverschil van vijf euro",
        "Aan het eind van de dag klopt de kas van de publieksbalie niet: er is vijf euro "
        "te weinig. Een collega stelt voor het uit eigen zak bij te leggen: 'Dat is sneller "
        "dan een formulier.'",
        "Legt u het bij, of meldt u het verschil?",
        "resources",
        "geld",
    ),
    (
        "leges-kwijtschelden",
        "Leges voor een goed doel",
        "Een lokale vereniging organiseert een inzamelingsactie voor het ziekenhuis en vraagt "
        "of de leges voor de evenementenvergunning 'dit keer niet' hoeven. U vindt het een "
        "sympathiek initiatief en u kunt de factuur eenvoudig op nul zetten.",
        "Mag u dat? Wie beslist hierover?",
        "resources",
        "innen",
    ),
    (
        "belastingaanslag-familie",
        "De WOZ-waarde van uw zus",
        "U werkt bij Belastingen. Uw zus vraagt of u 'even kunt kijken' waarom haar WOZ-waarde "
        "zo hoog is, en of u bezwaar voor haar kunt regelen.",
        "Wat antwoordt u haar?",
        "conflict_of_interest",
        "innen",
    ),
    (
        "grondprijs-vriend",
        "Grond voor een vriend",
        "U bent betrokken bij de verkoop van een strook gemeentegrond. Een goede vriend wil "
        "die grond kopen en vraagt u wat de gemeente 'ongeveer wil hebben'.",
        "Wat vertelt u hem, en wat doet u met uw betrokkenheid?",
        "conflict_of_interest",
        "vastgoed",
    ),
    (
        "makelaar-nevenfunctie",
        "Makelaar in het weekend",
        "Een collega van Vastgoed vertelt dat hij in het weekend als zelfstandig makelaar "
        "werkt, 'alleen buiten de gemeente'. Hij heeft dit niet gemeld.",
        "Wat zegt u tegen hem? Is dit een nevenwerkzaamheid die gemeld moet worden?",
        "side_activities",
        "vastgoed",
    ),
    (
        "bestemmingsplan-vooraf",
        "Vooraf weten van het bestemmingsplan",
        "U werkt aan een nieuw bestemmingsplan dat een weiland tot bouwgrond maakt. Uw "
        "schoonvader heeft een stuk grond ernaast en vraagt op een verjaardag of 'er nog "
        "iets speelt in die hoek'.",
        "Wat zegt u, en wat doet u daarna?",
        "information",
        "informatie",
    ),
    (
        "brp-nieuwsgierig",
        "Even opzoeken in de BRP",
        "U hebt toegang tot de Basisregistratie Personen. Uw nieuwe buren zijn gisteren "
        "ingetrokken en de hele straat vraagt zich af wie het zijn. Een collega zegt: 'Kijk "
        "even, jij kunt dat toch zien.'",
        "Zoekt u het op?",
        "information",
        "informatie",
    ),
    (
        "usb-stick-trein",
        "Het dossier in de trein",
        "U wilt thuis verder werken aan een jeugdhulpdossier. Inloggen op afstand werkt "
        "vandaag niet. Een collega raadt aan het dossier op een USB-stick te zetten.",
        "Doet u dat? Wat zijn de alternatieven?",
        "information",
        "informatie",
    ),
    (
        "wachtwoord-delen",
        "Het wachtwoord van de collega",
        "Een collega is ziek en heeft een belangrijk besluit in haar mailbox staan. Ze belt "
        "en biedt aan haar wachtwoord te geven zodat u het kunt doorsturen.",
        "Neemt u het aanbod aan?",
        "information",
        "informatie",
    ),
    (
        "pers-bellen",
        "Een journalist aan de lijn",
        "Een journalist van de regionale krant belt u rechtstreeks over een gevoelig "
        "raadsvoorstel dat nog niet openbaar is. Hij weet al veel en vraagt u alleen te "
        "bevestigen wat hij heeft.",
        "Wat zegt u, en wie informeert u?",
        "information",
        "informatie",
    ),
    (
        "laptop-prive",
        "De laptop van de zaak",
        "Uw kinderen hebben thuis geen computer voor hun huiswerk. De gemeentelijke laptop "
        "staat 's avonds toch ongebruikt op tafel.",
        "Mogen uw kinderen hem gebruiken?",
        "resources",
        "goederen",
    ),
    (
        "materiaal-gemeentewerf",
        "Restmateriaal op de gemeentewerf",
        "Op de gemeentewerf ligt een stapel oude stoeptegels die 'toch weg moeten'. Een "
        "collega neemt er een aanhangwagen vol van mee voor zijn eigen tuin en zegt dat "
        "iedereen dat doet.",
        "Wat vindt u hiervan, en wat doet u?",
        "resources",
        "goederen",
    ),
    (
        "tankpas",
        "De tankpas van de dienstauto",
        "U rijdt in een dienstauto met een tankpas. Op vrijdagmiddag staat u bij de pomp en "
        "bedenkt u dat uw eigen auto ook bijna leeg is; de jerrycan ligt in de achterbak.",
        "Wat houdt u tegen, en wat zou u doen als u het een collega zag doen?",
        "resources",
        "goederen",
    ),
    (
        "inhuur-oud-collega",
        "Een oud-collega inhuren",
        "U zoekt snel een tijdelijke projectleider. Een oud-collega die nu zzp'er is, is "
        "beschikbaar en goed. Een offerte bij anderen opvragen kost weken.",
        "Huurt u haar direct in?",
        "conflict_of_interest",
        "uitbesteden",
    ),
    (
        "offerte-opknippen",
        "De opdracht opknippen",
        "Een opdracht komt net boven de grens waarboven u meerdere offertes moet vragen. "
        "Een collega stelt voor hem in twee delen te knippen, 'dan is het veel sneller rond'.",
        "Wat doet u?",
        "loyalty",
        "uitbesteden",
    ),
    (
        "subsidie-eigen-club",
        "Subsidie voor uw eigen vereniging",
        "U beoordeelt subsidieaanvragen voor sport. De voetbalclub waar u penningmeester bent "
        "heeft een aanvraag ingediend.",
        "Wat doet u met deze aanvraag?",
        "conflict_of_interest",
        "verlenen",
    ),
    (
        "nevenfunctie-adviesbureau",
        "Advies voor een bureau",
        "Een adviesbureau dat regelmatig voor de gemeente werkt, vraagt u om tegen betaling "
        "een avond per maand mee te denken over hun projecten elders in het land.",
        "Kunt u dit aannemen? Wat moet u melden, en bij wie?",
        "side_activities",
        "uitbesteden",
    ),
    (
        "raadslid-partner",
        "Uw partner in de raad",
        "Uw partner is net gekozen als gemeenteraadslid. U werkt als beleidsadviseur aan "
        "voorstellen die in de raad komen.",
        "Wat verandert er voor u, en met wie bespreekt u dit?",
        "side_activities",
        "",
    ),
    (
        "grap-in-team",
        "Een grap die blijft hangen",
        "In het teamoverleg wordt regelmatig gelachen om het accent van een nieuwe collega. "
        "Zij lacht mee, maar u ziet dat ze het niet leuk vindt.",
        "Zegt u er iets van, en zo ja tegen wie?",
        "conduct",
        "",
    ),
    (
        "agressieve-inwoner",
        "Een dreigende inwoner",
        "Een inwoner wiens aanvraag is afgewezen, scheldt u aan de telefoon uit en zegt dat "
        "hij 'wel weet waar u woont'. Uw leidinggevende zegt: 'Dat hoort bij het vak.'",
        "Wat doet u met dit incident?",
        "conduct",
        "",
    ),
    (
        "leidinggevende-druk",
        "Druk van boven",
        "Uw leidinggevende vraagt u een advies 'wat positiever' op te schrijven, omdat de "
        "wethouder het project graag door wil laten gaan. De feiten wijzen een andere kant op.",
        "Past u uw advies aan?",
        "loyalty",
        "",
    ),
    (
        "melden-collega",
        "Een vermoeden over een collega",
        "U ziet dat een collega declaraties indient voor reizen die volgens u niet zijn "
        "gemaakt. Hij is populair in het team en heeft het thuis zwaar.",
        "Wat doet u met uw vermoeden, en bij wie kunt u terecht?",
        "loyalty",
        "geld",
    ),
    (
        "facebook-klacht",
        "Een klacht op Facebook",
        "In een lokale Facebookgroep wordt uw afdeling flink bekritiseerd. U weet hoe het "
        "echt zit en wilt reageren om de zaak recht te zetten.",
        "Reageert u, en onder welke naam?",
        "social_media",
        "informatie",
    ),
    (
        "linkedin-aanbesteding",
        "Een felicitatie op LinkedIn",
        "U bent lid van de beoordelingscommissie van een lopende aanbesteding. Een van de "
        "inschrijvers stuurt u een connectieverzoek op LinkedIn met een vriendelijk bericht.",
        "Accepteert u het verzoek?",
        "social_media",
        "uitbesteden",
    ),
    (
        "privefoto-werkplek",
        "Een foto vanaf de werkplek",
        "U maakt op kantoor een leuke foto van uw team voor Instagram. Op de achtergrond is "
        "een scherm met een dossier van een inwoner te lezen.",
        "Wat had u kunnen doen, en wat doet u nu de foto online staat?",
        "social_media",
        "informatie",
    ),
    (
        "voorrang-woning",
        "Voorrang voor een urgente woning",
        "U beoordeelt urgentieaanvragen voor een sociale huurwoning. Een wethouder belt of u "
        "de aanvraag van een bekende van hem 'met voorrang' wilt bekijken.",
        "Hoe reageert u?",
        "loyalty",
        "verlenen",
    ),
    (
        "boete-kwijtschelden-vriend",
        "Een boete voor een vriend",
        "Een goede vriend heeft een bestuurlijke boete gekregen van uw afdeling. Hij vraagt "
        "of u kunt zorgen dat zijn bezwaar 'bovenop de stapel' komt.",
        "Wat doet u?",
        "conflict_of_interest",
        "handhaven",
    ),
]


def load(apps, schema_editor):
    Dilemma = apps.get_model("awareness", "Dilemma")
    for slug, title, situation, question, theme, activity in DILEMMAS:
        Dilemma.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "situation": situation,
                "question": question,
                "theme": theme,
                "activity": activity,
            },
        )


def unload(apps, schema_editor):
    Dilemma = apps.get_model("awareness", "Dilemma")
    Dilemma.objects.filter(slug__in=[d[0] for d in DILEMMAS], discussions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("awareness", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

"""The first text of the public information pages, in plain Dutch (B1), after the union's
vision on the regional labour market. Admins change it in the portal from here on; each page
starts with version 1.

`seed(apps, schema_editor)` is also called by the tests after a transactional test has emptied
the tables (tests/conftest.py), so it only adds pages that are missing.
"""

from django.db import migrations

SPREEKUREN = """\
Heb je een vraag over je werk of je inkomen? Kom naar het spreekuur werk & inkomen. Een
getraind kaderlid van de FNV luistert naar je vraag en zoekt met je uit wat je kunt doen.

## Voor wie?

Voor leden van de FNV. Je kunt bij ons terecht met vragen over bijvoorbeeld:

- je contract, je loon of je vakantiegeld;
- een reorganisatie of dreigend ontslag;
- ziek zijn en weer aan het werk gaan;
- een conflict met je werkgever.

Ben je nog geen lid? [Word lid van de FNV](https://www.fnv.nl/lid-worden). Let op: voor een
probleem dat al speelde voordat je lid werd, kunnen wij je meestal geen juridische hulp geven.
Kom wel naar een [informatiebijeenkomst](/informatie/informatiebijeenkomsten/): die is voor
iedereen.

## Wat kost het?

Niets. Het spreekuur is gratis voor leden.

## Wat neem je mee?

- je arbeidscontract;
- brieven of mails van je werkgever over je vraag;
- je laatste drie loonstroken;
- je lidnummer, als je dat weet.

## Hoe begin je?

1. [Zoek een vakbondshuis bij jou in de buurt](/vakbondshuizen/) en kijk wanneer er spreekuur is.
2. Kom langs tijdens het spreekuur. Een afspraak maken is niet nodig.
3. Kun je niet komen? Vraag in het vakbondshuis naar een spreekuur per telefoon of online.

Wat je vertelt, blijft bij de vakbond. Wij werken onafhankelijk van je werkgever en van het
UWV. Soms horen we dezelfde klacht van veel mensen bij één werkgever. Dan kan de FNV daar
samen met jou en je collega's iets aan doen.
"""

LOOPBAAN = """\
Twijfel je over je werk of je toekomst? Maak een loopbaanafspraak met Loopbaan FNV. Je praat
een uur met twee getrainde vakbondsconsulenten. Samen zoeken jullie uit wat je vraag is en wat
je nodig hebt om zelf verder te kunnen.

## Voor wie?

Voor leden van de FNV die een vraag hebben over hun loopbaan. Bijvoorbeeld:

- je had een vervelend gesprek met je leidinggevende;
- je wilt weten welke opleiding of scholing bij je past;
- je twijfelt wat je kunt en wat je wilt;
- je dreigt je baan te verliezen of bent je baan kwijt.

Ben je geen lid, maar dreig je je baan te verliezen? Kijk dan bij
[Van Werk Naar Werk](/informatie/van-werk-naar-werk/). Je kunt ook
[lid worden](https://www.fnv.nl/lid-worden).

## Wat kost het?

Niets. Een loopbaanafspraak is gratis voor leden. Heb je daarna meer hulp nodig? Dan kan een
trajectadviseur met je een plan maken. Ook de trainingen en workshops in zo'n traject zijn
gratis voor leden.

## Wat neem je mee?

- je vraag, in een paar woorden op papier;
- je cv, als je dat hebt;
- brieven over je werk die met je vraag te maken hebben.

## Hoe begin je?

1. [Log in](/accounts/login/). Heb je nog geen account? [Activeer je account](/leden/activeren/)
   met je lidnummer.
2. [Maak een loopbaanafspraak](/afspraken/maken/). Kies een vakbondshuis of een gesprek online,
   en een tijd die jou past.
3. Je krijgt een bevestiging per mail. Verzetten of afzeggen kan via de link in die mail.

De gesprekken zijn in [28 vakbondshuizen](/vakbondshuizen/) en online. Wij werken onafhankelijk
van je werkgever en van het UWV: wat je vertelt, blijft bij ons.
"""

VWNW = """\
Verlies je binnenkort je baan, bijvoorbeeld door een reorganisatie of een faillissement? Dan
helpt de FNV je op weg naar ander werk. Dat heet Van Werk Naar Werk. Wij doen dat samen met
het UWV, gemeenten, scholen en werkgevers in de regio, in de regionale mobiliteitsteams.

## Voor wie?

Voor iedereen die zijn baan dreigt te verliezen of net heeft verloren. Je hoeft **geen lid**
te zijn: de overheid betaalt deze begeleiding. Leden krijgen daarnaast de hulp die bij het
lidmaatschap hoort, zoals het [spreekuur werk & inkomen](/informatie/spreekuren-werk-en-inkomen/).

## Wat krijg je?

- een trajectadviseur die met jou een plan van aanpak maakt, met jouw doelen;
- hulp bij het zoeken naar werk dat bij je past, ook in een andere sector;
- trainingen en workshops, online of in een vakbondshuis;
- hulp bij het vinden van een opleiding of omscholing, en hoe je die betaalt.

Jij houdt de regie. Wij kijken samen wat nodig is, zodat jij zelf verder kunt.

## Wat kost het?

Niets. Van Werk Naar Werk is gratis, voor leden en voor niet-leden.

## Wat neem je mee?

- je arbeidscontract;
- de brief over je ontslag of de reorganisatie, als je die hebt;
- je cv, als je dat hebt;
- diploma's en certificaten.

## Hoe begin je?

1. [Meld je aan voor een loopbaantraject](/trajecten/aanmelden/). Je vult alleen je naam, je
   contactgegevens en je vraag in.
2. Een trajectadviseur neemt contact met je op.
3. Samen maken jullie een plan van aanpak.

Ben je lid? Dan kun je ook eerst een [loopbaanafspraak](/informatie/loopbaan-fnv/) maken.
"""

BIJEENKOMSTEN = """\
De FNV houdt in de regio informatiebijeenkomsten. Je krijgt uitleg, je kunt vragen stellen en
je ontmoet mensen in dezelfde situatie. Bijvoorbeeld:

- **Wat te doen bij ontslag**: wat zijn je rechten, welke termijnen gelden, en hoe ga je om met
  het verlies van je werk?
- **Loopbaancheck**: waar sta je, en wat wil je met je werk?
- Bijeenkomsten over een cao of over een reorganisatie bij één werkgever.

## Voor wie?

Voor iedereen: leden en niet-leden. Sommige bijeenkomsten zijn voor de mensen van één bedrijf.
Dat staat er dan bij.

## Wat kost het?

Niets. De bijeenkomsten zijn gratis.

## Wat neem je mee?

Je vragen. Bij een bijeenkomst over ontslag: je contract en de brief van je werkgever, als je
die hebt.

## Hoe begin je?

1. [Bekijk de bijeenkomsten](/bijeenkomsten/) en kies er een in een vakbondshuis of online.
2. Meld je aan. Ben je lid en ingelogd, dan gaat dat met één klik. Ben je geen lid, dan vul je
   alleen je naam en e-mailadres in. Die gebruiken we alleen voor deze bijeenkomst en we
   wissen ze daarna.
3. Je krijgt een bevestiging per mail, met de datum in je agenda. Kun je toch niet? Meld je af
   via de link in die mail: dan kan iemand van de wachtlijst komen.
"""

ONTSLAG = """\
Heb je gehoord dat je je baan verliest? Of vraagt je werkgever je iets te tekenen? Neem eerst
even rust. Doe deze stappen, in deze volgorde.

## 1. Teken niets

Teken geen ontslagbrief, geen vaststellingsovereenkomst en geen andere afspraak over het einde
van je werk. Zeg: "Ik wil dit eerst laten bekijken." Dat mag altijd.

Heb je al getekend? Bij een vaststellingsovereenkomst heb je meestal **14 dagen bedenktijd**.
Je kunt dan nog terug. Wacht dus niet.

## 2. Let op de termijnen

Sommige termijnen zijn kort. Als je ze mist, ben je rechten kwijt.

- Vaststellingsovereenkomst getekend: 14 dagen bedenktijd (3 weken als die bedenktijd niet in
  de overeenkomst staat).
- Ontslag via het UWV: je hebt meestal 14 dagen om te reageren.
- Ontslag op staande voet: binnen 2 maanden naar de rechter. Zeg meteen schriftelijk dat je
  het er niet mee eens bent.
- WW-uitkering: vraag die aan bij het UWV, binnen een week nadat je werkloos bent geworden.

## 3. Kom naar een spreekuur

Ga naar het [spreekuur werk & inkomen](/informatie/spreekuren-werk-en-inkomen/) in een
vakbondshuis bij jou in de buurt. Een kaderlid kijkt met je naar je situatie en zegt wat je
nu moet doen. Is het nodig, dan gaat je vraag naar de juridische afdeling van de FNV.
Voor leden is dit gratis.

## 4. Neem dit mee

- je arbeidscontract;
- de brief of mail van je werkgever over het ontslag;
- een overeenkomst die je moet tekenen (of hebt getekend);
- je laatste drie loonstroken;
- de cao, als je die hebt;
- een lijstje met data: wanneer hoorde je wat, van wie?

## 5. Kijk verder

Je baan verliezen doet iets met je. Je staat er niet alleen voor.

- Kom naar de bijeenkomst [Wat te doen bij ontslag](/informatie/informatiebijeenkomsten/).
  Die is voor iedereen, ook als je geen lid bent.
- Zoek je ander werk? Meld je aan voor [Van Werk Naar Werk](/informatie/van-werk-naar-werk/).
- Ben je lid? Maak een [loopbaanafspraak](/informatie/loopbaan-fnv/).

Ben je geen lid? Je kunt [lid worden](https://www.fnv.nl/lid-worden). Voor een probleem dat al
speelde voordat je lid werd, kunnen wij je meestal geen juridische hulp geven. De bijeenkomsten
en Van Werk Naar Werk zijn wel voor jou.
"""

PAGES = [
    {
        "slug": "spreekuren-werk-en-inkomen",
        "title": "Spreekuren werk & inkomen",
        "summary": "Een vraag over je contract, loon, ziekte of ontslag? Kom langs op het "
        "spreekuur in een vakbondshuis. Gratis voor leden.",
        "text": SPREEKUREN,
        "on_home": True,
        "shows_agenda": False,
        "position": 10,
    },
    {
        "slug": "loopbaan-fnv",
        "title": "Loopbaan FNV: een loopbaanafspraak",
        "summary": "Een uur praten met twee vakbondsconsulenten over je werk en je toekomst. "
        "Gratis voor leden, in een vakbondshuis of online.",
        "text": LOOPBAAN,
        "on_home": True,
        "shows_agenda": False,
        "position": 20,
    },
    {
        "slug": "van-werk-naar-werk",
        "title": "Van Werk Naar Werk en mobiliteitsteams",
        "summary": "Verlies je je baan? Een trajectadviseur helpt je naar ander werk. "
        "Gratis, ook als je geen lid bent.",
        "text": VWNW,
        "on_home": True,
        "shows_agenda": False,
        "position": 30,
    },
    {
        "slug": "informatiebijeenkomsten",
        "title": "Informatiebijeenkomsten",
        "summary": "Uitleg en vragen stellen, bijvoorbeeld over ontslag of je loopbaan. "
        "Gratis, voor leden en niet-leden.",
        "text": BIJEENKOMSTEN,
        "on_home": True,
        "shows_agenda": True,
        "position": 40,
    },
    {
        "slug": "ontslag-wat-nu",
        "title": "Ontslag? Wat nu?",
        "summary": "De eerste stappen: teken niets, let op de termijnen en kom naar een "
        "spreekuur.",
        "text": ONTSLAG,
        "on_home": False,
        "shows_agenda": True,
        "position": 0,
    },
]


def seed(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    PageVersion = apps.get_model("pages", "PageVersion")
    for values in PAGES:
        if Page.objects.filter(slug=values["slug"]).exists():
            continue
        page = Page.objects.create(**values)
        PageVersion.objects.create(
            page=page,
            number=1,
            title=page.title,
            summary=page.summary,
            text=page.text,
            note="Eerste versie",
        )


def unseed(apps, schema_editor):
    apps.get_model("pages", "Page").objects.filter(slug__in=[p["slug"] for p in PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
